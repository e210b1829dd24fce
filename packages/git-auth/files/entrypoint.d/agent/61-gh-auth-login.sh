#!/bin/sh
# Entrypoint hook (agent phase, git-auth layer): primes the gh CLI from GITHUB_TOKEN, else GH_TOKEN. A failure
# is reported and the start goes on: the token helper still serves git, and the refresh loop logs gh in later.
set -eu
# shellcheck source=/dev/null # the entrypoint layer's helpers: packages/entrypoint/files/entrypoint.d/lib.sh
. /entrypoint.d/lib.sh

# On standard input (printf is a shell builtin), so the token never shows in a process list. Bounded in time
# (SIGKILL 5 s after SIGTERM): the runtime starts after it, and a GitHub that never answers must not stop that.
token=${GITHUB_TOKEN:-${GH_TOKEN:-}}
if [ -n "$token" ] && command -v gh >/dev/null 2>&1; then
  if ! printf '%s\n' "$token" |
    timeout --kill-after=5 20 gh auth login --hostname github.com --with-token >/dev/null 2>&1; then
    say 'gh auth login failed; continuing (the token helper still serves git)'
  fi
fi
unset token
