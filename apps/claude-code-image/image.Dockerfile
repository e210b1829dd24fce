# The Claude Code CLI comes from the agent-cli layer (pinned in image.json, installed last, so a new version
# re-runs only that step). Fixes volume ownership as root, then drops to agent (uid 1000) with gosu and
# execs molecule-runtime.
COPY entrypoint.sh /entrypoint.sh
ENTRYPOINT ["/entrypoint.sh"]
