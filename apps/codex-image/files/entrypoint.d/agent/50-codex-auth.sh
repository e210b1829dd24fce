#!/bin/sh
# Entrypoint hook (agent phase, codex image): the Codex CLI must be there, and a ChatGPT/Codex subscription
# sign-in handed in as CODEX_AUTH_JSON (or its older name CODEX_CHATGPT_AUTH_JSON) becomes ~/.codex/auth.json,
# as the original's start.sh did. It runs as agent, after the secrets loader: the platform delivers that
# multi-line JSON through /configs/secrets.d, and the file is the agent's own.
set -eu

say() {
  printf '[codex] %s\n' "$*"
}

# The runtime drives codex for every turn: without it the workspace could only answer errors.
if ! command -v codex >/dev/null 2>&1; then
  echo "[codex] codex is not on PATH: the image was built without the agent-cli layer's install; rebuild it" >&2
  exit 1
fi
say "codex installed: $(codex --version 2>&1 || echo unknown)"

codex_home=${CODEX_HOME:-$HOME/.codex}
# codex keeps its threads and sign-in there: a start without it would fail every turn much later, and less clearly.
if ! mkdir -p "$codex_home" 2>/dev/null || [ ! -w "$codex_home" ]; then
  echo "[codex] $codex_home is not a folder agent can write (the root hook reported what is there): remove it from the home volume and start again" >&2
  exit 1
fi

# CODEX_AUTH_JSON wins over the alias, so a newer secret shadows a stale one.
auth_blob=${CODEX_AUTH_JSON:-${CODEX_CHATGPT_AUTH_JSON:-}}
if [ -n "$auth_blob" ]; then
  # A new private file renamed over the old one: readers never see half of it, nor another mode.
  new=$(mktemp "$codex_home/auth.json.XXXXXX")
  chmod 600 "$new"
  printf '%s' "$auth_blob" >"$new"
  mv -f "$new" "$codex_home/auth.json"
  # The container has no OS keyring: codex must read the file, and sign in with it rather than an API key.
  config="$codex_home/config.toml"
  touch "$config"
  if ! grep -qE '^[[:space:]]*cli_auth_credentials_store[[:space:]]*=' "$config"; then
    printf 'cli_auth_credentials_store = "file"\n' >>"$config"
  fi
  if ! grep -qE '^[[:space:]]*forced_login_method[[:space:]]*=' "$config"; then
    printf 'forced_login_method = "chatgpt"\n' >>"$config"
  fi
  say "wrote $codex_home/auth.json (0600) from the subscription sign-in; config.toml reads it from the file"
fi

if [ -z "${OPENAI_API_KEY:-}" ] && [ -z "${MINIMAX_API_KEY:-}" ] && [ ! -s "$codex_home/auth.json" ]; then
  say "WARN: no OPENAI_API_KEY, MINIMAX_API_KEY, nor $codex_home/auth.json: every codex turn will fail to sign in" >&2
fi
