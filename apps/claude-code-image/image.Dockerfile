# The Claude Code CLI, pinned: a new version is a reviewed change, and a failed install fails the build
# (the original's `2>/dev/null || true` once shipped images without the CLI).
ARG CLAUDE_CODE_VERSION=2.1.332
RUN npm install -g "@anthropic-ai/claude-code@${CLAUDE_CODE_VERSION}" \
    && claude --version
# The CLI's own folder and the sessions-volume link: a root hook of the entrypoint layer's /entrypoint.sh,
# which is the ENTRYPOINT (that layer's manifest says "entrypoint": true, so this fragment sets none).
COPY entrypoint.d/root/50-claude-home.sh /entrypoint.d/root/
