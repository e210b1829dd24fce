#!/usr/bin/env bash
# git credential helper for GitHub App installation tokens, which expire after about 60 minutes.
#
#   helper get|store|erase     git's credential-helper protocol (store and erase do nothing)
#   helper _fetch_token        print the token (same chain as get)
#   helper _invalidate_cache   forget the cached token
#   helper _refresh_gh         fetch a fresh token from the platform, cache it, log gh in, write ~/.gh_token
#
# Token sources, in order: the cache (50 minutes), the platform, GITHUB_TOKEN / GH_TOKEN; none: exit 1 so that
# git tries its next helper. Tokens and response bodies never reach a log line.
set -Eeuo pipefail
# Every file created here is private from its first byte.
umask 077

readonly PLATFORM_URL="${PLATFORM_URL:-http://host.docker.internal:8080}"
readonly CONFIGS_DIR="${CONFIGS_DIR:-/configs}"
readonly CACHE_DIR="$HOME/.molecule-token-cache"
readonly CACHE_TOKEN="$CACHE_DIR/token"
readonly CACHE_EXPIRY="$CACHE_DIR/expiry"
# 50 minutes: a cached token is dropped well before its ~60-minute lifetime ends.
readonly CACHE_TTL_SEC=3000
readonly FETCH_TIMEOUT_SEC=10

# The token the token_from_* functions found. They set it rather than print it: standard output is kept for
# the answer to git, and nothing needs to capture a function's output to get the token.
TOKEN=

log() { printf 'molecule-git-token-helper: %s\n' "$*" >&2; }

# Writes one line to a file atomically (a temporary file beside it, then a rename) and privately:
# mktemp creates the file 600 before any content is written.
write_private_file() {
  local target=$1 content=$2 name=${1##*/} tmp
  tmp=$(mktemp "${target%/*}/.${name#.}.XXXXXX") || return 1
  if ! printf '%s\n' "$content" >"$tmp"; then
    rm -f "$tmp"
    return 1
  fi
  chmod 600 "$tmp" || log "warning: could not chmod 600 $target"
  # -T: never move the file into a folder that happens to sit at the target path.
  if ! mv -fT "$tmp" "$target"; then
    rm -f "$tmp"
    return 1
  fi
}

token_from_cache() {
  local token expiry now
  [[ -s $CACHE_TOKEN && -s $CACHE_EXPIRY ]] || return 1
  token=$(<"$CACHE_TOKEN") || return 1
  expiry=$(<"$CACHE_EXPIRY") || return 1
  now=$(date +%s)
  [[ -n $token && $expiry =~ ^[0-9]+$ ]] || return 1
  ((expiry > now)) || return 1
  TOKEN=$token
}

write_cache() {
  local expiry
  expiry=$(($(date +%s) + CACHE_TTL_SEC))
  mkdir -p "$CACHE_DIR" || return 1
  # The folder may predate this script with a looser mode.
  chmod 700 "$CACHE_DIR" || log "warning: could not chmod 700 $CACHE_DIR"
  # Token first, expiry second: a reader between the two renames sees the new token with the old expiry
  # (harmless), never an old token with a new expiry.
  write_private_file "$CACHE_TOKEN" "$1" && write_private_file "$CACHE_EXPIRY" "$expiry"
}

# Prints the "token" field of a JSON answer on standard input, or nothing. A token with whitespace would
# break git's key=value answer, so it counts as no token.
json_token() {
  python3 -c '
import json, sys
try:
    token = json.load(sys.stdin).get("token")
except Exception:
    token = None
if isinstance(token, str) and token and not any(c.isspace() for c in token):
    print(token)
'
}

token_from_platform() {
  local auth_file="$CONFIGS_DIR/.auth_token" auth url response status body token curl_exit=0
  if [[ ! -r $auth_file ]]; then
    log "no platform credential: $auth_file is missing or unreadable"
    return 1
  fi
  auth=$(<"$auth_file") || return 1
  # Trim surrounding whitespace: the file is often written with a trailing newline or spaces.
  auth=${auth#"${auth%%[![:space:]]*}"}
  auth=${auth%"${auth##*[![:space:]]}"}
  if [[ -z $auth ]]; then
    log "no platform credential: $auth_file is empty"
    return 1
  fi

  if [[ -n ${WORKSPACE_ID:-} ]]; then
    url="$PLATFORM_URL/workspaces/$WORKSPACE_ID/github-installation-token"
  else
    url="$PLATFORM_URL/admin/github-installation-token"
  fi

  # The Authorization header goes through standard input (-H @-), so the credential never shows in
  # the process list. The status code is appended on a line of its own.
  response=$(printf 'Authorization: Bearer %s\n' "$auth" |
    curl --silent --max-time "$FETCH_TIMEOUT_SEC" --header @- --header 'Accept: application/json' \
      --write-out '\n%{http_code}' "$url") || curl_exit=$?
  case $curl_exit in
    0) ;;
    28) log "platform did not answer within ${FETCH_TIMEOUT_SEC}s: $url"; return 1 ;;
    6 | 7) log "platform unreachable (curl exit $curl_exit): $url"; return 1 ;;
    *) log "platform request failed (curl exit $curl_exit): $url"; return 1 ;;
  esac
  status=${response##*$'\n'}
  body=${response%$'\n'*}
  if [[ $status != 2?? ]]; then
    log "platform answered HTTP $status: $url"
    return 1
  fi
  token=$(json_token <<<"$body") || token=
  if [[ -z $token ]]; then
    log "platform answer (HTTP $status) holds no usable token: $url"
    return 1
  fi
  TOKEN=$token
  write_cache "$TOKEN" || log "warning: could not write the token cache in $CACHE_DIR"
}

token_from_env() {
  local name
  for name in GITHUB_TOKEN GH_TOKEN; do
    if [[ -n ${!name:-} ]]; then
      log "using $name from the environment"
      TOKEN=${!name}
      return 0
    fi
  done
  return 1
}

find_token() {
  token_from_cache || token_from_platform || token_from_env || {
    log "no token: cache, platform, GITHUB_TOKEN and GH_TOKEN all failed"
    return 1
  }
}

# git writes key=value lines and an empty line; this helper answers the same way whatever the host,
# since git's configuration already scopes it to one host.
read_git_request() {
  local line
  while IFS= read -r line && [[ -n $line ]]; do :; done
}

login_gh() {
  local gh_exit=0
  if ! command -v gh >/dev/null; then
    log "warning: gh CLI not found; gh stays logged out"
    return 0
  fi
  # gh's own output is dropped: it cannot be trusted not to echo what it read.
  printf '%s\n' "$TOKEN" | gh auth login --hostname github.com --with-token >/dev/null 2>&1 || gh_exit=$?
  if ((gh_exit != 0)); then
    log "warning: gh auth login failed (exit $gh_exit)"
  fi
}

refresh_gh() {
  # Skips the cache on purpose: the point is a new token before the cached one expires.
  token_from_platform || {
    log "refresh failed: no token from the platform"
    exit 1
  }
  login_gh
  if ! write_private_file "$HOME/.gh_token" "$TOKEN"; then
    log "refresh failed: could not write $HOME/.gh_token"
    exit 1
  fi
}

case "${1:-}" in
  get)
    read_git_request
    find_token || exit 1
    printf 'username=x-access-token\npassword=%s\n\n' "$TOKEN"
    ;;
  store | erase) ;;
  _fetch_token)
    find_token || exit 1
    printf '%s\n' "$TOKEN"
    ;;
  _invalidate_cache) rm -f "$CACHE_TOKEN" "$CACHE_EXPIRY" ;;
  _refresh_gh) refresh_gh ;;
  *)
    log "unknown action '${1:-}'; expected get, store, erase, _fetch_token, _invalidate_cache or _refresh_gh"
    exit 1
    ;;
esac
