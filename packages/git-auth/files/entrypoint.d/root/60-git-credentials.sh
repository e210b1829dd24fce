#!/bin/sh
# Entrypoint hook (root phase, git-auth layer): git's credential helper for github.com and the token helper's
# cache folder, both in the agent's home, which the agent writes: every path goes through the entrypoint's
# link-safe helpers (never a plain cp, mkdir -p or redirection there).
set -eu
# shellcheck source=/dev/null # the entrypoint layer's helpers: packages/entrypoint/files/entrypoint.d/lib.sh
. /entrypoint.d/lib.sh

agent_home=/home/agent
token_helper=/app/scripts/molecule-git-token-helper.sh

# Root's global config first, then the same file for the agent, on every start so an image update reaches it.
if [ -x "$token_helper" ]; then
  git config --file /root/.gitconfig --replace-all credential.https://github.com.helper "$token_helper"
  git config --file /root/.gitconfig credential.https://github.com.useHttpPath true
  put_agent_file "$agent_home/.gitconfig" </root/.gitconfig
fi

# The token helper's cache: private to the agent from the first byte.
if own_folder "$agent_home/.molecule-token-cache"; then
  # A real folder now (own_folder replaced any link), so chmod, which follows links, changes only it.
  chmod 700 "$agent_home/.molecule-token-cache"
fi
