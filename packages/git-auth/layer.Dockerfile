# Scripts keep the executable bit they have in git, so no chmod layer follows these COPYs.
# The token helper and its refresh loop live where entrypoint.sh looks for them.
COPY scripts/molecule-git-token-helper.sh scripts/molecule-gh-token-refresh.sh /app/scripts/
# The platform sets GIT_ASKPASS to this path in every workspace container; siblings ship the same bytes here.
COPY scripts/molecule-askpass /usr/local/bin/molecule-askpass
