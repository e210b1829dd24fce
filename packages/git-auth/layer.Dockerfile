# Scripts keep the executable bit they have in git, so no chmod layer follows these COPYs.
# The token helper and its refresh loop live where the entrypoint hooks below look for them.
COPY scripts/molecule-git-token-helper.sh scripts/molecule-gh-token-refresh.sh /app/scripts/
# The entrypoint layer runs these (root-owned, mode 755 as committed): as root, git's credential helper for
# github.com and the token cache; as agent, the refresh loop and the gh login.
COPY entrypoint.d/root/60-git-credentials.sh /entrypoint.d/root/
COPY entrypoint.d/agent/60-gh-token-refresh.sh entrypoint.d/agent/61-gh-auth-login.sh /entrypoint.d/agent/
# The platform sets GIT_ASKPASS to this path in every workspace container; siblings ship the same bytes here.
# Last of this layer's COPYs: the file the originals' CI byte-pins and fixes most, so its edit re-runs least.
COPY scripts/molecule-askpass /usr/local/bin/molecule-askpass
