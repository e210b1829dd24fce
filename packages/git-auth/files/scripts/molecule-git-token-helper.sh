#!/usr/bin/env bash
# git credential helper for GitHub App installation tokens, which expire after about 60 minutes.
#
#   helper get|store|erase     git's credential-helper protocol (store and erase do nothing)
#   helper _fetch_token        print the token (same chain as get)
#   helper _invalidate_cache   forget the cached token
#   helper _refresh_gh         fetch a fresh token from the platform, cache it, log gh in, write ~/.gh_token
#
# Token sources, in order: the cache (50 minutes), the platform, GITHUB_TOKEN / GH_TOKEN; none: exit 1 so that
# git tries its next helper. Tokens and response bodies never reach a log line. Each source is refused, with
# one line saying why, when it cannot be trusted: a cache that is not ours and private, a platform answer over
# MAX_ANSWER_BYTES, a token that is not printable ASCII.
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
readonly GH_LOGIN_TIMEOUT_SEC=20
# A token answer is a few hundred bytes; a larger one is refused unread, however it is sent.
readonly MAX_ANSWER_BYTES=65536

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

# A token is printable ASCII without blanks (bytes 0x21-0x7e), whatever its source: a line break would forge
# a key=value line for git, and NUL, control, blank or non-ASCII characters have no place in a header or a
# file line. LC_ALL=C makes [[:graph:]] mean exactly those bytes.
is_token() {
  local LC_ALL=C
  [[ $1 =~ ^[[:graph:]]+$ ]]
}

# Reads a text file into REPLY, refusing one with a byte that is neither printable ASCII nor whitespace
# before bash sees it: bash would drop a NUL with a warning and join what surrounds it.
read_text_file() {
  local odd
  odd=$(tr -d '\041-\176[:space:]' <"$1" | wc -c) || return 1
  ((odd == 0)) || return 1
  REPLY=$(<"$1")
}

# Succeeds when a path of the cache is ours: of the expected kind (folder or file), not a symbolic link, owned
# by our uid. Otherwise prints why: whoever owns it could read what is written there or plant a token.
is_ours() {
  local path=$1 kind=$2 owner=
  if [[ -L $path ]]; then
    echo "$path is a symbolic link"
  elif [[ $kind == folder && ! -d $path ]]; then
    echo "$path is not a folder"
  elif [[ $kind == file && ! -f $path ]]; then
    echo "$path is not a regular file"
  elif ! owner=$(stat -c %u -- "$path") || ((owner != EUID)); then
    echo "$path belongs to uid ${owner:-unknown}, not $EUID"
  else
    return 0
  fi
  return 1
}

# Succeeds when a path of the cache is ours and private (no permission for group or others); else prints why.
is_private() {
  local mode
  is_ours "$1" "$2" || return 1
  mode=$(stat -c %a -- "$1") || return 1
  if ((8#$mode & 8#077)); then
    echo "$1 has mode $mode, open to group or others"
    return 1
  fi
}

token_from_cache() {
  local reason now
  # No cache (yet, or after _invalidate_cache) is the normal case: nothing to say.
  [[ -e $CACHE_TOKEN || -L $CACHE_TOKEN ]] && [[ -e $CACHE_EXPIRY || -L $CACHE_EXPIRY ]] || return 1
  if ! reason=$(is_private "$CACHE_DIR" folder && is_private "$CACHE_TOKEN" file &&
    is_private "$CACHE_EXPIRY" file); then
    log "ignoring the token cache: $reason; the next platform token replaces it (or remove $CACHE_DIR)"
    return 1
  fi
  if ! read_text_file "$CACHE_TOKEN" || ! is_token "$REPLY"; then
    log "ignoring the cached token: it holds characters other than printable ASCII;" \
      "the next platform token replaces it"
    return 1
  fi
  local token=$REPLY
  if ! read_text_file "$CACHE_EXPIRY" || [[ ! $REPLY =~ ^[0-9]{1,15}$ ]]; then
    log "ignoring the token cache: $CACHE_EXPIRY holds no time in epoch seconds"
    return 1
  fi
  now=$(date +%s)
  ((REPLY > now)) || return 1
  TOKEN=$token
}

# Writes the token to the cache, only into a folder that is ours; it reports every problem itself.
write_cache() {
  local expiry reason
  expiry=$(($(date +%s) + CACHE_TTL_SEC))
  if [[ ! -e $CACHE_DIR && ! -L $CACHE_DIR ]]; then
    mkdir -p -- "$CACHE_DIR" || { log "warning: could not create $CACHE_DIR"; return 1; }
  elif ! reason=$(is_ours "$CACHE_DIR" folder); then
    log "warning: not writing the token cache: $reason"
    return 1
  fi
  # Our folder may predate this script with a looser mode.
  chmod 700 "$CACHE_DIR" || log "warning: could not chmod 700 $CACHE_DIR"
  # Token first, expiry second: a reader between the two renames sees the new token with the old expiry
  # (harmless), never an old token with a new expiry.
  if ! write_private_file "$CACHE_TOKEN" "$1" || ! write_private_file "$CACHE_EXPIRY" "$expiry"; then
    log "warning: could not write the token cache in $CACHE_DIR"
    return 1
  fi
}

# Reads the platform's answer as curl writes it on standard input (the body, a line break, the HTTP status)
# and prints one line: the status, a blank and the body's "token" when it is JSON with a usable one. It reads
# at most MAX_ANSWER_BYTES (+1, to see that there is more): curl's --max-filesize does not bound a chunked
# body, this read does. A longer answer prints "too-large" unread, and curl, its pipe closed, stops.
read_answer() {
  python3 -c '
import json, sys
limit = int(sys.argv[1])
answer = sys.stdin.buffer.read(limit + 1)
if len(answer) > limit:
    print("too-large")
    sys.exit()
body, _, status = answer.rpartition(b"\n")
try:
    token = json.loads(body).get("token")
except Exception:
    token = None
# is_token applies the same rule; checking here too keeps a NUL away from bash.
if not (isinstance(token, str) and token and all("!" <= c <= "~" for c in token)):
    token = ""
print(status.decode("ascii", "replace"), token)
' "$MAX_ANSWER_BYTES"
}

token_from_platform() {
  local auth_file="$CONFIGS_DIR/.auth_token" auth url answer status token code=0
  # A regular file only: a FIFO planted there would block the read forever.
  if [[ ! -f $auth_file || ! -r $auth_file ]]; then
    log "no platform credential: $auth_file is missing, unreadable or not a regular file"
    return 1
  fi
  if ! read_text_file "$auth_file"; then
    log "no platform credential: $auth_file holds characters other than printable ASCII"
    return 1
  fi
  # Trim surrounding whitespace: the file is often written with a trailing newline or spaces.
  auth=${REPLY#"${REPLY%%[![:space:]]*}"}
  auth=${auth%"${auth##*[![:space:]]}"}
  if [[ -z $auth ]]; then
    log "no platform credential: $auth_file is empty"
    return 1
  fi
  # Inside, a line break would add a header of its own to the request.
  if ! is_token "$auth"; then
    log "no platform credential: $auth_file holds blanks or line breaks inside"
    return 1
  fi

  if [[ -n ${WORKSPACE_ID:-} ]]; then
    url="$PLATFORM_URL/workspaces/$WORKSPACE_ID/github-installation-token"
  else
    url="$PLATFORM_URL/admin/github-installation-token"
  fi

  # The Authorization header goes through standard input (-H @-), so the credential never shows in
  # the process list. The status code is appended on a line of its own; the answer goes straight to
  # read_answer, so bash never holds a body.
  answer=$(printf 'Authorization: Bearer %s\n' "$auth" |
    curl --silent --max-time "$FETCH_TIMEOUT_SEC" --header @- --header 'Accept: application/json' \
      --write-out '\n%{http_code}' "$url" | read_answer) || code=$?
  if [[ $answer == too-large ]]; then
    log "platform answer is larger than $MAX_ANSWER_BYTES bytes; ignored: $url"
    return 1
  fi
  case $code in
    0) ;;
    28) log "platform did not answer within ${FETCH_TIMEOUT_SEC}s: $url"; return 1 ;;
    6 | 7) log "platform unreachable (curl exit $code): $url"; return 1 ;;
    *) log "platform request failed (exit $code): $url"; return 1 ;;
  esac
  status=${answer%% *}
  token=${answer#"$status "}
  if [[ $status != 2?? ]]; then
    log "platform answered HTTP $status: $url"
    return 1
  fi
  if ! is_token "$token"; then
    log "platform answer (HTTP $status) holds no usable token (none, or not printable ASCII): $url"
    return 1
  fi
  TOKEN=$token
  # A cache that cannot be written is reported there; the token still answers this request.
  write_cache "$TOKEN" || :
}

token_from_env() {
  local name
  for name in GITHUB_TOKEN GH_TOKEN; do
    [[ -n ${!name:-} ]] || continue
    if ! is_token "${!name}"; then
      log "ignoring $name: it holds characters other than printable ASCII; set it to the bare token"
      continue
    fi
    log "using $name from the environment"
    TOKEN=${!name}
    return 0
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
  # gh's own output is dropped: it cannot be trusted not to echo what it read (bash's line for a gh ended by
  # SIGKILL goes with it; the warning below says it). gh checks the token with GitHub, a host that may not
  # answer: timeout ends it, and what it started, after GH_LOGIN_TIMEOUT_SEC (SIGKILL 5 s later if needed).
  {
    printf '%s\n' "$TOKEN" |
      timeout --kill-after=5 "$GH_LOGIN_TIMEOUT_SEC" gh auth login --hostname github.com --with-token >/dev/null
  } 2>/dev/null || gh_exit=$?
  if ((gh_exit == 124)); then
    log "warning: gh auth login did not finish within ${GH_LOGIN_TIMEOUT_SEC}s"
  elif ((gh_exit != 0)); then
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
