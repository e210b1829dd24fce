#!/bin/sh
# The image's entrypoint. The agent CLI refuses its unattended mode as root, so this fixes, as root, what only
# root can fix (volume ownership, the sessions link, git's credential helper), then re-executes itself once as
# `agent` (uid 1000) through gosu, starts the token refresh loop and execs molecule-runtime.
# It never prints the value of a secret: the banner says only whether each auth variable is set.
set -eu

agent=agent
agent_home=/home/agent
token_helper=/app/scripts/molecule-git-token-helper.sh
token_refresh=/app/scripts/molecule-gh-token-refresh.sh

say() {
  printf '[entrypoint] %s\n' "$*"
}

# Text the agent chose (file names, link targets) with each control character shown as ?, so that a name
# cannot rewrite the log or the operator's terminal (an escape sequence, a carriage return, a new line).
printable() {
  printf '%s' "$1" | tr -c '[:print:]' '?'
}

# "mode owner:group" of a path, or <missing>.
describe() {
  if [ -e "$1" ]; then
    stat -c '%A %U:%G' "$1"
  else
    echo '<missing>'
  fi
}

banner() {
  say "$(date -u '+%Y-%m-%dT%H:%M:%SZ') uid=$(id -u) gid=$(id -g) user=$(id -un) host=$(uname -n)"
  say "WORKSPACE_ID=${WORKSPACE_ID:-<unset>} PLATFORM_URL=${PLATFORM_URL:-<unset>}"
  configs_files=''
  if [ -d /configs ]; then
    # The agent names these files: NUL-separated, so a new line in a name is one more character to show as ?.
    configs_files=$(find /configs -mindepth 1 -maxdepth 1 -printf '%f\0' | sort -z | tr -c '[:print:]\0' '?' |
      tr '\0' ' ')
    configs_files=${configs_files% }
  fi
  say "/configs $(describe /configs) files: $configs_files"
  say "/workspace $(describe /workspace)"
  for name in CLAUDE_CODE_OAUTH_TOKEN ANTHROPIC_API_KEY ANTHROPIC_AUTH_TOKEN ANTHROPIC_BASE_URL \
    MINIMAX_API_KEY GLM_API_KEY KIMI_API_KEY DEEPSEEK_API_KEY; do
    # The value is only tested, never echoed; an empty value counts as unset.
    if [ -n "$(printenv "$name" || true)" ]; then state='set'; else state='unset'; fi
    say "env $name=$state"
  done
}

fix_configs() {
  # Docker creates the volume root-owned; a root-owned .auth_token once broke peer calls with 401.
  if [ -d /configs ]; then
    chown -R "$agent:$agent" /configs
  fi
}

fix_workspace() {
  mkdir -p /workspace
  chown "$agent:$agent" /workspace
  # A root-owned first entry means a host that maps every file to root (Docker Desktop on Windows): only then is
  # the slow recursive chown worth it, so start-up stays fast on a large workspace.
  first_owner=$(find /workspace -mindepth 1 -maxdepth 1 -printf '%U\n' -quit)
  if [ "$first_owner" = 0 ]; then
    chown -R "$agent:$agent" /workspace
  fi
  # The first attachment upload once failed because this folder did not exist or was root's.
  mkdir -p /workspace/.molecule/chat-uploads
  chown "$agent:$agent" /workspace/.molecule /workspace/.molecule/chat-uploads
}

fix_claude_home() {
  claude="$agent_home/.claude"
  mkdir -p "$claude/session-env"
  # An operator's own settings win: the stub is written only when there is none.
  if [ ! -e "$claude/settings.json" ] && [ ! -L "$claude/settings.json" ]; then
    printf '{\n  "permissions": {\n    "defaultMode": "bypassPermissions"\n  }\n}\n' >"$claude/settings.json"
  fi
  # The platform mounts the sessions volume under root's home. `ln -sf` onto an existing folder or link would
  # nest the new link inside it, so whatever is there is removed first.
  sessions=/root/.claude/sessions
  if [ -d "$sessions" ]; then
    rm -rf "$claude/sessions"
    ln -s "$sessions" "$claude/sessions"
    # Debian's /root is 0700: traversable (not readable) lets uid 1000 follow the link.
    chmod 0711 /root
    chmod go+x /root/.claude
    chown -R "$agent:$agent" "$sessions"
  fi
  chown -R "$agent:$agent" "$claude"
}

configure_git() {
  # Root's global config first, then the same file for the agent, on every start so an image update reaches it.
  if [ -x "$token_helper" ]; then
    git config --file /root/.gitconfig --replace-all credential.https://github.com.helper "$token_helper"
    git config --file /root/.gitconfig credential.https://github.com.useHttpPath true
    cp /root/.gitconfig "$agent_home/.gitconfig"
    chown "$agent:$agent" "$agent_home/.gitconfig"
  fi
}

prepare_token_cache() {
  mkdir -p "$agent_home/.molecule-token-cache"
  chown "$agent:$agent" "$agent_home/.molecule-token-cache"
  chmod 700 "$agent_home/.molecule-token-cache"
}

start_token_refresh() {
  # Detached in its own session with its own log: the runtime never waits on it and never dies with it.
  if [ -x "$token_refresh" ]; then
    # shellcheck disable=SC2016 # "$1" and $? belong to the inner shell
    setsid sh -c 'while :; do
        "$1"
        code=$?
        printf "[entrypoint] %s %s exited with code %s; restarting in 30 s\n" \
          "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$1" "$code"
        sleep 30
      done' token-refresh-loop "$token_refresh" >>"$agent_home/.gh-token-refresh.log" 2>&1 </dev/null &
  fi
}

prime_gh() {
  # On standard input (printf is a shell builtin), so the token never shows in a process list.
  token=${GITHUB_TOKEN:-${GH_TOKEN:-}}
  if [ -n "$token" ] && command -v gh >/dev/null 2>&1; then
    if ! printf '%s\n' "$token" | gh auth login --hostname github.com --with-token >/dev/null 2>&1; then
      say 'gh auth login failed; continuing (the token helper still serves git)'
    fi
  fi
  unset token
}

banner

if [ "$(id -u)" = 0 ]; then
  fix_configs
  fix_workspace
  fix_claude_home
  configure_git
  prepare_token_cache
  # As agent, this script takes the branch below: the re-exec happens exactly once.
  exec gosu "$agent" "$0" "$@"
fi

start_token_refresh
prime_gh
exec molecule-runtime "$@"
