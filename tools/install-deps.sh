#!/usr/bin/env bash
# Installs the Debian packages of tools/packages.txt that are missing (needs root or sudo).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mapfile -t wanted < <(grep -v '^\s*#' "$here/packages.txt" | grep -v '^\s*$')
missing=()
for p in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "installing: ${missing[*]}"
# Packages that ship a service (kamailio) must not start it: it would take the SIP port, and the
# tests start their own SBC on free loopback ports. policy-rc.d answering 101 is Debian's way to
# say "do not start services"; it is added for the install only (unless one exists already).
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
  $sudo chmod 755 "$policy"
  trap '$sudo rm -f "$policy"' EXIT
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Nor at the next boot.
if printf '%s\n' "${missing[@]}" | grep -qx kamailio && command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
  $sudo systemctl disable --now kamailio >/dev/null 2>&1 || true
fi
