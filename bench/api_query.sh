#!/usr/bin/env bash
# Requests per second and latency of `csctl serve` on 127.0.0.1 with keep-alive (wrk), on a
# 10,000-route tenant (Global policy with both usages, one user): the per-call route query as
# JSON and as rtjson (router token), a conditional GET of the config (304), and /healthz.
# Target for the route query: >= 8,000 requests/s with p99 <= 1 ms.
#   [CONNECTIONS=4] bench/api_query.sh [BUILD_DIR] [SECONDS]
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
seconds=${2:-10}
work=$(mktemp -d /tmp/csctl-bench-query-XXXXXX)
server_pid=
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
export HOME=$work XDG_DATA_HOME=$work/data XDG_CONFIG_HOME=$work/config
db=$work/bench.db
"$build/bench/make_tenant" "$db" 10000 10001 >/dev/null
"$build/csctl" --db "$db" voice-routing-policy set Global --online-pstn-usages "US and Canada,International" >/dev/null 2>&1
"$build/csctl" --db "$db" user add caller@contoso.com --license PhoneSystem >/dev/null 2>&1
router=$("$build/csctl" serve token create --data "$work/server" --tenant bench --role router 2>/dev/null)
writer=$("$build/csctl" serve token create --data "$work/server" --tenant bench --role writer 2>/dev/null)
printf '%s\n' "$writer" >"$work/token"; chmod 600 "$work/token"
"$build/csctl" serve --data "$work/server" --listen 127.0.0.1:0 2>"$work/serve.log" &
server_pid=$!
for _ in $(seq 100); do grep -q listening "$work/serve.log" && break; sleep 0.05; done
url=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/serve.log")
"$build/csctl" --db "$db" remote set "$url" --token-file "$work/token" --remote-tenant bench 2>/dev/null
"$build/csctl" --db "$db" push --yes >/dev/null 2>&1
revision=$(curl -s -o /dev/null -D - -H "Authorization: Bearer $writer" "$url/v1/tenants/bench/config" | tr -d '\r' | sed -n 's/^ETag: //Ip')
run() {
  local name=$1; shift
  wrk -t2 -c"${CONNECTIONS:-4}" -d"${seconds}s" --latency "$@" >"$work/wrk.txt"
  python3 - "$name" "$work/wrk.txt" <<'PY'
import re, sys
name, text = sys.argv[1], open(sys.argv[2]).read()
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
def ms(label):
    v, unit = re.search(label + r"\s+([\d.]+)(us|ms|s)", text).groups()
    return float(v) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
print(f"{name}: {rps:,.0f} requests/s, p50 {ms('50%'):.2f} ms, p99 {ms('99%'):.2f} ms"
      f"   (>= 8,000/s and p99 <= 1 ms: {'PASS' if rps >= 8000 and ms('99%') <= 1 else 'FAIL'})")
PY
}
route="$url/v1/tenants/bench/route?from=caller%40contoso.com&to=%2B12000500123"
curl -sf -H "Authorization: Bearer $router" "$route&format=rtjson" | grep -q '"uri":"sip:+12000500123@sbc' ||
  { echo "the route query did not answer a route" >&2; exit 1; }
run "GET route (JSON)" -H "Authorization: Bearer $router" "$route"
run "GET route (rtjson)" -H "Authorization: Bearer $router" "$route&format=rtjson"
run "GET /healthz" "$url/healthz"
run "GET config, If-None-Match (304)" -H "Authorization: Bearer $writer" -H "If-None-Match: $revision" \
  "$url/v1/tenants/bench/config"
