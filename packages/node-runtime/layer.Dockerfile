# Debian's nodejs and npm come from layer.json's aptPackagesWhen: with INSTALL_NODESOURCE=false in image.json
# the base layer's one apt step installs them, so an image on Debian's Node pays for no second apt-get update;
# with INSTALL_NODESOURCE=true they are not installed at all, and NodeSource's nodejs (npm bundled) is, here.
# NODESOURCE_FALLBACK is what an image composed for NodeSource installs when it is built with
# INSTALL_NODESOURCE=false (a build where deb.nodesource.com is out of reach, as the image tests are): Debian's
# nodejs and npm, or Node.js and npm at the exact NODE_REGISTRY_VERSION and NPM_REGISTRY_VERSION from the npm
# registry, each tarball checked against its pinned sha512 integrity (files/install-node-from-registry.sh; the
# README says what that integrity does and does not vouch for).
# One ARG instruction for all nine: the legacy builder commits each instruction as a step, hit or miss.
ARG INSTALL_NODESOURCE=false \
    NODESOURCE_MAJOR=20 \
    NODESOURCE_FALLBACK=debian \
    NODE_REGISTRY_URL=https://registry.npmjs.org \
    NODE_REGISTRY_VERSION= \
    NODE_REGISTRY_INTEGRITY_X64= \
    NODE_REGISTRY_INTEGRITY_ARM64= \
    NPM_REGISTRY_VERSION= \
    NPM_REGISTRY_INTEGRITY=
COPY install-node-from-registry.sh /tmp/node-runtime/install-node-from-registry.sh
# The setup script is downloaded to a file (not piped into bash) so a failed download fails the build. The
# major is checked after the install: a CLI built for a newer Node fails only at run time on an older one
# (openclaw's engine check), so the build stops instead.
# An image composed for NodeSource but built with --build-arg INSTALL_NODESOURCE=false has no Node from the base
# layer's apt step: NODESOURCE_FALLBACK's is installed here then.
# hadolint ignore=DL3008 # NodeSource serves one line a major and Debian bookworm's point releases are the pin; NODESOURCE_MAJOR and the check below hold the major.
RUN set -eu; \
    case "${NODESOURCE_FALLBACK}" in \
        debian | npm-registry) ;; \
        *) echo "node-runtime: NODESOURCE_FALLBACK=${NODESOURCE_FALLBACK} is neither debian nor npm-registry" >&2; exit 1 ;; \
    esac; \
    if [ "${INSTALL_NODESOURCE}" = true ]; then \
        curl -fsSLo /tmp/nodesource_setup.sh "https://deb.nodesource.com/setup_${NODESOURCE_MAJOR}.x"; \
        bash /tmp/nodesource_setup.sh; \
        rm -f /tmp/nodesource_setup.sh; \
        apt-get install -y --no-install-recommends nodejs; \
        rm -rf /var/lib/apt/lists/*; \
        node_version="$(node --version)"; \
        case "${node_version}" in \
            "v${NODESOURCE_MAJOR}."*) ;; \
            *) echo "node-runtime: expected Node.js ${NODESOURCE_MAJOR} from NodeSource, got ${node_version}" >&2; exit 1 ;; \
        esac; \
    elif command -v node >/dev/null; then \
        if [ "${NODESOURCE_FALLBACK}" = npm-registry ]; then \
            echo "node-runtime: NODESOURCE_FALLBACK=npm-registry stands in for NodeSource, but Debian's Node is installed (image.json chose INSTALL_NODESOURCE=false): choose INSTALL_NODESOURCE=true" >&2; exit 1; \
        fi; \
    elif [ "${NODESOURCE_FALLBACK}" = npm-registry ]; then \
        echo "node-runtime: no Node from the base layer's apt step (image.json chose NodeSource): installing Node.js ${NODE_REGISTRY_VERSION} and npm ${NPM_REGISTRY_VERSION} from ${NODE_REGISTRY_URL}"; \
        sh /tmp/node-runtime/install-node-from-registry.sh; \
    else \
        echo "node-runtime: no Node from the base layer's apt step (image.json chose NodeSource): installing Debian's nodejs and npm"; \
        apt-get update; \
        apt-get install -y --no-install-recommends nodejs npm; \
        rm -rf /var/lib/apt/lists/*; \
    fi; \
    rm -rf /tmp/node-runtime; \
    node --version; \
    npm --version
