#!/usr/bin/env bash
# Declarative apply at scale: `csctl apply -f` of a document with ROUTES voice routes and USERS
# users into an empty tenant, and the same document applied again (every object unchanged).
#
#   bench/apply.sh [BUILD_DIR] [ROUTES] [USERS]   (defaults: build, 10000, 100000; needs hyperfine)
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
routes=${2:-10000}
users=${3:-100000}
csctl="$build/csctl"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

# The document in csctl's export schema (JSON): 8 gateways, 2 usages, the routes (each its own
# pattern and priority, two gateways), 2 policies, and users with a licence, a number and a policy.
awk -v routes="$routes" -v users="$users" 'BEGIN {
  printf "{\"schemaVersion\":1,\"tenant\":{\"domains\":[\"contoso.com\"]},"
  printf "\"onlinePstnUsages\":[\"US and Canada\",\"International\"],\"onlinePstnGateways\":["
  for (i = 1; i <= 8; i++)
    printf "%s{\"identity\":\"sbc%d.contoso.com\",\"sipSignalingPort\":5061,\"enabled\":true}", (i > 1 ? "," : ""), i
  printf "],\"onlineVoiceRoutes\":["
  for (i = 1; i <= routes; i++)
    printf "%s{\"identity\":\"route %05d\",\"numberPattern\":\"^\\\\+1%03d%03d\\\\d{4}$\",\"priority\":%d,\"onlinePstnUsages\":[\"US and Canada\"],\"onlinePstnGatewayList\":[\"sbc%d.contoso.com\",\"sbc%d.contoso.com\"]}", (i > 1 ? "," : ""), i, 200 + int(i / 1000), i % 1000, i, 1 + i % 8, 1 + (i + 1) % 8
  printf "],\"onlineVoiceRoutingPolicies\":[{\"identity\":\"Global\",\"onlinePstnUsages\":[]},"
  printf "{\"identity\":\"Tag:US Only\",\"onlinePstnUsages\":[\"US and Canada\"]},"
  printf "{\"identity\":\"Tag:No Restrictions\",\"onlinePstnUsages\":[\"US and Canada\",\"International\"]}],"
  printf "\"users\":["
  for (i = 1; i <= users; i++)
    printf "%s{\"userPrincipalName\":\"user%06d@contoso.com\",\"displayName\":\"User %06d\",\"usageLocation\":\"US\",\"licenses\":[\"PhoneSystem\"],\"enterpriseVoiceEnabled\":true,\"phoneNumber\":\"+1425%07d\",\"phoneNumberType\":\"DirectRouting\",\"onlineVoiceRoutingPolicy\":\"US Only\"}", (i > 1 ? "," : ""), i, i, i
  printf "]}\n"
}' > tenant.json
ls -l tenant.json
"$csctl" tenant init bench --db empty.db >/dev/null 2>&1
cp empty.db applied.db
"$csctl" --db applied.db apply -f tenant.json >/dev/null

echo "== apply $routes routes and $users users into an empty tenant; the same document again"
hyperfine -N --warmup 1 --runs 7 \
  --prepare "sh -c 'rm -f t.db-wal t.db-shm && cp empty.db t.db'" \
  -n "apply into an empty tenant" "$csctl --db t.db apply -f tenant.json" \
  -n "apply again (unchanged)" "$csctl --db applied.db apply -f tenant.json" \
  --export-markdown apply.md
cat apply.md
