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

# The root phase. The agent writes /workspace and /home/agent, and /configs and the sessions volume once they
# are given to it; all of them outlive the container, so the agent of an earlier container may have left any
# link or file there (/home/agent/.gitconfig -> /etc/shadow, /workspace/.molecule -> /etc). So root never goes
# through a link it did not make: where it must put a folder or a file it replaces a link instead of following
# it, it changes owners with chown -h or chown -R -P (links themselves), and it never writes into an existing
# path there, it renames a new file over it.
# Assumed: no process of the agent runs during this phase (in a fresh container this script is the first
# process, and no other running container writes these volumes). chown -R -P, chown -h and rename follow no
# link even against a concurrent agent; the hard-link check and each test below, with the mkdir or chmod after
# it, would race one.

# Makes $1 a real folder owned by agent; callers check its parent first. A link there is removed (the link
# only, its target is untouched, so nothing is lost) and a folder made in its place: root must not follow it,
# and the platform's folder must exist. Anything else that is not a folder is the agent's own file: it is left
# as it is and reported, and the start goes on. Fails when $1 ends up not being a folder.
own_folder() {
  if [ -L "$1" ]; then
    target=$(readlink "$1")
    rm -f "$1"
    say "replaced the link $(printable "$1") -> $(printable "$target") with a folder"
  fi
  # Without -p: mkdir fails on whatever is already there instead of going through it.
  if [ ! -e "$1" ]; then
    mkdir "$1"
  fi
  if [ ! -d "$1" ]; then
    say "$(printable "$1") is not a folder; left as it is"
    return 1
  fi
  chown -h "$agent:$agent" "$1"
}

# Writes standard input to $1 as a new agent-owned file (mode 644). The file is made by mktemp (O_EXCL, so never
# through a link) beside $1 and renamed over it: a rename replaces a link the agent left at $1, where cp or a
# redirection would write through it. -T: a link to a folder is replaced too, never entered.
put_agent_file() {
  if [ -d "$1" ] && [ ! -L "$1" ]; then
    say "$(printable "$1") is a folder; left as it is"
    return 0
  fi
  new=$(mktemp "$1.XXXXXX")
  cat >"$new"
  chown "$agent:$agent" "$new"
  chmod 644 "$new"
  mv -f -T "$new" "$1"
}

# Gives the tree at $1 to agent without leaving it. chown -R -P follows no link, the top included, and changes
# each entry relative to its folder's open descriptor, so even a folder swapped for a link mid-walk is not gone
# through. A hard link is another matter: a non-folder with more than one may be a file outside the tree by
# another name (/etc/shadow, where the file system is the same), so such a tree is given entry by entry with
# chown -h, leaving those files to their owner, and each is reported.
give_tree_to_agent() {
  linked=$(find -P "$1" ! -type d -links +1 -print)
  if [ -z "$linked" ]; then
    chown -R -P "$agent:$agent" "$1"
    return 0
  fi
  printf '%s\n' "$linked" | tr -c '[:print:]\n' '?' |
    while IFS= read -r path; do say "not given to agent (more than one hard link): $path"; done
  find -P "$1" \( -type d -o -links 1 \) -exec chown -h "$agent:$agent" {} +
}

fix_configs() {
  # Docker creates the volume root-owned; a root-owned .auth_token once broke peer calls with 401.
  if [ -d /configs ]; then
    give_tree_to_agent /configs
  fi
}

fix_workspace() {
  mkdir -p /workspace
  chown -h "$agent:$agent" /workspace
  # A root-owned first entry means a host that maps every file to root (Docker Desktop on Windows): only then is
  # the slow recursive chown worth it, so start-up stays fast on a large workspace.
  first_owner=$(find /workspace -mindepth 1 -maxdepth 1 -printf '%U\n' -quit)
  if [ "$first_owner" = 0 ]; then
    give_tree_to_agent /workspace
  fi
  # The first attachment upload once failed because this folder did not exist or was root's.
  if own_folder /workspace/.molecule; then
    own_folder /workspace/.molecule/chat-uploads || true # reported; the start goes on
  fi
}

fix_claude_home() {
  # The platform mounts the sessions volume under root's home. Debian's /root is 0700: traversable (not
  # readable) lets uid 1000 follow the link made below.
  sessions=/root/.claude/sessions
  if [ -d "$sessions" ]; then
    chmod 0711 /root
    chmod go+x /root/.claude
    give_tree_to_agent "$sessions"
  fi

  claude="$agent_home/.claude"
  if ! own_folder "$claude"; then
    return 0 # reported; the start goes on without the CLI's folder
  fi
  own_folder "$claude/session-env" || true
  # An operator's own settings win: the stub is written only when there is none (a link there is left alone).
  if [ ! -e "$claude/settings.json" ] && [ ! -L "$claude/settings.json" ]; then
    printf '{\n  "permissions": {\n    "defaultMode": "bypassPermissions"\n  }\n}\n' |
      put_agent_file "$claude/settings.json"
  fi
  # `ln -sf` onto an existing folder or link would nest the new link inside it, so whatever is there is removed
  # first: inside a real .claude, so rm removes a link itself, never what it points to.
  if [ -d "$sessions" ]; then
    rm -rf "$claude/sessions"
    ln -s "$sessions" "$claude/sessions"
  fi
  give_tree_to_agent "$claude"
}

configure_git() {
  # Root's global config first, then the same file for the agent, on every start so an image update reaches it.
  if [ -x "$token_helper" ]; then
    git config --file /root/.gitconfig --replace-all credential.https://github.com.helper "$token_helper"
    git config --file /root/.gitconfig credential.https://github.com.useHttpPath true
    put_agent_file "$agent_home/.gitconfig" </root/.gitconfig
  fi
}

prepare_token_cache() {
  if own_folder "$agent_home/.molecule-token-cache"; then
    # A real folder now (own_folder replaced any link), so chmod, which follows links, changes only it.
    chmod 700 "$agent_home/.molecule-token-cache"
  fi
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
  # On standard input (printf is a shell builtin), so the token never shows in a process list. Bounded in time
  # (SIGKILL 5 s after SIGTERM): the runtime starts after it, and a GitHub that never answers must not stop that.
  token=${GITHUB_TOKEN:-${GH_TOKEN:-}}
  if [ -n "$token" ] && command -v gh >/dev/null 2>&1; then
    if ! printf '%s\n' "$token" |
      timeout --kill-after=5 20 gh auth login --hostname github.com --with-token >/dev/null 2>&1; then
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
