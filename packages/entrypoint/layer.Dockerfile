# Root-owned folders, mode 755, before anything is copied into them: the entrypoint refuses to run hooks from a
# folder or file the agent could write. Layers and the image COPY their hooks into root/ and agent/.
RUN mkdir -m 0755 /entrypoint.d /entrypoint.d/root /entrypoint.d/agent
# The helpers hooks source (own_folder, put_agent_file, give_tree_to_agent), and the script itself.
COPY entrypoint.d/lib.sh /entrypoint.d/lib.sh
COPY entrypoint.sh /entrypoint.sh
# The options reach the one script as ENV, so no image carries its own copy of it. List items are one word each.
# One ARG instruction for the three: the legacy builder commits each instruction as a step, hit or miss.
# hadolint ignore=DL3064 # AUTH_VARIABLES lists names, and SECRETS_LOADER is an on/off switch named after what it loads: no secret value
ARG RUNTIME_COMMAND="molecule-runtime" \
    AUTH_VARIABLES="CLAUDE_CODE_OAUTH_TOKEN ANTHROPIC_API_KEY ANTHROPIC_AUTH_TOKEN ANTHROPIC_BASE_URL MINIMAX_API_KEY GLM_API_KEY KIMI_API_KEY DEEPSEEK_API_KEY" \
    SECRETS_LOADER=false
# hadolint ignore=DL3064 # the same switch, no secret value
ENV MOLECULE_ENTRYPOINT_RUNTIME="${RUNTIME_COMMAND}" \
    MOLECULE_ENTRYPOINT_AUTH_VARIABLES="${AUTH_VARIABLES}" \
    MOLECULE_ENTRYPOINT_SECRETS_LOADER="${SECRETS_LOADER}"
# This layer's manifest says "entrypoint": true: it alone sets ENTRYPOINT, and the image's fragment may not.
ENTRYPOINT ["/entrypoint.sh"]
