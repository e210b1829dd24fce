WORKDIR /app
# Where pip installs from. pip reads PIP_INDEX_URL and PIP_EXTRA_INDEX_URL from its environment, and Docker hands
# each ARG to the RUN steps after it as a variable, during the build only (an ARG never reaches the image's ENV),
# so the index-pattern commands below need no flag for them. As build arguments they are in the cache key of every
# step after them as well: another index rebuilds those layers. An empty PIP_EXTRA_INDEX_URL is no extra index.
ARG PIP_INDEX_URL=https://pypi.org/simple/ \
    PIP_EXTRA_INDEX_URL= \
    PIP_TOOLING_UPGRADE=false
# PIP_TOOLING_UPGRADE=true: pip, setuptools and wheel upgraded before the project's packages (langgraph's step: the base image's copies carry
# fixable CVEs). Off by default: claude-code's original has no such step. pip download first, so an index that
# serves none of them fails the build: `pip install --upgrade` alone finds the installed copies good enough and
# passes without upgrading anything. The install then reads only what was downloaded, and --upgrade never
# replaces a newer installed copy with an older downloaded one.
# hadolint ignore=DL3013 # the newest the index has is the point of this step: a pin would go stale as the CVEs it fixes.
RUN if [ "${PIP_TOOLING_UPGRADE}" = true ]; then \
        tooling="$(mktemp -d)" \
        && pip download --no-cache-dir --dest "${tooling}" pip setuptools wheel \
        && pip install --no-cache-dir --upgrade --no-index --find-links "${tooling}" pip setuptools wheel \
        && rm -rf "${tooling}"; \
    fi
# How the runtime arrives. index: one pip solve of requirements.txt and PYTHON_PACKAGES over PIP_INDEX_URL and
# PIP_EXTRA_INDEX_URL, then the exact RUNTIME_VERSION over it (claude-code's, langgraph's, gemini-cli's pattern).
# private-wheel (codex's, hermes's, openclaw's): the runtime alone is downloaded as a wheel from
# MOLECULE_RUNTIME_INDEX, without its dependencies, then that file and PYTHON_PACKAGES are installed from
# PIP_INDEX_URL alone. pip takes the highest version a name has on any index it reads, so in one solve over both a
# name published on the private index could replace a public dependency, and a public namesake of the runtime
# could replace the runtime; split, neither can. --isolated makes pip ignore its environment and configuration, so
# no index from PIP_* variables or pip.conf joins either half.
# RUNTIME_DISTRIBUTION is the runtime's pip name: molecule-ai-workspace-runtime is claude-code's; the sibling
# templates install its current name, molecules-workspace-runtime. RUNTIME_MIN_VERSION is the floor
# requirements.txt asks for. One ARG instruction for the four: the legacy builder commits each instruction as a
# step, so a new requirement re-runs one step here, not one per ARG after it.
ARG RUNTIME_SOURCE=index \
    MOLECULE_RUNTIME_INDEX=https://git.moleculesai.app/api/packages/molecule-ai/pypi/simple/ \
    RUNTIME_DISTRIBUTION=molecule-ai-workspace-runtime \
    RUNTIME_MIN_VERSION=0.1.22
# requirements.txt names the runtime as this image installs it, written from RUNTIME_DISTRIBUTION and
# RUNTIME_MIN_VERSION so that it never names a distribution the step does not install.
RUN printf '%s%s\n' "${RUNTIME_DISTRIBUTION}" "${RUNTIME_MIN_VERSION:+>=${RUNTIME_MIN_VERSION}}" > requirements.txt
# RUNTIME_VERSION is an ARG so that a new runtime version changes Docker's cache key for the pip layer below:
# without it, identical requirements.txt bytes let a cached layer keep the previous runtime baked in. It is declared
# after the requirements step, so a new runtime version re-runs the pip step alone. The composer fills
# PYTHON_PACKAGES with what the image's layers declare, one pip resolve for all of them; it is left unquoted on
# purpose: a space-separated list of requirements, each without spaces.
ARG RUNTIME_VERSION= \
    PYTHON_PACKAGES=
# hadolint ignore=DL3013 # the runtime is pinned by requirements.txt or RUNTIME_VERSION (one wheel file); PYTHON_PACKAGES are the layers' own requirements.
RUN case "${RUNTIME_SOURCE}" in \
    index) \
        pip install --no-cache-dir -r requirements.txt ${PYTHON_PACKAGES} \
        && if [ -n "${RUNTIME_VERSION}" ]; then \
            pip install --no-cache-dir --upgrade "${RUNTIME_DISTRIBUTION}==${RUNTIME_VERSION}"; \
        fi ;; \
    private-wheel) \
        set -e; \
        if [ -n "${PIP_EXTRA_INDEX_URL}" ]; then \
            echo "python-runtime: RUNTIME_SOURCE=private-wheel installs the public dependencies from PIP_INDEX_URL alone, but PIP_EXTRA_INDEX_URL is ${PIP_EXTRA_INDEX_URL}: leave it empty (its names would compete with the public ones)" >&2; \
            exit 1; \
        fi; \
        if [ "${PIP_INDEX_URL}" = "${MOLECULE_RUNTIME_INDEX}" ]; then \
            echo "python-runtime: RUNTIME_SOURCE=private-wheel needs PIP_INDEX_URL to be the public index, but it is MOLECULE_RUNTIME_INDEX (${MOLECULE_RUNTIME_INDEX}): set PIP_INDEX_URL to the public index" >&2; \
            exit 1; \
        fi; \
        runtime="$(cat requirements.txt)"; \
        if [ -n "${RUNTIME_VERSION}" ]; then runtime="${RUNTIME_DISTRIBUTION}==${RUNTIME_VERSION}"; fi; \
        wheels="$(mktemp -d)"; \
        pip download --isolated --no-cache-dir --only-binary=:all: --no-deps \
            --index-url "${MOLECULE_RUNTIME_INDEX}" --dest "${wheels}" "${runtime}"; \
        wheel_prefix="$(python3 -c 'import re, sys; print(re.sub(r"[-_.]+", "_", sys.argv[1]))' "${RUNTIME_DISTRIBUTION}")-"; \
        wheel="$(find "${wheels}" -mindepth 1 -maxdepth 1 -type f -iname "${wheel_prefix}*.whl")"; \
        set -- "${wheels}"/*; \
        if [ "$#" -ne 1 ] || [ "$1" != "${wheel}" ]; then \
            echo "python-runtime: MOLECULE_RUNTIME_INDEX gave for ${runtime} not exactly one ${wheel_prefix}*.whl but: $(ls "${wheels}")" >&2; \
            exit 1; \
        fi; \
        pip install --isolated --no-cache-dir --index-url "${PIP_INDEX_URL}" "${wheel}" ${PYTHON_PACKAGES}; \
        rm -rf "${wheels}" ;; \
    *) \
        echo "python-runtime: RUNTIME_SOURCE is '${RUNTIME_SOURCE}'; it takes index or private-wheel" >&2; \
        exit 1 ;; \
    esac
