# The option names are the layer's own (AGENT_CLI_*), not a shared VERSION, so no other layer's ARG can
# shadow them; each is used by the RUN below, so a new package, version or command is a new cache key and
# re-runs the install (the legacy builder keys a RUN on the build arguments it sees).
# AGENT_CLI_RUN=true: the CLI's code runs in the build (install scripts, --version). false is for a test build
# whose Node cannot run it (openclaw on the Debian fallback Node 18, where NodeSource is out of reach: its own
# postinstall script needs Node 20): its files are installed, nothing of it is run, and the build log and the test
# run say so. One ARG instruction for the four: the legacy builder commits each instruction as a step.
ARG AGENT_CLI_PACKAGE=@anthropic-ai/claude-code \
    AGENT_CLI_VERSION=2.1.332 \
    AGENT_CLI_COMMAND=claude \
    AGENT_CLI_RUN=true
# Fail-closed, unlike the originals' `2>/dev/null || true`, which shipped images without their CLI:
# - the version is checked again here, because `docker build --build-arg` bypasses the composer's check of
#   layer.json's pattern: a range or a dist-tag (anything but digits, dots, letters and dashes) stops the build;
# - after the install, the installed package.json must say exactly that version (a tag that slipped
#   through resolves to some other one);
# - the CLI must run: `<command> --version`, printed in the build log (unless AGENT_CLI_RUN=false, said in the log).
RUN set -eu; \
    case "${AGENT_CLI_VERSION}" in \
        [0-9]*.[0-9]*.[0-9]*) ;; \
        *) echo "agent-cli: AGENT_CLI_VERSION=${AGENT_CLI_VERSION} is not an exact version (x.y.z): pin the CLI" >&2; exit 1 ;; \
    esac; \
    case "${AGENT_CLI_VERSION}" in \
        *[!0-9A-Za-z.-]*) echo "agent-cli: AGENT_CLI_VERSION=${AGENT_CLI_VERSION} is not an exact version (x.y.z): pin the CLI" >&2; exit 1 ;; \
    esac; \
    case "${AGENT_CLI_RUN}" in \
        true) set -- ;; \
        false) set -- --ignore-scripts; echo "agent-cli: AGENT_CLI_RUN=false: ${AGENT_CLI_PACKAGE} installed without its install scripts, and ${AGENT_CLI_COMMAND} --version not run" ;; \
        *) echo "agent-cli: AGENT_CLI_RUN=${AGENT_CLI_RUN} is neither true nor false" >&2; exit 1 ;; \
    esac; \
    npm install -g "$@" "${AGENT_CLI_PACKAGE}@${AGENT_CLI_VERSION}"; \
    installed="$(node -p 'require(process.argv[1]).version' "$(npm root -g)/${AGENT_CLI_PACKAGE}/package.json")"; \
    if [ "${installed}" != "${AGENT_CLI_VERSION}" ]; then \
        echo "agent-cli: npm installed ${AGENT_CLI_PACKAGE} ${installed}, not ${AGENT_CLI_VERSION}" >&2; exit 1; \
    fi; \
    if [ "${AGENT_CLI_RUN}" = true ]; then "${AGENT_CLI_COMMAND}" --version; fi
