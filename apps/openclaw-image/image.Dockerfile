# The OpenClaw CLI comes from the agent-cli layer (pinned in image.json), on node-runtime's NodeSource Node 22.
# The pre-baked management-MCP npm cache and scoped-registry config, made HOME-independent: the runtime may launch
# `npx --prefer-offline @molecule-ai/mcp-server` under a HOME that is not agent's (HOME=/root has been seen), and
# a per-user ~/.npm and ~/.npmrc would then be missed; these two point every npx at the agent's, whoever runs it.
ENV npm_config_cache=/home/agent/.npm \
    NPM_CONFIG_USERCONFIG=/home/agent/.npmrc
# The openclaw adapter, this template's own: the module ADAPTER_MODULE names, with the Adapter the runtime loads.
COPY adapter.py __init__.py /app/
# Its start-up steps beyond the shared entrypoint's, run by the entrypoint layer's /entrypoint.sh (the
# ENTRYPOINT, set by that layer): as root, OpenClaw's ~/.openclaw given to agent; as agent, the npm token for
# the private @molecule-ai scope.
COPY entrypoint.d/root/50-openclaw-home.sh /entrypoint.d/root/
COPY entrypoint.d/agent/50-npm-gitea-auth.sh /entrypoint.d/agent/
# The runtime imports ADAPTER_MODULE; /app on PYTHONPATH makes that work without the platform injecting it.
ENV ADAPTER_MODULE=adapter \
    PYTHONPATH=/app
