#!/bin/sh
# Entrypoint hook (root phase, openclaw image): OpenClaw's own folder, /home/agent/.openclaw. The CLI keeps its
# state there (sessions, config, `openclaw mcp set` registrations); a folder root made, or one a root run of the
# CLI left, would make the uid-1000 agent fail with EPERM. /home/agent is the agent's to write, so the path goes
# through the entrypoint's link-safe helpers: a link there is replaced by a folder, never followed.
set -eu
# shellcheck source=/dev/null # the entrypoint layer's helpers: packages/entrypoint/files/entrypoint.d/lib.sh
. /entrypoint.d/lib.sh

openclaw=/home/agent/.openclaw

if ! own_folder "$openclaw"; then
  say "the start goes on without $openclaw, as the original's did"
  exit 0
fi
give_tree_to_agent "$openclaw"
