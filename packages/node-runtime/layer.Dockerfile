# Debian's nodejs and npm come from layer.json's aptPackagesWhen: with INSTALL_NODESOURCE=false in image.json
# the base layer's one apt step installs them, so an image on Debian's Node pays for no second apt-get update;
# with INSTALL_NODESOURCE=true they are not installed at all, and NodeSource's nodejs (npm bundled) is, here.
ARG INSTALL_NODESOURCE=false
ARG NODESOURCE_MAJOR=20
# The setup script is downloaded to a file (not piped into bash) so a failed download fails the build. The
# major is checked after the install: a CLI built for a newer Node fails only at run time on an older one
# (openclaw's engine check), so the build stops instead.
# An image composed for NodeSource but built with --build-arg INSTALL_NODESOURCE=false (as its image test is,
# where deb.nodesource.com is out of reach) has no Node from the base layer: Debian's is installed here then.
# hadolint ignore=DL3008 # NodeSource serves one line a major and Debian bookworm's point releases are the pin; NODESOURCE_MAJOR and the check below hold the major.
RUN set -eu; \
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
    elif ! command -v node >/dev/null; then \
        echo "node-runtime: no Node from the base layer's apt step (image.json chose NodeSource): installing Debian's nodejs and npm"; \
        apt-get update; \
        apt-get install -y --no-install-recommends nodejs npm; \
        rm -rf /var/lib/apt/lists/*; \
    fi; \
    node --version; \
    npm --version
