#!/bin/sh
# Entrypoint hook (agent phase, git-auth layer): starts the GitHub token refresh loop inside a respawn loop,
# detached in its own session with its own log, so the runtime never waits on it and never dies with it.
set -eu

token_refresh=/app/scripts/molecule-gh-token-refresh.sh

if [ -x "$token_refresh" ]; then
  # shellcheck disable=SC2016 # "$1" and $? belong to the inner shell
  setsid sh -c 'while :; do
      "$1"
      code=$?
      printf "[entrypoint] %s %s exited with code %s; restarting in 30 s\n" \
        "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$1" "$code"
      sleep 30
    done' token-refresh-loop "$token_refresh" >>/home/agent/.gh-token-refresh.log 2>&1 </dev/null &
fi
