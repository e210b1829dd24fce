# BASE_IMAGE is declared before FROM so that tests and sibling templates can swap the base with --build-arg.
ARG BASE_IMAGE=python:3.11-slim
# hadolint ignore=IL1003 # the tag is the pin on purpose, so rebuilds pick up Debian security fixes; pass a digest-pinned BASE_IMAGE with --build-arg where a bit-for-bit rebuild matters.
FROM ${BASE_IMAGE}
# The platform package set, first and the same in every image: the same text with no ARG declared before it,
# so Docker's layer cache builds it once for all the images built on one engine (an ARG in scope is part of a
# RUN's cache key). The trade: an image gets the packages of the set it did not ask for (git and util-linux in
# the Python-only images: a bigger image) in exchange for one shared apt layer. sudo stays out of the set: an
# image without a tier-4 leg must have no sudo binary at all (gemini-cli's image test checks it).
# hadolint ignore=DL3008 # Debian bookworm's point releases are the pin; per-package pins rot within weeks.
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl ca-certificates gosu util-linux git \
    && rm -rf /var/lib/apt/lists/*
# The composer fills APT_PACKAGES with the packages every layer of the image declares; those the platform set
# already installed are skipped, so an image that needs nothing more pays no second apt-get update.
ARG APT_PACKAGES="curl ca-certificates" \
    INSTALL_GH_CLI=true
# The keyring is downloaded to a file (not piped through tee) so a failed download fails the build.
# APT_PACKAGES is left unquoted on purpose: it is a space-separated list of package names.
# hadolint ignore=DL3008 # Debian bookworm's point releases are the pin; per-package pins rot within weeks.
RUN extra=""; \
    for package in ${APT_PACKAGES}; do \
        dpkg -s "${package}" >/dev/null 2>&1 || extra="${extra} ${package}"; \
    done \
    && if [ -n "${extra}" ]; then \
        apt-get update \
        && apt-get install -y --no-install-recommends ${extra}; \
    fi \
    && if [ "${INSTALL_GH_CLI}" = true ]; then \
        install -m 0755 -d /etc/apt/keyrings \
        && curl -fsSLo /etc/apt/keyrings/githubcli-archive-keyring.gpg https://cli.github.com/packages/githubcli-archive-keyring.gpg \
        && chmod go+r /etc/apt/keyrings/githubcli-archive-keyring.gpg \
        && echo "deb [arch=$(dpkg --print-architecture) signed-by=/etc/apt/keyrings/githubcli-archive-keyring.gpg] https://cli.github.com/packages stable main" > /etc/apt/sources.list.d/github-cli.list \
        && apt-get update \
        && apt-get install -y --no-install-recommends gh; \
    fi \
    && rm -rf /var/lib/apt/lists/*
