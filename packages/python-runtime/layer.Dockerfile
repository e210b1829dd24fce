WORKDIR /app
# Declared as an ARG so that a new runtime version changes Docker's cache key for the pip layer below:
# without it, identical requirements.txt bytes let a cached layer keep the previous runtime baked in.
ARG RUNTIME_VERSION=
# The composer fills PYTHON_PACKAGES with what the image's layers declare; one pip resolve for all of them.
# It is left unquoted on purpose: a space-separated list of requirements, each without spaces.
ARG PYTHON_PACKAGES=
# Where pip installs from. pip reads PIP_INDEX_URL and PIP_EXTRA_INDEX_URL from its environment, and Docker hands
# each ARG to the RUN steps after it as a variable, during the build only (an ARG never reaches the image's ENV),
# so the command below needs no flag for them. As build arguments they are in the pip layer's cache key as well:
# another index rebuilds the layer. An empty PIP_EXTRA_INDEX_URL is no extra index.
ARG PIP_INDEX_URL=https://pypi.org/simple/
ARG PIP_EXTRA_INDEX_URL=
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt ${PYTHON_PACKAGES} \
    && if [ -n "${RUNTIME_VERSION}" ]; then \
        pip install --no-cache-dir --upgrade "molecule-ai-workspace-runtime==${RUNTIME_VERSION}"; \
    fi
