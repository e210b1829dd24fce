# MCP servers pre-installed into the agent's npm caches at build time. The runtime launches each with
# `npx --prefer-offline <package>@<version>` in a start-up step with a hard deadline; from a cold cache npx pulls
# the whole dependency tree first, and a slow or throttled registry then fails that step. From a warm cache it
# starts at once, and --prefer-offline keeps the registry as the fallback if the cache ever misses.
#
# inline (gemini-cli's block): for each package, `npm install` into a throwaway folder fills the content cache
# (~/.npm/_cacache); that folder is deleted before npx runs, from /, so that npx builds its own run cache
# (~/.npm/_npx) and caches the packument instead of running the throwaway copy; `npx --offline` then needs both,
# and nothing is installed globally or put on PATH. runtime-helper (codex's, hermes's, openclaw's): the runtime
# ships the bake and its pinned version (molecule_runtime/scripts/prebake-mgmt-mcp.sh) and checks it itself.
# MCP_SERVER_PACKAGES, each item: <npm package>@<exact version>, and after `=` a tool its tools/list must name
# (optional). MCP_NPM_SCOPE_REGISTRY: <@scope>=<registry URL>, written to the agent's ~/.npmrc; empty: the default
# registry for every package. MCP_CHECK_ENV: variables the servers are started with for the checks (NAME=value,
# separated by spaces). One ARG instruction for the four: the legacy builder commits each instruction as a step.
ARG MCP_PREBAKE_MODE=inline \
    MCP_SERVER_PACKAGES=@molecule-ai/mcp-server@1.7.0=provision_workspace \
    MCP_NPM_SCOPE_REGISTRY=@molecule-ai=https://git.moleculesai.app/api/packages/molecule-ai/npm/ \
    MCP_CHECK_ENV=MOLECULE_MCP_MODE=management
# As agent, so the caches land in the /home/agent/.npm the runtime reads once the entrypoint has dropped to agent,
# owned by agent; root again afterwards, the user every later layer and the entrypoint expect.
USER agent
# The checks' verdict is what the server answers, read by node from a file: its exit status is not (a server may
# exit non-zero, or be stopped by the time limit, once its input ends), so it is recorded and reported, not tested.
# hadolint ignore=DL3003,DL3016 # each cd is in a subshell, into a throwaway folder or /, which WORKDIR would make the image's; the versions are pinned by MCP_SERVER_PACKAGES's pattern (<package>@<x.y.z>).
RUN set -eu; \
    case "${MCP_PREBAKE_MODE}" in \
    inline) \
        mkdir -p "${HOME}/.npm"; \
        if [ -n "${MCP_NPM_SCOPE_REGISTRY}" ]; then \
            printf '%s:registry=%s\n' "${MCP_NPM_SCOPE_REGISTRY%%=*}" "${MCP_NPM_SCOPE_REGISTRY#*=}" > "${HOME}/.npmrc"; \
        fi; \
        check="$(mktemp -d)"; \
        printf '%s\n%s\n' \
            '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2024-11-05","capabilities":{},"clientInfo":{"name":"mcp-prebake","version":"1"}}}' \
            '{"jsonrpc":"2.0","id":2,"method":"tools/list","params":{}}' > "${check}/requests"; \
        for item in ${MCP_SERVER_PACKAGES}; do \
            package="${item%%=*}"; \
            tool=""; \
            case "${item}" in *=*) tool="${item#*=}" ;; esac; \
            warm="$(mktemp -d)"; \
            (cd "${warm}" && npm init -y > /dev/null && npm install --no-audit --no-fund --loglevel=error "${package}"); \
            rm -rf "${warm}"; \
            status=0; \
            (cd / && env ${MCP_CHECK_ENV} timeout 60 npx -y --prefer-offline "${package}" < "${check}/requests" > /dev/null 2>&1) || status=$?; \
            echo "mcp-prebake: ${package} run once from / to fill npx's cache (exit ${status})"; \
            status=0; \
            (cd / && env ${MCP_CHECK_ENV} timeout 60 npx -y --offline "${package}" < "${check}/requests" > "${check}/out" 2> "${check}/err") || status=$?; \
            if ! node -e 'const [file, want] = process.argv.slice(1); for (const line of require("fs").readFileSync(file, "utf8").split("\n")) { let m; try { m = JSON.parse(line); } catch { continue; } if (m.id !== 2) continue; const names = ((m.result || {}).tools || []).map((t) => t.name); if (names.length && (!want || names.includes(want))) { console.log("tools: " + names.join(" ")); process.exit(0); } console.error("its tools/list answered " + (names.join(", ") || JSON.stringify(m)) + (want ? ", without " + want : "")); process.exit(1); } console.error("it gave no answer to tools/list"); process.exit(1);' "${check}/out" "${tool}"; then \
                echo "mcp-prebake: ${package} does not start offline from the agent's npm cache (npx --offline exited ${status}); its stderr:" >&2; \
                cat "${check}/err" >&2; \
                exit 1; \
            fi; \
        done; \
        rm -rf "${check}" ;; \
    runtime-helper) \
        if ! helper="$(python3 -c 'import os, molecule_runtime; print(os.path.join(os.path.dirname(molecule_runtime.__file__), "scripts", "prebake-mgmt-mcp.sh"))')"; then \
            echo "mcp-prebake: MCP_PREBAKE_MODE=runtime-helper runs the runtime's own bake, but molecule_runtime does not import: list python-runtime before mcp-prebake in image.json" >&2; \
            exit 1; \
        fi; \
        if [ ! -f "${helper}" ]; then \
            echo "mcp-prebake: this runtime ships no ${helper}: use MCP_PREBAKE_MODE=inline, or a runtime version that has it" >&2; \
            exit 1; \
        fi; \
        bash "${helper}" ;; \
    *) \
        echo "mcp-prebake: MCP_PREBAKE_MODE is '${MCP_PREBAKE_MODE}'; it takes inline or runtime-helper" >&2; \
        exit 1 ;; \
    esac
# hadolint ignore=DL3002 # the layer contract: root until the entrypoint, which drops to agent with gosu after its root phase.
USER root
