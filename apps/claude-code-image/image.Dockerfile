# The Claude Code CLI, pinned: a new version is a reviewed change, and a failed install fails the build
# (the original's `2>/dev/null || true` once shipped images without the CLI).
ARG CLAUDE_CODE_VERSION=2.1.332
RUN npm install -g "@anthropic-ai/claude-code@${CLAUDE_CODE_VERSION}" \
    && claude --version
# Fixes volume ownership as root, then drops to agent (uid 1000) with gosu and execs molecule-runtime.
COPY entrypoint.sh /entrypoint.sh
ENTRYPOINT ["/entrypoint.sh"]
