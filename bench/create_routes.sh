#!/usr/bin/env bash
# Creates 10,000 voice routes with a script of 10,000 `csctl voice-route new` commands and prints
# the mean time per command for each block of 1,000: it must not grow with the table size.
#   bench/create_routes.sh [BUILD_DIR] [COUNT]
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
count=${2:-10000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_DATA_HOME=$work/data XDG_CONFIG_HOME=$work/config
csctl=$build/csctl
$csctl tenant init bench --domain contoso.com 2>/dev/null
$csctl online-pstn-gateway new sbc1.contoso.com --sip-signaling-port 5061 --enabled >/dev/null 2>&1
$csctl usage add "US and Canada" 2>/dev/null
block=$((count / 10))
echo "commands      mean ms per command"
for b in $(seq 0 9); do
  start=$(date +%s%N)
  for i in $(seq $((b * block)) $((b * block + block - 1))); do
    $csctl voice-route new "route-$i" --number-pattern "^\\+1$((2000000 + i))(\\d{3})\$" \
      --online-pstn-usages "US and Canada" --online-pstn-gateway-list sbc1.contoso.com -o json >/dev/null
  done
  end=$(date +%s%N)
  printf '%5d-%-5d   %.2f\n' $((b * block + 1)) $((b * block + block)) "$(echo "($end - $start) / $block / 1000000" | bc -l)"
done
echo "routes in the tenant: $($csctl voice-route get -o csv | tail -n +2 | wc -l)"
