# The Claude Code CLI comes from the agent-cli layer (pinned in image.json, installed last, so a new version
# re-runs only that step).
# The CLI's own folder and the sessions-volume link: a root hook of the entrypoint layer's /entrypoint.sh,
# which is the ENTRYPOINT (that layer's manifest says "entrypoint": true, so this fragment sets none).
COPY entrypoint.d/root/50-claude-home.sh /entrypoint.d/root/
