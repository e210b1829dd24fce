#!/bin/sh
# Entrypoint hook (agent phase, hermes image): hermes's state folder and its persona, as the original start.sh
# prepares them before it launches anything. Every hermes process runs with HOME=/tmp (the runtime command
# is `env HOME=/tmp ... molecule-runtime`), so hermes's state is /tmp/.hermes; that path is a link onto
# /configs/.hermes, the persisted volume, so sessions and memory survive a recreated container.
# It runs as agent, not root: /configs is agent's by now (the entrypoint's root phase gave it), /tmp is
# writable by all, so nothing here needs root, and nothing the agent left in its volume can steer a root step.
set -eu

state=/configs/.hermes
home=/tmp/.hermes

fail() {
  echo "[50-hermes-home] $*" >&2
  exit 1
}

# An earlier container's agent may have left anything at these paths; a plain file where the folder must be is
# a volume this start cannot use, and a clear stop beats a hermes that writes its sessions nowhere.
if [ -e "$state" ] && [ ! -d "$state" ]; then
  fail "$state is not a folder: remove it from the /configs volume so hermes's state can live there"
fi
mkdir -p "$state" || fail "cannot make $state (is /configs writable by agent?)"

# /tmp/.hermes is replaced whatever it is (a folder from a run before this link existed, an old link): `ln -sfn`
# alone would put the new link inside a folder there.
rm -rf "$home" || fail "cannot remove the old $home"
ln -s "$state" "$home"

# A container start is always a platform-orchestrated restart for hermes's gateway, never its own crash: this
# marker (which the gateway consumes) makes it keep the session that was active instead of resetting it.
: >"$home/.clean_shutdown"

# The persona the platform delivered becomes hermes's identity (SOUL.md), renewed on every start; the
# concierge's composed prompt wins over the plain system prompt. Without either, SOUL.md keeps what the volume
# has: said loudly, and the start goes on (a workspace with a generic identity beats one that cannot start).
for persona in /configs/prompts/concierge.md /configs/system-prompt.md; do
  if [ -f "$persona" ] && [ -s "$persona" ]; then
    cp "$persona" "$state/.SOUL.md.new"
    chmod 0644 "$state/.SOUL.md.new"
    mv -f "$state/.SOUL.md.new" "$state/SOUL.md"
    echo "[50-hermes-home] persona $persona -> $home/SOUL.md"
    exit 0
  fi
done
echo "[50-hermes-home] ERROR no workspace persona was delivered (neither /configs/prompts/concierge.md nor" \
  "/configs/system-prompt.md has content): $home/SOUL.md keeps what the volume holds, so this workspace may" \
  "introduce itself with a stock identity. The start goes on." >&2
