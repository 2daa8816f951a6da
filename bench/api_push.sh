#!/usr/bin/env bash
# push to a real `csctl serve` on 127.0.0.1: the first push of a 10,000-route tenant (with USERS
# users imported first, each with the PhoneSystem licence and a usage location), then incremental
# pushes of one changed route (each: GET config, plan, one change set, record sync).
# Targets: the first push of a 100,000-user tenant <= 5 s; an incremental push of one change <= 50 ms.
#   [USERS=100000] bench/api_push.sh [BUILD_DIR] [ROUTES] [RUNS]
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
routes=${2:-10000}
runs=${3:-30}
work=$(mktemp -d /tmp/csctl-bench-push-XXXXXX)
server_pid=
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
export HOME=$work XDG_DATA_HOME=$work/data XDG_CONFIG_HOME=$work/config
db=$work/bench.db
"$build/bench/make_tenant" "$db" "$routes" "$((routes + 1))" >/dev/null
users=${USERS:-0}
if [ "$users" -gt 0 ]; then
  awk -v n="$users" 'BEGIN {
    print "userPrincipalName,displayName,usageLocation,licenses"
    for (i = 1; i <= n; i++) printf "user%06d@contoso.com,User %06d,US,PhoneSystem\n", i, i
  }' >"$work/users.csv"
  "$build/csctl" --db "$db" user import "$work/users.csv" >/dev/null 2>&1
fi
"$build/csctl" serve token create --data "$work/server" --tenant bench --role writer >"$work/token" 2>/dev/null
chmod 600 "$work/token"
# A 100,000-user change set is about 53 MiB of JSON: above the default --max-body-kib (16 MiB).
"$build/csctl" serve --data "$work/server" --listen 127.0.0.1:0 --max-body-kib 131072 2>"$work/serve.log" &
server_pid=$!
for _ in $(seq 100); do grep -q listening "$work/serve.log" && break; sleep 0.05; done
url=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/serve.log")
csctl() { "$build/csctl" --db "$db" "$@"; }
csctl remote set "$url" --token-file "$work/token" --remote-tenant bench 2>/dev/null
now() { date +%s%N; }
t0=$(now); csctl push --yes >/dev/null 2>"$work/push.err" || { cat "$work/push.err" >&2; exit 1; }; t1=$(now)
echo "first push of $routes routes and $users users: $(( (t1 - t0) / 1000000 )) ms"
: >"$work/times"
for i in $(seq "$runs"); do
  csctl voice-route set route-$((i * 7 % routes)) --description "bench $i" >/dev/null 2>&1
  t0=$(now); csctl push --yes >/dev/null 2>&1; t1=$(now)
  echo $(( (t1 - t0) / 1000 )) >>"$work/times"
done
python3 - "$work/times" <<'PY'
import statistics, sys
t = sorted(int(x) / 1000 for x in open(sys.argv[1]))
p90 = t[min(len(t) - 1, int(len(t) * 0.9))]
print(f"incremental push of one change ({len(t)} runs): median {statistics.median(t):.1f} ms, p90 {p90:.1f} ms, "
      f"max {t[-1]:.1f} ms   target: median <= 50 ms -> {'PASS' if statistics.median(t) <= 50 else 'FAIL'}")
PY
