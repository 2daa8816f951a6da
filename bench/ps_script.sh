#!/usr/bin/env bash
# `csctl ps -f` on a generated provisioning script: 10 gateways, 2 usages, COUNT voice routes
# (typographic quotes, comma lists, a backtick continuation each) and a policy. Prints the wall
# time of parsing and translating it (--translate) and of running it into an empty tenant as one
# change, each the median of RUNS runs.
#   bench/ps_script.sh [BUILD_DIR] [COUNT] [RUNS]
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
count=${2:-10000}
runs=${3:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_DATA_HOME=$work/data XDG_CONFIG_HOME=$work/config
csctl=$build/csctl
script=$work/provision.ps1
{
  for g in $(seq 1 10); do
    echo "New-CsOnlinePSTNGateway -Fqdn sbc$g.contoso.com -SipSignalingPort 5061 -Enabled \$true"
  done
  echo 'Set-CsOnlinePstnUsage -Identity Global -Usage @{Add=“US and Canada”, “International”}'
  for i in $(seq 0 $((count - 1))); do
    printf 'New-CsOnlineVoiceRoute -Identity “route-%d” -NumberPattern “^\\+1%d(\\d{3})$” `\n' "$i" $((2000000 + i))
    printf '  -OnlinePstnGatewayList sbc%d.contoso.com, sbc%d.contoso.com -OnlinePstnUsages “US and Canada”\n' \
      $((i % 10 + 1)) $(((i + 1) % 10 + 1))
  done
  echo 'New-CsOnlineVoiceRoutingPolicy “US Only” -OnlinePstnUsages “US and Canada”'
} > "$script"
echo "script: $((count + 12)) cmdlets, $(wc -l < "$script") lines, $(du -k "$script" | cut -f1) KiB"
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}'; }
ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); echo $(((e - s) / 1000000)); }
translate=$(for r in $(seq "$runs"); do ms "$csctl" ps --translate -f "$script"; done | median)
apply=$(for r in $(seq "$runs"); do
  rm -rf "$work/data" "$work/config"
  "$csctl" tenant init bench --domain contoso.com >/dev/null 2>&1
  ms "$csctl" ps -f "$script"
done | median)
echo "ps --translate -f: ${translate} ms   ps -f into an empty tenant (one change): ${apply} ms   (median of $runs)"
echo "routes in the tenant: $("$csctl" voice-route get -o csv | tail -n +2 | wc -l)"
