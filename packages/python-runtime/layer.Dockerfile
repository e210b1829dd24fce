WORKDIR /app
# Declared as an ARG so that a new runtime version changes Docker's cache key for the pip layer below:
# without it, identical requirements.txt bytes let a cached layer keep the previous runtime baked in.
ARG RUNTIME_VERSION=
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt \
    && if [ -n "${RUNTIME_VERSION}" ]; then \
        pip install --no-cache-dir --upgrade "molecule-ai-workspace-runtime==${RUNTIME_VERSION}"; \
    fi
