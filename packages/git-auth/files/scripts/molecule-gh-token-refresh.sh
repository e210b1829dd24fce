#!/usr/bin/env bash
# Keeps the cached GitHub token and the gh CLI fresh across the token's ~60-minute lifetime, even when no git
# operation asks for a token. Runs forever in the background; the helper's failures are logged, never fatal.
set -Eeuo pipefail

readonly LOG_PREFIX='[molecule-gh-token-refresh]'

log() { printf '%s %s %s\n' "$LOG_PREFIX" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >&2; }

# A whole number of seconds from the environment; anything else is reported and replaced by the default,
# because a loop that refuses to start would let every token expire.
seconds_setting() {
  local name=$1 default=$2 value=${!1:-}
  if [[ -z $value ]]; then
    value=$default
  elif [[ ! $value =~ ^[0-9]+$ ]]; then
    log "warning: $name='$value' is not a whole number of seconds; using $default"
    value=$default
  fi
  printf '%s' "$value"
}

helper=${TOKEN_HELPER_SCRIPT:-/app/scripts/molecule-git-token-helper.sh}
interval=$(seconds_setting TOKEN_REFRESH_INTERVAL_SEC 2700)
jitter=$(seconds_setting TOKEN_REFRESH_JITTER_SEC 120)
initial_delay=$(seconds_setting TOKEN_REFRESH_INITIAL_DELAY_SEC 60)

# Sleeps and helper runs happen in background jobs awaited with `wait`, so SIGTERM is handled at once
# instead of after the current sleep or helper run.
child=
stop() {
  log "stopping on SIGTERM"
  # The job may have ended a moment ago; that is not an error.
  if [[ -n $child ]]; then
    kill "$child" 2>/dev/null || :
  fi
  exit 0
}
trap stop TERM

pause() {
  sleep "$1" &
  child=$!
  # A sleep has nothing to report; a SIGTERM during it is handled by the trap.
  wait "$child" || :
  child=
}

# The helper's output is discarded: it may print the token.
refresh() {
  local status=0 next
  "$helper" _refresh_gh </dev/null >/dev/null 2>&1 &
  child=$!
  wait "$child" || status=$?
  child=
  # Jitter spreads dozens of containers' requests to the platform over time.
  next=$((interval + RANDOM % (jitter + 1)))
  if ((status == 0)); then
    log "refresh succeeded; next in ${next}s"
  else
    log "refresh failed (helper exit $status); retrying in ${next}s"
  fi
  pause "$next"
}

log "starting: helper=$helper interval=${interval}s jitter=0..${jitter}s initial_delay=${initial_delay}s"
pause "$initial_delay"
while :; do
  refresh
done
