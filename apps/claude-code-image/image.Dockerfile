# The Claude Code CLI comes from the agent-cli layer (pinned in image.json, installed last, so a new version
# re-runs only that step).
# The CLI's own folder and the sessions-volume link: a root hook of the entrypoint layer's /entrypoint.sh,
# which is the ENTRYPOINT (that layer's manifest says "entrypoint": true, so this fragment sets none).
COPY entrypoint.d/root/50-claude-home.sh /entrypoint.d/root/
# The claude-code adapter, this template's own (its provider routing is adapter-core's, with claude-code's rules).
# config.yaml beside adapter.py is the provider registry the adapter actually reads in this image:
# without it every third-party model silently routes to anthropic-oauth.
# claude_sdk_executor.py sits in /app so it shadows the same-named module older runtimes shipped.
COPY adapter.py __init__.py config.yaml claude_sdk_executor.py /app/
# The runtime imports ADAPTER_MODULE; /app on PYTHONPATH makes that work without the platform injecting it.
ENV ADAPTER_MODULE=adapter \
    PYTHONPATH=/app
