#!/bin/sh
# Entrypoint hook (agent phase, openclaw image): npm credentials for the platform's private @molecule-ai scope.
# The runtime launches the management MCP server with `npx @molecule-ai/mcp-server`, a private package of the
# platform's Gitea npm registry: without a scoped token npx cannot fetch it and the concierge boots without its
# tools. The token is the Gitea read token the platform hands in (MOLECULE_TEMPLATE_REPO_TOKEN, else
# GITEA_TOKEN); it is never printed. As in the original: the runtime's own helper (molecule_runtime.npm_auth)
# when the installed runtime has it, else ~/.npmrc written here; no token is a warning, and the start goes on.
set -eu

base="${MOLECULE_GITEA_BASE_URL:-https://git.moleculesai.app}"
token="${MOLECULE_TEMPLATE_REPO_TOKEN:-${GITEA_TOKEN:-}}"

if [ -z "$token" ]; then
  echo "npm gitea auth: WARN: no MOLECULE_TEMPLATE_REPO_TOKEN or GITEA_TOKEN: npx @molecule-ai/mcp-server (the management MCP) cannot fetch the private package" >&2
  exit 0
fi
# What goes into ~/.npmrc must stay one line each: a token or URL with a line break or a space would add
# settings of its own choosing.
case "$token" in
  *[!A-Za-z0-9._~+/=-]*)
    echo "npm gitea auth: WARN: the Gitea token holds characters no token has; ~/.npmrc not written" >&2
    exit 0
    ;;
esac
case "$base" in
  http://* | https://*) ;;
  *)
    echo "npm gitea auth: WARN: MOLECULE_GITEA_BASE_URL is not an http(s) URL; ~/.npmrc not written" >&2
    exit 0
    ;;
esac
case "$base" in
  *[!A-Za-z0-9._~:/@%+=-]*)
    echo "npm gitea auth: WARN: MOLECULE_GITEA_BASE_URL holds characters a registry URL has not; ~/.npmrc not written" >&2
    exit 0
    ;;
esac

if python3 -c 'import molecule_runtime.npm_auth' >/dev/null 2>&1 &&
  MOLECULE_GITEA_BASE_URL="$base" MOLECULE_TEMPLATE_REPO_TOKEN="$token" \
    python3 -c 'import molecule_runtime.npm_auth as n; n.install_npm_gitea_auth()' >/dev/null 2>&1; then
  echo "npm gitea auth: configured for the @molecule-ai scope (the runtime's helper)"
  exit 0
fi

# Gitea serves an owner's npm packages at /api/packages/<owner>/npm/; npm keys the token by the registry
# without its scheme.
registry="${base%/}/api/packages/molecule-ai/npm/"
key="${registry#https:}"
key="${key#http:}"
# The file npm reads: the image sets NPM_CONFIG_USERCONFIG (home-independent, like the npm cache).
npmrc="${NPM_CONFIG_USERCONFIG:-${HOME:-/home/agent}/.npmrc}"
umask 077
new=$(mktemp "$npmrc.XXXXXX")
printf '@molecule-ai:registry=%s\n%s:_authToken=%s\n' "$registry" "$key" "$token" >"$new"
mv -f "$new" "$npmrc"
echo "npm gitea auth: configured for the @molecule-ai scope (~/.npmrc written)"
