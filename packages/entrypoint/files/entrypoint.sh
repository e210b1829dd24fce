#!/bin/sh
# shellcheck source-path=SCRIPTDIR
# The one entrypoint every image shares. Agent CLIs refuse their unattended mode as root, so this fixes, as
# root, what only root can fix (the volumes' owners), runs the image's root hooks, then re-executes itself once
# as `agent` (uid 1000) through gosu, loads the workspace secrets when the image asks for it, runs the agent
# hooks and execs the runtime with its arguments. It never prints the value of a secret: the banner says only
# whether each auth variable is set.
#
# Configured by the entrypoint layer's options, which its fragment turns into ENV (never edited per image):
#   MOLECULE_ENTRYPOINT_RUNTIME         the runtime command, words separated by spaces (molecule-runtime)
#   MOLECULE_ENTRYPOINT_AUTH_VARIABLES  the names the banner reports as set or unset
#   MOLECULE_ENTRYPOINT_SECRETS_LOADER  true: source /configs/secrets.d/load.sh, as agent, before the agent hooks
#
# Hooks: /entrypoint.d/root/*.sh run as root before the drop, /entrypoint.d/agent/*.sh as agent before the
# exec, each in byte order of its name, each as its own process (a hook cannot change this script's state).
# Every hook runs or the container does not start: a folder or hook that is not root's alone (a link, another
# owner, writable by group or others), a hook that is not executable, and a hook that fails all stop the start
# with a line naming it. A hook left out would start a workspace without its setup (no git credentials, a
# root-owned token), which shows up later as a far less clear failure; an agent-writable root hook would be
# root for the agent.
set -eu

hooks_dir=/entrypoint.d

# Before anything is sourced or run as root, and with no helper yet: one line to standard error, then exit.
die() {
  printf '[entrypoint] error: %s\n' "$1" >&2
  exit "${2:-1}"
}

# Succeeds when $1 is root's alone: not a link, a folder (type d) or a regular file (type f) as $2 says, owned by
# uid 0 and writable by no group or other. Else sets $untrusted_why and fails. Only root can then change it or,
# for a folder, what is in it: so what is checked here is what runs.
trusted() {
  if [ -L "$1" ]; then
    untrusted_target=$(readlink "$1")
    untrusted_why="is a symbolic link (to $(printf '%s' "$untrusted_target" | tr -c '[:print:]' '?'))"
    return 1
  fi
  if [ "$2" = d ] && [ ! -d "$1" ]; then
    untrusted_why='is not a folder'
    return 1
  fi
  if [ "$2" = f ] && [ ! -f "$1" ]; then
    untrusted_why='is not a regular file'
    return 1
  fi
  trusted_stat=$(stat -c '%u %a %U' "$1")
  trusted_uid=${trusted_stat%% *}
  trusted_mode=${trusted_stat#* }
  trusted_mode=${trusted_mode%% *}
  if [ "$trusted_uid" != 0 ]; then
    untrusted_why="is owned by ${trusted_stat##* } (uid $trusted_uid), not root"
    return 1
  fi
  if [ $((0$trusted_mode & 022)) -ne 0 ]; then
    untrusted_why="is writable by its group or others (mode $trusted_mode)"
    return 1
  fi
}

# The helpers (say, own_folder, give_tree_to_agent, ...) come from the hooks folder, checked like a hook first.
for path in / "$hooks_dir" "$hooks_dir/lib.sh"; do
  if [ "$(id -u)" = 0 ] && ! trusted "$path" "$([ "$path" = "$hooks_dir/lib.sh" ] && echo f || echo d)"; then
    die "$path $untrusted_why; refusing to run it as root. Rebuild the image: the entrypoint layer installs it root-owned, mode 755 or 644."
  fi
done
# shellcheck source=entrypoint.d/lib.sh
. "$hooks_dir/lib.sh"

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
  # The platform's bearer token: its owner is what a 401 on peer calls comes down to (never its content).
  if [ -e /configs/.auth_token ] || [ -L /configs/.auth_token ]; then
    say "/configs/.auth_token $(stat -c '%A %U:%G uid=%u' /configs/.auth_token)"
  else
    say '/configs/.auth_token <not yet issued>'
  fi
  say "/workspace $(describe /workspace)"
  # Names only, one word each (set -f: a name is never a glob).
  set -f
  for name in ${MOLECULE_ENTRYPOINT_AUTH_VARIABLES:-}; do
    case $name in
      [!A-Za-z_]* | *[!A-Za-z0-9_]*)
        say "env $(printable "$name"): not a variable name; fix the AUTH_VARIABLES option"
        continue
        ;;
    esac
    # The value is only tested, never echoed; an empty value counts as unset.
    # printenv fails for an unset name: that, and an empty value, are both "unset".
    state='unset'
    if value=$(printenv "$name") && [ -n "$value" ]; then state='set'; fi
    say "env $name=$state"
  done
  set +f
}

fix_configs() {
  # Docker creates the volume root-owned; a root-owned .auth_token once broke peer calls with 401.
  if [ -d /configs ]; then
    give_tree_to_agent /configs
  fi
}

fix_workspace() {
  mkdir -p /workspace
  chown -h "$molecule_agent:$molecule_agent" /workspace
  # A root-owned first entry means a host that maps every file to root (Docker Desktop on Windows): only then is
  # the slow recursive chown worth it, so start-up stays fast on a large workspace.
  first_owner=$(find /workspace -mindepth 1 -maxdepth 1 -printf '%U\n' -quit)
  if [ "$first_owner" = 0 ]; then
    give_tree_to_agent /workspace
  fi
  # The first attachment upload once failed because this folder did not exist or was root's.
  if own_folder /workspace/.molecule; then
    own_folder /workspace/.molecule/chat-uploads || say "the start goes on without chat-uploads; uploads will fail"
  fi
}

# Runs the hooks of phase $1 (root or agent): see the header for what stops the start, and why.
run_hooks() {
  folder="$hooks_dir/$1"
  if [ ! -e "$folder" ] && [ ! -L "$folder" ]; then
    return 0 # an image without hooks of this phase
  fi
  trusted "$folder" d || die "hook folder $folder $untrusted_why; refusing to run its hooks. Rebuild the image: the entrypoint layer makes it root-owned, mode 755."
  # Byte order whatever the locale; names are the image author's (the folder is root's), one a line, split on
  # new lines only and never globbed.
  names=$(find "$folder" -mindepth 1 -maxdepth 1 -printf '%f\n' | LC_ALL=C sort)
  set -f
  saved_ifs=$IFS
  IFS='
'
  for name in $names; do
    hook="$folder/$name"
    case $name in
      *[!A-Za-z0-9._-]*) die "hook $(printable "$hook"): only letters, digits, '.', '_' and '-' make a hook name; rename it" ;;
      .*) say "not a hook (a dot file), skipped: $hook" && continue ;;
      *.sh) ;;
      *) say "not a hook (not *.sh), skipped: $hook" && continue ;;
    esac
    trusted "$hook" f || die "hook $hook $untrusted_why; refusing to run it. Ship hooks root-owned, mode 755 (COPY keeps the mode committed in git)."
    [ -x "$hook" ] || die "hook $hook is not executable; refusing to start without it. Commit it executable: git add --chmod=+x."
    say "hook $1/$name"
    code=0
    "$hook" || code=$?
    [ "$code" = 0 ] || die "hook $1/$name failed with exit code $code; the container does not start without it" "$code"
  done
  IFS=$saved_ifs
  set +f
}

load_secrets() {
  case ${MOLECULE_ENTRYPOINT_SECRETS_LOADER:-false} in
    false) return 0 ;;
    true) ;;
    *) die "MOLECULE_ENTRYPOINT_SECRETS_LOADER is '$(printable "$MOLECULE_ENTRYPOINT_SECRETS_LOADER")'; set it to true or false" ;;
  esac
  # The platform writes this into the /configs volume, which is the agent's: sourced as agent only, never as
  # root (an agent-writable file sourced by root would be root for the agent). It exports for the runtime.
  if [ -f /configs/secrets.d/load.sh ]; then
    say 'loading /configs/secrets.d/load.sh'
    set +eu
    # shellcheck source=/dev/null # written by the platform at run time
    . /configs/secrets.d/load.sh
    set -eu
  fi
}

if [ "$(id -u)" = 0 ]; then
  banner
  fix_configs
  fix_workspace
  run_hooks root
  # gosu to a uid 0 would run this branch again, forever: the drop must land on another user.
  [ "$(id -u "$molecule_agent")" != 0 ] || die "user $molecule_agent has uid 0; the entrypoint drops to an unprivileged user"
  # As agent, this script takes the branch below: the re-exec happens exactly once.
  exec gosu "$molecule_agent" "$0" "$@"
fi

load_secrets
banner
run_hooks agent
[ -n "${MOLECULE_ENTRYPOINT_RUNTIME:-}" ] || die 'MOLECULE_ENTRYPOINT_RUNTIME is empty: the entrypoint layer sets it (option RUNTIME_COMMAND)'
set -f
# shellcheck disable=SC2086 # the runtime command is a list of words, each one word (the option's items)
exec $MOLECULE_ENTRYPOINT_RUNTIME "$@"
