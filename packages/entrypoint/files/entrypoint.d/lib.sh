# shellcheck shell=sh
# Helpers the entrypoint and its root hooks share (sourced, never run): every hook that must touch a path the
# agent can write uses these instead of its own mkdir/chown/cat, so the rule below is written once.
#
# The agent writes /workspace and /home/agent, and /configs and the sessions volume once they are given to it;
# all of them outlive the container, so the agent of an earlier container may have left any link or file there
# (/home/agent/.gitconfig -> /etc/shadow, /workspace/.molecule -> /etc). So root never goes through a link it did
# not make: where it must put a folder or a file it replaces a link instead of following it, it changes owners
# with chown -h or chown -R -P (links themselves), and it never writes into an existing path there, it renames a
# new file over it.
# Assumed: no process of the agent runs during the root phase (in a fresh container the entrypoint is the first
# process, and no other running container writes these volumes). chown -R -P, chown -h and rename follow no
# link even against a concurrent agent; the hard-link check and each test below, with the mkdir or chmod after
# it, would race one.

# The unprivileged user everything is given to, and who the runtime runs as (the agent-user layer's uid 1000).
molecule_agent=agent

say() {
  printf '[entrypoint] %s\n' "$*"
}

# Stops the start (the entrypoint, or the hook that called it) with one line to standard error. Helpers call it
# themselves where a command fails: a caller tests their result (`if ! own_folder ...`), and in a tested command sh
# does not apply set -e, so a failed mkdir or chown would otherwise pass for "left as it is".
fail() {
  printf '[entrypoint] error: %s\n' "$*" >&2
  exit 1
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

# Makes $1 a real folder owned by agent; callers check its parent first. A link there is removed (the link
# only, its target is untouched, so nothing is lost) and a folder made in its place: root must not follow it,
# and the platform's folder must exist. Anything else that is not a folder is the agent's own file: it is left
# as it is and reported, and own_folder returns 1 (the caller says what the start goes on without). A command
# that fails stops the start.
own_folder() {
  if [ -L "$1" ]; then
    own_folder_target=$(readlink "$1")
    rm -f "$1" || fail "could not remove the link $(printable "$1")"
    say "replaced the link $(printable "$1") -> $(printable "$own_folder_target") with a folder"
  fi
  # Without -p: mkdir fails on whatever is already there instead of going through it.
  if [ ! -e "$1" ]; then
    mkdir "$1" || fail "could not make the folder $(printable "$1")"
  fi
  if [ ! -d "$1" ]; then
    say "$(printable "$1") is not a folder; left as it is"
    return 1
  fi
  chown -h "$molecule_agent:$molecule_agent" "$1" || fail "could not give $(printable "$1") to $molecule_agent"
}

# Writes standard input to $1 as a new agent-owned file (mode 644). The file is made by mktemp (O_EXCL, so never
# through a link) beside $1 and renamed over it: a rename replaces a link the agent left at $1, where cp or a
# redirection would write through it. -T: a link to a folder is replaced too, never entered.
put_agent_file() {
  if [ -d "$1" ] && [ ! -L "$1" ]; then
    say "$(printable "$1") is a folder; left as it is"
    return 0
  fi
  put_agent_file_new=$(mktemp "$1.XXXXXX")
  cat >"$put_agent_file_new"
  chown "$molecule_agent:$molecule_agent" "$put_agent_file_new"
  chmod 644 "$put_agent_file_new"
  mv -f -T "$put_agent_file_new" "$1"
}

# Gives the tree at $1 to agent without leaving it. chown -R -P follows no link, the top included, and changes
# each entry relative to its folder's open descriptor, so even a folder swapped for a link mid-walk is not gone
# through. A hard link is another matter: a non-folder with more than one may be a file outside the tree by
# another name (/etc/shadow, where the file system is the same), so such a tree is given entry by entry with
# chown -h, leaving those files to their owner, and each is reported.
give_tree_to_agent() {
  give_tree_linked=$(find -P "$1" ! -type d -links +1 -print)
  if [ -z "$give_tree_linked" ]; then
    chown -R -P "$molecule_agent:$molecule_agent" "$1"
    return 0
  fi
  printf '%s\n' "$give_tree_linked" | tr -c '[:print:]\n' '?' |
    while IFS= read -r path; do say "not given to agent (more than one hard link): $path"; done
  find -P "$1" \( -type d -o -links 1 \) -exec chown -h "$molecule_agent:$molecule_agent" {} +
}
