#!/usr/bin/env bash
# What image tests need, brought up idempotently: Debian's docker.io engine with its own data root, and a
# local Debian trixie base image made with debootstrap (this machine reaches no container registry).
#
#   image-test-env.sh start    install what is missing (as root), start the engine, import the base (cached)
#   image-test-env.sh stop     stop the engine this script started (the data root and base stay cached)
#   image-test-env.sh status   exit 0 when the engine answers and the base image is there, 3 otherwise
#   image-test-env.sh env      print DOCKER_HOST=..., IMAGE_TEST_BASE=... (and what the base adds) for the harness
#
# State lives in .image-test/ (git-ignored), or in $IMAGE_TEST_DIR: docker/ is the engine's data root, base/ the
# debootstrap tarball. The engine's sockets live under /run (a unix socket path must stay under 108 bytes).
# IMAGE_TEST_DOCKER_HOST=unix:///path uses an engine you run yourself: start then only makes the base on it.
set -Eeuo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
state=${IMAGE_TEST_DIR:-$root/.image-test}
run_dir=/run/image-layers-$(printf '%s' "$state" | sha256sum | cut -c1-12)
pidfile=$run_dir/dockerd.pid
log_file=$state/dockerd.log

# The base: what python:3.11-slim gives the layers (Debian trixie, python3, pip, CA certificates), plus
# python3-yaml, which the real image gets from pip with the runtime and the adapter's image test needs.
# The suite is the real base's: python:3.11-slim has been built on trixie since trixie's release (August 2025), and
# what the layers install from Debian comes from that suite (Node 20 from trixie's nodejs; bookworm's is 18, on which
# the gemini CLI does not start), so a bookworm base would test other packages than the image ships.
readonly suite=trixie
# The Debian mirror this host's apt uses (deb822 or one-line sources), so the base reaches what the host reaches;
# empty lets debootstrap take its default.
# Each source is read only when it exists: under `set -o pipefail` a failed glob or a missing file would end the
# script right here, silently, before the one-line fallback could run.
host_mirror() {
  local file found=
  for file in /etc/apt/sources.list.d/*.sources; do
    if [[ -z $found && -f $file ]]; then
      found=$(awk '$1 == "URIs:" && $2 !~ /security/ { print $2; exit }' "$file")
    fi
  done
  if [[ -z $found && -f /etc/apt/sources.list ]]; then
    found=$(awk '$1 == "deb" && $0 !~ /security/ { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; exit } }' /etc/apt/sources.list)
  fi
  printf '%s' "$found"
}
mirror=$(host_mirror)
readonly mirror
# What the base adds beyond python:3.11-slim, said in every image test's output (`env` prints it). The package list
# reads the same as before this was split out, so the recipe (and the base's tag) is unchanged.
readonly base_adds=python3-yaml
readonly base_packages=python3,python3-pip,$base_adds,ca-certificates
# The base trusts what this host trusts: certificates added under /usr/local/share/ca-certificates (a
# TLS-inspecting egress proxy's, say) are added to it, and node (npm), which keeps its own roots, is pointed at
# the system bundle (NODE_EXTRA_CA_CERTS), so a build reaches npm's registry as the host does.
readonly host_cas=/usr/local/share/ca-certificates
# A host without the folder adds none (find on a missing folder would fail the pipeline, and with it the script).
host_ca_files() {
  if [[ -d $host_cas ]]; then find "$host_cas" -maxdepth 1 -name '*.crt' -type f | sort; fi
}
# A change to the recipe (this line, the packages, the tweaks below, the host's added certificates) gives a new
# tag, so a stale base is never used.
recipe_id=$( (
  printf '%s\n' "$suite $mirror $base_packages slim-v3"
  host_ca_files | while read -r file; do sha256sum "$file"; done
) | sha256sum | cut -c1-12)
readonly base_image=image-layers-test/base:$suite-$recipe_id
readonly base_tar=$state/base/$suite-$recipe_id.tar

if [[ -n ${IMAGE_TEST_DOCKER_HOST:-} ]]; then
  docker_host=$IMAGE_TEST_DOCKER_HOST
  own_engine=false
else
  docker_host=unix://$run_dir/docker.sock
  own_engine=true
fi

say() { printf '[image-test-env] %s\n' "$*"; }
fail() {
  printf '[image-test-env] error: %s\n' "$*" >&2
  exit 1
}
docker_cli() { DOCKER_HOST=$docker_host docker "$@"; }
engine_answers() { docker_cli version --format '{{.Server.Version}}' >/dev/null 2>&1; }
base_present() { docker_cli image inspect "$base_image" >/dev/null 2>&1; }

as_root_or_explain() {
  if [[ $(id -u) -ne 0 ]]; then
    fail "$1 needs root: run \`sudo $0 start\` (it installs Debian's docker.io and debootstrap, starts an engine with its own data root and makes the base), or set IMAGE_TEST_DOCKER_HOST to an engine you run"
  fi
}

install_tools() {
  local missing=()
  if [[ $own_engine == true ]] && ! command -v dockerd >/dev/null 2>&1; then missing+=(docker.io); fi
  command -v docker >/dev/null 2>&1 || missing+=(docker.io)
  if ! base_present && [[ ! -f $base_tar ]]; then
    command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
  fi
  command -v flock >/dev/null 2>&1 || missing+=(util-linux)
  if ((${#missing[@]} == 0)); then return; fi
  mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
  as_root_or_explain "installing ${missing[*]}"
  say "installing from Debian: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Unmounts what a stopped or crashed dockerd left mounted under a folder (its network namespace, say).
unmount_under() {
  local point
  awk -v dir="$1" '$5 == dir || index($5, dir "/") == 1 { print $5 }' /proc/self/mountinfo | sort -r |
    while read -r point; do umount --lazy "$point" || :; done
}

# Starts dockerd with one storage driver; fails (returns 1) if it exits before answering.
launch_dockerd() {
  local driver=$1 pid
  if [[ -f $pidfile ]] && ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then rm -f "$pidfile"; fi
  unmount_under "$run_dir"
  mkdir -p "$state/docker" "$run_dir"
  say "starting dockerd (storage driver $driver, data root $state/docker, log $log_file)"
  # No iptables and no bridge: builds and containers use the host's network (--network host), the only one here.
  # fd 9 (the lock) is closed so the engine does not hold it for its whole life.
  setsid dockerd \
    --data-root "$state/docker" \
    --exec-root "$run_dir/exec" \
    --pidfile "$pidfile" \
    --host "$docker_host" \
    --storage-driver "$driver" \
    --iptables=false \
    --ip-masq=false \
    --bridge=none \
    >>"$log_file" 2>&1 </dev/null 9>&- &
  pid=$!
  for _ in $(seq 1 120); do
    if engine_answers; then
      say "engine ready at $docker_host"
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      say "dockerd exited while starting with storage driver $driver; the end of $log_file:"
      tail -n 5 "$log_file" >&2 || :
      return 1
    fi
    sleep 0.5
  done
  fail "dockerd did not answer within 60 s; its log is $log_file"
}

# IMAGE_TEST_STORAGE_DRIVER: vfs works on any file system but copies the whole root file system at every build
# step (about a minute a step for the app's 1 GB image on 2 cores); overlay2 shares layers. `auto` (the default)
# takes overlay2 where the kernel and the data root's file system support it, else vfs.
start_engine() {
  if engine_answers; then
    say "engine already running at $docker_host"
    return
  fi
  if [[ $own_engine == false ]]; then
    fail "no engine answers at IMAGE_TEST_DOCKER_HOST=$docker_host: start it, or unset IMAGE_TEST_DOCKER_HOST to let this script start one"
  fi
  as_root_or_explain 'starting the Docker engine'
  local driver=${IMAGE_TEST_STORAGE_DRIVER:-auto}
  case $driver in
    auto)
      launch_dockerd overlay2 || launch_dockerd vfs || fail "dockerd could not start; its log is $log_file"
      ;;
    *)
      launch_dockerd "$driver" || fail "dockerd could not start with storage driver $driver; its log is $log_file"
      ;;
  esac
}

# A minimal root like the official slim images: no docs or man pages (dpkg path excludes) and a
# policy-rc.d so that package installs never try to start services inside a build.
make_base_tar() {
  as_root_or_explain 'making the base image with debootstrap'
  local rootfs=$state/base/rootfs.tmp started=$SECONDS
  # A debootstrap that failed half-way may leave its /proc mounted in the root: never delete through it.
  unmount_under "$rootfs"
  rm -rf "$rootfs"
  mkdir -p "$rootfs/etc/dpkg/dpkg.cfg.d"
  printf '%s\n' 'path-exclude /usr/share/doc/*' 'path-include /usr/share/doc/*/copyright' \
    'path-exclude /usr/share/man/*' 'path-exclude /usr/share/info/*' 'path-exclude /usr/share/locale/*' \
    'path-include /usr/share/locale/locale.alias' >"$rootfs/etc/dpkg/dpkg.cfg.d/docker-slim"
  say "debootstrap $suite ($base_packages)${mirror:+ from $mirror}"
  # shellcheck disable=SC2086 # no mirror argument at all when the host names none
  if ! debootstrap --variant=minbase --include="$base_packages" "$suite" "$rootfs" ${mirror} >"$state/base/debootstrap.log" 2>&1; then
    unmount_under "$rootfs"
    fail "debootstrap failed; its log is $state/base/debootstrap.log"
  fi
  # As Docker's own Debian images do: dpkg skips its fsyncs inside a throwaway build container.
  echo 'force-unsafe-io' >"$rootfs/etc/dpkg/dpkg.cfg.d/docker-apt-speedup"
  printf '#!/bin/sh\nexit 101\n' >"$rootfs/usr/sbin/policy-rc.d"
  chmod 0755 "$rootfs/usr/sbin/policy-rc.d"
  # debootstrap's sources.list names the mirror it used; the point-release updates are added beside it.
  local updates
  updates=$(sed -n "s/ $suite main\$/ $suite-updates main/p" "$rootfs/etc/apt/sources.list")
  printf '%s\n' "$updates" >>"$rootfs/etc/apt/sources.list"
  if [[ -n $(host_ca_files) ]]; then
    host_ca_files | while read -r file; do cp "$file" "$rootfs$host_cas/"; done
    chroot "$rootfs" update-ca-certificates >/dev/null 2>&1 || fail "update-ca-certificates failed in the base root"
  fi
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/log/*.log
  : >"$rootfs/etc/hostname"
  tar --numeric-owner --xattrs -C "$rootfs" -cf "$base_tar.tmp" .
  find "$state/base" -maxdepth 1 -name '*.tar' -delete
  mv "$base_tar.tmp" "$base_tar"
  rm -rf "$rootfs"
  say "base made in $((SECONDS - started)) s: $base_tar"
}

ensure_base() {
  if base_present; then
    say "base image $base_image present"
    return
  fi
  mkdir -p "$state/base"
  if [[ -f $base_tar ]]; then
    say "base tarball cached: $base_tar"
  else
    make_base_tar
  fi
  docker_cli import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' \
    --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' \
    --change 'CMD ["python3"]' \
    "$base_tar" "$base_image" >/dev/null
  say "imported $base_image"
  # Bases of older recipes are dropped (images built on them go with the next prune).
  docker_cli image ls --format '{{.Repository}}:{{.Tag}}' "${base_image%%:*}" | { grep -vxF "$base_image" || :; } |
    while read -r stale; do docker_cli image rm "$stale" >/dev/null 2>&1 || :; done
}

stop_engine() {
  if [[ $own_engine == false ]]; then
    say "IMAGE_TEST_DOCKER_HOST is set: that engine is yours, nothing to stop"
    return
  fi
  if [[ ! -f $pidfile ]]; then
    say 'engine not running (no pid file); nothing to stop'
    return
  fi
  local pid
  pid=$(cat "$pidfile")
  if ! kill -0 "$pid" 2>/dev/null || [[ $(cat "/proc/$pid/comm" 2>/dev/null) != dockerd ]]; then
    say "engine not running (stale pid file); nothing to stop"
    rm -f "$pidfile"
    return
  fi
  # Containers the tests left behind are removed first, so dockerd stops without waiting on them.
  local leftovers
  leftovers=$(docker_cli ps -aq 2>/dev/null || :)
  if [[ -n $leftovers ]]; then
    # shellcheck disable=SC2086 # one id a word
    docker_cli rm -f $leftovers >/dev/null 2>&1 || :
  fi
  # Images a newer build replaced (untagged) only fill the disk: vfs keeps a full copy of every layer.
  docker_cli image prune --force >/dev/null 2>&1 || :
  kill -TERM "$pid"
  for _ in $(seq 1 60); do
    if ! kill -0 "$pid" 2>/dev/null; then break; fi
    sleep 0.5
  done
  if kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid" 2>/dev/null || :
    say "engine did not stop within 30 s; killed"
  fi
  unmount_under "$run_dir"
  unmount_under "$state/docker"
  rm -rf "$run_dir"
  say "engine stopped (data root kept as the cache: $state/docker)"
}

with_lock() {
  mkdir -p "$state"
  # One start or stop at a time: parallel Nx tasks may ask together.
  exec 9>"$state/.lock"
  flock 9
  "$@"
}

case ${1:-} in
  start)
    install_tools
    with_lock start_engine
    ensure_base
    printf 'DOCKER_HOST=%s\nIMAGE_TEST_BASE=%s\n' "$docker_host" "$base_image"
    ;;
  stop)
    with_lock stop_engine
    ;;
  status)
    if ! command -v docker >/dev/null 2>&1 || ! engine_answers; then
      say "no engine at $docker_host (start one: $0 start)"
      exit 3
    fi
    if ! base_present; then
      say "engine at $docker_host, but no base image $base_image (make it: $0 start)"
      exit 3
    fi
    say "engine at $docker_host (storage driver $(docker_cli info --format "{{.Driver}}" 2>/dev/null)); base image $base_image"
    ;;
  env)
    printf 'DOCKER_HOST=%s\nIMAGE_TEST_BASE=%s\nIMAGE_TEST_BASE_ADDS=%s\nIMAGE_TEST_MIRROR=%s\n' "$docker_host" "$base_image" "$base_adds" "$mirror"
    ;;
  *)
    echo "usage: $0 start|stop|status|env" >&2
    exit 2
    ;;
esac
