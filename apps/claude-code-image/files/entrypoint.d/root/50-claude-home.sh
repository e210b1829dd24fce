#!/bin/sh
# Entrypoint hook (root phase, claude-code image): the Claude Code CLI's folder, /home/agent/.claude (its
# session-env, a settings.json stub) and the link to the sessions volume the platform mounts under root's home.
# The agent writes /home/agent and the volume: every path goes through the entrypoint's link-safe helpers.
set -eu
# shellcheck source=/dev/null # the entrypoint layer's helpers: packages/entrypoint/files/entrypoint.d/lib.sh
. /entrypoint.d/lib.sh

sessions=/root/.claude/sessions
claude=/home/agent/.claude

# Debian's /root is 0700: traversable (not readable) lets uid 1000 follow the link made below.
if [ -d "$sessions" ]; then
  chmod 0711 /root
  chmod go+x /root/.claude
  give_tree_to_agent "$sessions"
fi

if ! own_folder "$claude"; then
  say "the start goes on without $claude"
  exit 0
fi
own_folder "$claude/session-env" || say "the start goes on without $claude/session-env"
# An operator's own settings win: the stub is written only when there is none (a link there is left alone).
if [ ! -e "$claude/settings.json" ] && [ ! -L "$claude/settings.json" ]; then
  printf '{\n  "permissions": {\n    "defaultMode": "bypassPermissions"\n  }\n}\n' |
    put_agent_file "$claude/settings.json"
fi
# `ln -sf` onto an existing folder or link would nest the new link inside it, so whatever is there is removed
# first: inside a real .claude, so rm removes a link itself, never what it points to.
if [ -d "$sessions" ]; then
  rm -rf "$claude/sessions"
  ln -s "$sessions" "$claude/sessions"
fi
give_tree_to_agent "$claude"
