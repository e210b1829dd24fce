#!/usr/bin/env bash
# Installs the Debian tools the tests run for real (idempotent: installs only what is missing).
# As root it installs them; otherwise it prints the one command that would, and fails.
set -Eeuo pipefail

# command -> Debian package that provides it
declare -A package_of=(
  [shellcheck]=shellcheck
  [git]=git
  [visudo]=sudo
  [gosu]=gosu
  [unshare]=util-linux
  [curl]=curl
  [/usr/bin/python3]=python3
  [chroot]=coreutils
  [mount]=mount
  [useradd]=passwd
  [strace]=strace
)

missing=()
for command in "${!package_of[@]}"; do
  command -v "$command" >/dev/null 2>&1 || missing+=("${package_of[$command]}")
done
# The adapter's tests parse YAML with Debian's PyYAML, as the adapter does in the image.
if ! /usr/bin/python3 -c 'import yaml' >/dev/null 2>&1; then missing+=(python3-yaml); fi

if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
if [ "$(id -u)" -ne 0 ]; then
  echo "The tests need Debian packages that are missing: ${missing[*]}" >&2
  echo "Install them with: sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
echo "Installing test tools from Debian: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
