#!/usr/bin/env bash
# `csctl route check --all-users` on a tenant of N users (default 100,000), with hyperfine: every
# enterprise-voice enabled user's own number routed under the user's own effective policy.
#
#   bench/route_check_users.sh [BUILD_DIR] [N]        (defaults: build, 100000; needs hyperfine)
#
# The tenant: Microsoft's worked-example routes and policies; N users with PhoneSystem and a
# DirectRouting number. Most are in Redmond (+1 425) with "US Only" granted directly; every 4th is
# in group "west", granted "No Restrictions" at rank 1 (and no direct grant); every 100th has a
# London number with "US Only", so about 1 % are reported as not routable (the command exits 2).
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
n=${2:-100000}
csctl="$build/csctl"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
db=tenant.db
c() { "$csctl" --db "$db" "$@" >/dev/null; }

"$csctl" tenant init bench --domain contoso.com --db "$db" >/dev/null 2>&1
for i in 1 2 3 4 5 6; do c online-pstn-gateway new "sbc$i.contoso.com" --sip-signaling-port 5061 --enabled; done
c usage add "US and Canada"
c usage add International
c voice-route new "Redmond 1" --number-pattern '^\+1(425|206)(\d{7})$' --gateways sbc1.contoso.com,sbc2.contoso.com --priority 1 --usages "US and Canada"
c voice-route new "Redmond 2" --number-pattern '^\+1(425|206)(\d{7})$' --gateways sbc3.contoso.com,sbc4.contoso.com --priority 2 --usages "US and Canada"
c voice-route new "Other +1" --number-pattern '^\+1(\d{10})$' --gateways sbc5.contoso.com,sbc6.contoso.com --usages "US and Canada"
c voice-route new "International" --number-pattern '.*' --gateways sbc2.contoso.com,sbc5.contoso.com --usages International
c voice-routing-policy new "US Only" --usages "US and Canada"
c voice-routing-policy new "No Restrictions" --usages "US and Canada,International"
c group new west
c voice-routing-policy grant "No Restrictions" --group west --rank 1

awk -v n="$n" 'BEGIN {
  print "userPrincipalName,displayName,usageLocation,licenses,groups"
  for (i = 1; i <= n; i++)
    printf "user%06d@contoso.com,User %06d,%s,PhoneSystem,%s\n", i, i, (i % 100 == 0 ? "GB" : "US"), (i % 4 == 0 && i % 100 != 0 ? "west" : "")
}' > users.csv
awk -v n="$n" 'BEGIN {
  print "userPrincipalName,phoneNumber,numberType"
  for (i = 1; i <= n; i++)
    if (i % 100 == 0) printf "user%06d@contoso.com,+44207946%04d,DirectRouting\n", i, i / 100
    else printf "user%06d@contoso.com,+1425%07d,DirectRouting\n", i, 2000000 + i
}' > numbers.csv
awk -v n="$n" 'BEGIN { print "userPrincipalName"; for (i = 1; i <= n; i++) if (i % 4 != 0 || i % 100 == 0) printf "user%06d@contoso.com\n", i }' > grant.csv
c user import users.csv
c user-enable --from-csv numbers.csv
c voice-routing-policy grant "US Only" --from-csv grant.csv

echo "== one run (summary line and exit code)"
set +e
"$csctl" --db "$db" route check --all-users > report.txt
echo "exit code $?"
tail -n 1 report.txt
set -e
echo "== route check --all-users on $n users"
hyperfine -N -i --warmup 2 --runs 20 \
  -n "route check --all-users" "$csctl --db $db route check --all-users" \
  -n "route check --all-users -o json" "$csctl --db $db route check --all-users -o json"
