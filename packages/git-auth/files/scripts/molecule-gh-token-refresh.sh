#!/usr/bin/env bash
# Keeps the cached GitHub token and the gh CLI fresh across the token's ~60-minute lifetime, even when no git
# operation asks for a token. Runs forever in the background; the helper's failures are logged, never fatal.
set -Eeuo pipefail

readonly LOG_PREFIX='[molecule-gh-token-refresh]'

log() { printf '%s %s %s\n' "$LOG_PREFIX" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >&2; }

# A whole number of seconds from the environment, within min..max. Anything else is reported, and replaced by
# the default (not a number) or the nearest bound (out of range): a loop that refused to start would let every
# token expire, and an unbounded one would wrap bash's arithmetic or call the platform in a busy loop.
seconds_setting() {
  local name=$1 default=$2 min=$3 max=$4 value=${!1:-}
  if [[ -z $value ]]; then
    value=$default
  elif [[ ! $value =~ ^[0-9]+$ ]]; then
    log "warning: $name='$value' is not a whole number of seconds; using $default"
    value=$default
  else
    local given=$value
    # Without leading zeros (bash would read 010 as octal), and measured as text first: 10 digits or more is
    # out of range, and would wrap bash's arithmetic.
    value=${value#"${value%%[!0]*}"}
    value=${value:-0}
    if ((${#value} > 9 || value > max)); then
      log "warning: $name=$given is above $max; using $max"
      value=$max
    elif ((value < min)); then
      log "warning: $name=$given is below $min; using $min"
      value=$min
    fi
  fi
  printf '%s' "$value"
}

helper=${TOKEN_HELPER_SCRIPT:-/app/scripts/molecule-git-token-helper.sh}
# The token lives 60 minutes: interval + jitter stays below it (at most 3000 + 300 s), and at least a second
# passes between two refreshes.
interval=$(seconds_setting TOKEN_REFRESH_INTERVAL_SEC 2700 1 3000)
jitter=$(seconds_setting TOKEN_REFRESH_JITTER_SEC 120 0 300)
initial_delay=$(seconds_setting TOKEN_REFRESH_INITIAL_DELAY_SEC 60 0 3000)
# The helper's own calls are bounded (curl 10 s, gh 20 s); this bounds whatever else could hang it.
helper_timeout=$(seconds_setting TOKEN_REFRESH_HELPER_TIMEOUT_SEC 120 1 600)

# Sleeps and helper runs happen in background jobs awaited with `wait`, so SIGTERM is handled at once
# instead of after the current sleep or helper run. The trap ends whatever job bash still runs: it runs
# between commands, so a SIGTERM that lands just after `sleep &` forks comes before any `child=$!` could.
stop() {
  log "stopping on SIGTERM"
  local job
  for job in $(jobs -p); do
    # The job may have ended a moment ago; that is not an error.
    kill "$job" 2>/dev/null || :
  done
  exit 0
}
trap stop TERM

pause() {
  sleep "$1" &
  # A sleep has nothing to report; a SIGTERM during it is handled by the trap.
  wait "$!" || :
}

# The helper's output is discarded: it may print the token. timeout ends it, and whatever it started, after
# helper_timeout seconds (SIGTERM, then SIGKILL 5 s later for one that ignores it); a SIGTERM to timeout
# reaches the helper too.
refresh() {
  local status=0 next
  timeout --kill-after=5 "$helper_timeout" "$helper" _refresh_gh </dev/null >/dev/null 2>&1 &
  # bash would report a job ended by SIGKILL on standard error in a line of its own; the attempt line says it.
  wait "$!" 2>/dev/null || status=$?
  # Jitter spreads dozens of containers' requests to the platform over time.
  next=$((interval + RANDOM % (jitter + 1)))
  if ((status == 0)); then
    log "refresh succeeded; next in ${next}s"
  elif ((status == 124)); then
    log "refresh failed (helper did not finish within ${helper_timeout}s); retrying in ${next}s"
  else
    log "refresh failed (helper exit $status); retrying in ${next}s"
  fi
  pause "$next"
}

log "starting: helper=$helper interval=${interval}s jitter=0..${jitter}s initial_delay=${initial_delay}s" \
  "helper_timeout=${helper_timeout}s"
pause "$initial_delay"
while :; do
  refresh
done
