# The codex template's own files: its adapter beside adapter-core's module in /app, and its two entrypoint hooks
# (the entrypoint layer's /entrypoint.sh is the ENTRYPOINT, so this fragment sets none). The Codex CLI itself is
# the agent-cli layer's (pinned in image.json, installed last, so a new version re-runs only that step).
COPY adapter.py __init__.py config.yaml /app/
COPY entrypoint.d/root/50-codex-home.sh /entrypoint.d/root/
COPY entrypoint.d/agent/50-codex-auth.sh /entrypoint.d/agent/
# The runtime imports ADAPTER_MODULE from /app. GIT_ASKPASS: no provisioner sets it, so without it git never runs
# git-auth's molecule-askpass and the persona token is never used for git over HTTPS (the original sets it here
# for the same reason). It is this image's, not git-auth's: the other images with git-auth do not set it.
ENV ADAPTER_MODULE=adapter \
    PYTHONPATH=/app \
    GIT_ASKPASS=/usr/local/bin/molecule-askpass
