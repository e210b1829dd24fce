#!/bin/sh
# Entrypoint hook (root phase, codex image): the Codex CLI's home, /home/agent/.codex, and its sessions folder,
# agent's, before the drop, as the original's start.sh made them (`install -d -o agent`): a folder a root run left
# there would stop codex, running as agent, from writing its threads and auth.json. /home/agent is the agent's to
# write, so every path goes through the entrypoint's link-safe helpers.
set -eu
# shellcheck source=/dev/null # the entrypoint layer's helpers: packages/entrypoint/files/entrypoint.d/lib.sh
. /entrypoint.d/lib.sh

codex_home=/home/agent/.codex

if ! own_folder "$codex_home"; then
  say "the start goes on without $codex_home; codex reports what it cannot write"
  exit 0
fi
own_folder "$codex_home/sessions" || say "the start goes on without $codex_home/sessions"
# What an earlier root run wrote inside (the original's last `chown -R agent:agent /home/agent/.codex`).
give_tree_to_agent "$codex_home"
