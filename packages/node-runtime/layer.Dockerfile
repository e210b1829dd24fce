# Debian's nodejs and npm come from layer.json's aptPackages, installed by the base layer's one apt step, so
# an image on Debian's Node pays for no second apt-get update. NodeSource, when chosen, replaces them here:
# its nodejs conflicts with Debian's npm and bundles its own, and autoremove then drops what only that npm
# needed, so the image keeps one Node and one npm.
ARG INSTALL_NODESOURCE=false
ARG NODESOURCE_MAJOR=20
# The setup script is downloaded to a file (not piped into bash) so a failed download fails the build. The
# major is checked after the install: the setup script falls back quietly on some failures, and a CLI built
# for Node 22 on an older Node fails only at run time (openclaw's engine check), so the build stops instead.
# hadolint ignore=DL3008 # NodeSource's repository serves one line a major; NODESOURCE_MAJOR and the check below are the pin.
RUN set -eu; \
    if [ "${INSTALL_NODESOURCE}" = true ]; then \
        curl -fsSLo /tmp/nodesource_setup.sh "https://deb.nodesource.com/setup_${NODESOURCE_MAJOR}.x"; \
        bash /tmp/nodesource_setup.sh; \
        rm -f /tmp/nodesource_setup.sh; \
        apt-get install -y --no-install-recommends nodejs; \
        apt-get autoremove -y; \
        rm -rf /var/lib/apt/lists/*; \
        node_version="$(node --version)"; \
        case "${node_version}" in \
            "v${NODESOURCE_MAJOR}."*) ;; \
            *) echo "node-runtime: expected Node.js ${NODESOURCE_MAJOR} from NodeSource, got ${node_version}" >&2; exit 1 ;; \
        esac; \
    fi; \
    node --version; \
    npm --version
