#!/usr/bin/env bash
# Requests per second and latency of `csctl serve` on 127.0.0.1 with keep-alive (wrk), on a
# 10,000-route tenant (Global policy with both usages, one user): the per-call route query as
# JSON and as rtjson (router token), a conditional GET of the config (304), and /healthz.
# Target for the route query: >= 8,000 requests/s with p99 <= 1 ms.
#   [CONNECTIONS=4] [RUNS=1] [PIN=0|1] [WRK_THREADS=N] [ONLY=route] bench/api_query.sh [BUILD_DIR] [SECONDS]
# By default server and wrk (2 threads) float over all cores. PIN=1 runs the server on CPU 0 and
# wrk (1 thread) on CPU 1, so that the load generator does not take the server's core; on a
# 2-core machine shared with other jobs it measured lower throughput (the server then has one
# core, which it shares with those jobs), see bench/README.md. WRK_THREADS overrides wrk's
# threads. RUNS repeats each measurement and prints every run and the median; each run also says
# the load average when it started and the server's CPU time per request (its threads' run time
# over the requests wrk completed).
# ONLY=route measures only the two route queries.
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
seconds=${2:-10}
runs=${RUNS:-1}
pin=${PIN:-0}
[ "$(nproc)" -ge 2 ] || pin=0
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
server=("$build/csctl")
wrk=(wrk -t"${WRK_THREADS:-2}")
if [ "$pin" = 1 ]; then
  server=(taskset -c 0 "$build/csctl")
  wrk=(taskset -c 1 wrk -t"${WRK_THREADS:-1}")
fi
"${server[@]}" serve --data "$work/server" --listen 127.0.0.1:0 2>"$work/serve.log" &
server_pid=$!
for _ in $(seq 100); do grep -q listening "$work/serve.log" && break; sleep 0.05; done
url=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/serve.log")
"$build/csctl" --db "$db" remote set "$url" --token-file "$work/token" --remote-tenant bench 2>/dev/null
"$build/csctl" --db "$db" push --yes >/dev/null 2>&1
revision=$(curl -s -o /dev/null -D - -H "Authorization: Bearer $writer" "$url/v1/tenants/bench/config" | tr -d '\r' | sed -n 's/^ETag: //Ip')
echo "server: ${server[*]:0:3}; load generator: ${wrk[*]} -c${CONNECTIONS:-4} -d${seconds}s; $runs run(s) each"
# CPU time the server's threads have run, in ns (the first field of each thread's schedstat).
server_cpu_ns() { cat /proc/"$server_pid"/task/*/schedstat | awk '{ sum += $1 } END { printf "%.0f", sum }'; }
run() {
  local name=$1; shift
  : >"$work/runs.txt"
  for _ in $(seq "$runs"); do
    local load cpu
    load=$(cut -d' ' -f1 /proc/loadavg)
    cpu=$(server_cpu_ns)
    "${wrk[@]}" -c"${CONNECTIONS:-4}" -d"${seconds}s" --latency "$@" >"$work/wrk.txt"
    cpu=$(( $(server_cpu_ns) - cpu ))
    python3 - "$work/wrk.txt" "$load" "$cpu" >>"$work/runs.txt" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
requests = int(re.search(r"(\d+) requests in", text).group(1))
def ms(label):
    v, unit = re.search(label + r"\s+([\d.]+)(us|ms|s)", text).groups()
    return float(v) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
print(rps, ms("50%"), ms("99%"), sys.argv[2], int(sys.argv[3]) / 1000 / max(requests, 1))
PY
  done
  python3 - "$name" "$work/runs.txt" <<'PY'
import statistics, sys
name = sys.argv[1]
runs = [tuple(map(float, line.split())) for line in open(sys.argv[2])]
for rps, p50, p99, load, cpu in runs:
    print(f"{name}: {rps:,.0f} requests/s, p50 {p50:.2f} ms, p99 {p99:.2f} ms, server CPU {cpu:.0f} us/request"
          f" (load average {load:.2f})"
          f"   (>= 8,000/s and p99 <= 1 ms: {'PASS' if rps >= 8000 and p99 <= 1 else 'FAIL'})")
if len(runs) > 1:
    rps = [r[0] for r in runs]; p99 = [r[2] for r in runs]; cpu = [r[4] for r in runs]
    print(f"{name}: median of {len(runs)}: {statistics.median(rps):,.0f} requests/s ({min(rps):,.0f}-{max(rps):,.0f}),"
          f" p99 {statistics.median(p99):.2f} ms ({min(p99):.2f}-{max(p99):.2f}),"
          f" server CPU {statistics.median(cpu):.0f} us/request")
PY
}
route="$url/v1/tenants/bench/route?from=caller%40contoso.com&to=%2B12000500123"
curl -sf -H "Authorization: Bearer $router" "$route&format=rtjson" | grep -q '"uri":"sip:+12000500123@sbc' ||
  { echo "the route query did not answer a route" >&2; exit 1; }
run "GET route (JSON)" -H "Authorization: Bearer $router" "$route"
run "GET route (rtjson)" -H "Authorization: Bearer $router" "$route&format=rtjson"
[ "${ONLY:-}" = route ] && exit 0
run "GET /healthz" "$url/healthz"
run "GET config, If-None-Match (304)" -H "Authorization: Bearer $writer" -H "If-None-Match: $revision" \
  "$url/v1/tenants/bench/config"
