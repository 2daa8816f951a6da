#!/usr/bin/env bash
# Completion latency: `csctl __complete` completing a name prefix in a tenant holding COUNT objects
# of KIND, measured with hyperfine (no shell in between), next to completing a subcommand (no
# database) for the fixed cost of starting csctl.
#
#   bench/complete.sh [KIND] [COUNT]     KIND: route (default), gateway, usage, policy; COUNT: 10000
#   CSCTL=path/to/csctl bench/complete.sh user 100000
#
# Each kind is one row of the two tables below: how to fill the tenant with COUNT objects (SQL on
# the schema of store/migrations.cpp, names numbered 000000…), and the command line whose last word
# is completed. Bulk rows go straight into SQLite: completion reads only the name column.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
kind=${1:-route}
count=${2:-10000}
csctl=${CSCTL:-$here/../build/csctl}
csctl=$(cd "$(dirname "$csctl")" && pwd)/$(basename "$csctl")

numbers="WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < $count)"
case $kind in
  route)   fill="$numbers INSERT INTO routes(identity, priority, data) SELECT printf('Route %06d', i), i,
                   json_object('identity', printf('Route %06d', i), 'priority', i) FROM n;"
           line=(voice-route set "Route 00420") ;;
  gateway) fill="$numbers INSERT INTO gateways(fqdn, data) SELECT printf('sbc%06d.contoso.com', i),
                   json_object('fqdn', printf('sbc%06d.contoso.com', i)) FROM n;"
           line=(voice-route set x --add-gateway sbc00420) ;;
  usage)   fill="$numbers INSERT INTO usages(name, position) SELECT printf('Usage %06d', i), i FROM n;"
           line=(usage remove "Usage 00420") ;;
  policy)  fill="$numbers INSERT INTO policies(name, data) SELECT printf('Policy %06d', i),
                   json_object('name', printf('Policy %06d', i)) FROM n;"
           line=(voice-routing-policy set "Policy 00420") ;;
  user)    fill="$numbers INSERT INTO users(upn, sip_address, display_name, account_type, homed, licenses, enterprise_voice_enabled, hosted_voice_mail) SELECT printf('user%06d@contoso.com', i), printf('sip:user%06d@contoso.com', i), '', 'User', 'online', '', 0, 0 FROM n;"
           line=(voice-routing-policy grant "US Only" --user user00420) ;;
  *) echo "unknown kind: $kind (route, gateway, usage, policy, user)" >&2; exit 2 ;;
esac

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export HOME=$dir XDG_DATA_HOME=$dir/data XDG_CONFIG_HOME=$dir/config
unset CSCTL_DB CSCTL_TENANT CSCTL_OUTPUT
"$csctl" tenant init bench --domain contoso.com 2>/dev/null
sqlite3 "$dir/data/csctl/bench.db" "BEGIN; $fill COMMIT;"

echo "$count ${kind}s; completing: csctl ${line[*]}<TAB>"
"$csctl" __complete -- "${line[@]}" | head -3
echo "... $("$csctl" __complete -- "${line[@]}" | wc -l) candidates"
quoted=$(printf '%q ' "${line[@]}")
# /bin/true is the floor of starting any process on this machine at this moment.
hyperfine -N --warmup 20 --min-runs 300 \
  "/bin/true" \
  "$csctl __complete -- voice-r" \
  "$csctl __complete -- $quoted"
