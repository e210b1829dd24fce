# hermes-agent's own installer, run as agent: it installs into ~/.hermes (the agent's venv, Node under
# ~/.hermes/node) and links the `hermes` command into ~/.local/bin; run as root it would land in /root, where
# nothing finds it. --skip-setup: no interactive wizard. The script is saved to a file before it runs: piped into
# bash, a failed download would hand bash an empty script and the step would pass without hermes.
USER agent
WORKDIR /home/agent
RUN installer="$(mktemp)" \
    && curl -fsSL -o "${installer}" https://raw.githubusercontent.com/NousResearch/hermes-agent/main/scripts/install.sh \
    && bash "${installer}" --skip-setup \
    && rm -f "${installer}" \
    && test -x /home/agent/.local/bin/hermes
# The installer links ~/.hermes/hermes-agent/venv/bin/hermes into ~/.local/bin: the one PATH entry hermes needs.
ENV PATH="/home/agent/.local/bin:${PATH}"

# Into the installer's venv: stock upstream hermes-agent at a pinned version, force-reinstalled over whatever the
# installer resolved (the pin, not the installer's floating choice, decides), and the Molecule A2A platform plugin
# from git at a pinned commit, which hermes discovers through its hermes_agent.plugins entry points. The
# installer's venv is made by uv without pip, so ensurepip seeds it first.
ARG HERMES_VERSION=0.19.0 \
    HERMES_PLATFORM_MOLECULE_A2A_REF=93d43d772470eb3ddc781858dc5629f3464eed99
RUN /home/agent/.hermes/hermes-agent/venv/bin/python3 -m ensurepip --upgrade \
    && /home/agent/.hermes/hermes-agent/venv/bin/python3 -m pip install --no-cache-dir --force-reinstall \
        "hermes-agent==${HERMES_VERSION}" \
    && /home/agent/.hermes/hermes-agent/venv/bin/python3 -m pip install --no-cache-dir \
        "git+https://git.moleculesai.app/molecule-ai/hermes-platform-molecule-a2a.git@${HERMES_PLATFORM_MOLECULE_A2A_REF}#egg=hermes-platform-molecule-a2a"

# The management MCP server pre-baked into the agent's npm cache by the runtime's own helper (it pins the server and
# checks the bake offline), with the Node the installer put under ~/.hermes: hermes has no global node, so the
# mcp-prebake layer (which runs before this fragment and needs one) cannot do it; MOLECULE_PREBAKE_NODE_BIN is the
# helper's own switch for that. The helper's path is resolved first so a runtime without it fails saying so.
RUN helper="$(python3 -c 'import os, molecule_runtime; print(os.path.join(os.path.dirname(molecule_runtime.__file__), "scripts", "prebake-mgmt-mcp.sh"))')" \
    && if [ ! -f "${helper}" ]; then echo "hermes-image: the runtime ships no ${helper}, the MCP pre-bake this image runs" >&2; exit 1; fi \
    && MOLECULE_PREBAKE_NODE_BIN=/home/agent/.hermes/node/bin bash "${helper}"

# Root again, in /app, as the original ends: the entrypoint's root phase runs first and drops to agent itself.
# hadolint ignore=DL3002 # the layer contract: root until the entrypoint, which drops to agent with gosu after its root phase.
USER root
WORKDIR /app

# The files come after the installs, so an edit of the adapter or the hook re-runs no install (cache order).
# The hermes adapter, this template's own: the module ADAPTER_MODULE names, a bridge to the hermes gateway's API.
COPY adapter.py __init__.py /app/
# hermes's state folder and persona, prepared as agent before the runtime starts (entrypoint layer's hooks).
COPY entrypoint.d/agent/50-hermes-home.sh /entrypoint.d/agent/

# The runtime imports ADAPTER_MODULE; /app on PYTHONPATH makes that work without the platform injecting it. The rest
# are the original's: where the gateway's API server listens (the adapter's HERMES_API_BASE) and the A2A platform
# plugin's listener and callback.
ENV ADAPTER_MODULE=adapter \
    PYTHONPATH=/app \
    HERMES_API_BASE=http://127.0.0.1:8642/v1 \
    API_SERVER_ENABLED=true \
    API_SERVER_HOST=127.0.0.1 \
    API_SERVER_PORT=8642 \
    MOLECULE_A2A_PLATFORM_ENABLED=true \
    MOLECULE_A2A_PLATFORM_HOST=127.0.0.1 \
    MOLECULE_A2A_PLATFORM_PORT=8645 \
    MOLECULE_A2A_CALLBACK_HOST=127.0.0.1 \
    MOLECULE_A2A_CALLBACK_PORT=8646
