#!/usr/bin/env bash
# End-to-end cost of one `csctl route test` (process start, opening the tenant, building the
# routing snapshot, evaluating, printing) on Microsoft's worked-example tenant, with hyperfine.
#   bench/route_test_cli.sh [path/to/csctl]
set -euo pipefail
csctl=$(realpath "${1:-build/csctl}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME=$work XDG_DATA_HOME=$work/data XDG_CONFIG_HOME=$work/config
"$csctl" tenant init contoso --domain contoso.com 2>/dev/null
for i in 1 2 3 4 5 6; do
  "$csctl" online-pstn-gateway new sbc$i.contoso.com --sip-signaling-port 5061 --enabled >/dev/null
done
"$csctl" usage add "US and Canada" International 2>/dev/null
"$csctl" voice-route new "Redmond 1" --number-pattern '^\+1(425|206)(\d{7})$' --gateways sbc1.contoso.com,sbc2.contoso.com --priority 1 --usages "US and Canada" >/dev/null
"$csctl" voice-route new "Redmond 2" --number-pattern '^\+1(425|206)(\d{7})$' --gateways sbc3.contoso.com,sbc4.contoso.com --priority 2 --usages "US and Canada" >/dev/null
"$csctl" voice-route new "Other +1" --number-pattern '^\+1(\d{10})$' --gateways sbc5.contoso.com,sbc6.contoso.com --usages "US and Canada" >/dev/null
"$csctl" voice-route new "International" --number-pattern '.*' --gateways sbc2.contoso.com,sbc5.contoso.com --usages International >/dev/null
"$csctl" voice-routing-policy new "No Restrictions" --usages "US and Canada,International" >/dev/null
hyperfine --warmup 5 --runs 100 -N \
  "$csctl route test --policy 'No Restrictions' --number +14255550100 -o json" \
  "$csctl route test --policy 'No Restrictions' --number 4255550100 --usage-location US -o json"
