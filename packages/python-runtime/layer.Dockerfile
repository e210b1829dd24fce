WORKDIR /app
# Declared as an ARG so that a new runtime version changes Docker's cache key for the pip layer below:
# without it, identical requirements.txt bytes let a cached layer keep the previous runtime baked in.
ARG RUNTIME_VERSION=
# The composer fills PYTHON_PACKAGES with what the image's layers declare; one pip resolve for all of them.
# It is left unquoted on purpose: a space-separated list of requirements, each without spaces.
ARG PYTHON_PACKAGES=
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt ${PYTHON_PACKAGES} \
    && if [ -n "${RUNTIME_VERSION}" ]; then \
        pip install --no-cache-dir --upgrade "molecule-ai-workspace-runtime==${RUNTIME_VERSION}"; \
    fi
