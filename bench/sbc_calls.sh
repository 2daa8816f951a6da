#!/usr/bin/env bash
# Calls per second through the whole SBC chain on 127.0.0.1, and the latency of the route query
# as Kamailio sees it (measured around http_connect in sbc/kamailio/kamailio.cfg):
#   sipp caller -> Kamailio -> GET /route?format=rtjson on csctl serve -> sipp gateway sbc1 (200 OK)
# Each call is INVITE / 100 / 200 / ACK / BYE / 200, with one route query per INVITE.
#   [QUERY_LOG=0] bench/sbc_calls.sh [BUILD_DIR] [CALLS] [RATE] [WORKERS]
# (QUERY_LOG=0: Kamailio does not log each query, so no latency figures, less work per call)
# RATE is the offered load in calls/s (sipp -r); the script prints the rate achieved, the failed
# calls, and p50/p90/p99/max of the route query in microseconds.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-build}" && pwd)
calls=${2:-5000}
rate=${3:-500}
workers=${4:-4}
CSCTL=$build/csctl
SOURCE_DIR=$here
WORK=$(mktemp -d /tmp/csctl-bench-sbc-XXXXXX)
source "$here/tests/sbc/chain.sh"
finish() { chain_stop; rm -rf "$WORK"; }
trap finish EXIT
trap 'exit 130' INT TERM

chain_require_tools
read -r SIP_PORT P1 P2 P3 P4 CALLER_PORT <<< "$(chain_free_ports 6)"
chain_build_tenant "$P1" "$P2" "$P3" "$P4"
chain_start_server
chain_start_gateway sbc1.contoso.com gateway.xml "$P1"
query_log=(--query-log)
[ "${QUERY_LOG:-1}" = 0 ] && query_log=()
chain_start_sbc "${query_log[@]}" --workers "$workers" --fr-timer 5000
# The gateway log is not needed here and costs time at high rates.
: > "$WORK/kamailio.log"

start=$(date +%s.%N)
(cd "$WORK" && timeout $((calls / 100 + 120)) sipp -sf "$SOURCE_DIR/sbc/sipp/caller.xml" -key caller +14255550100 \
  -s +14255550123 -i 127.0.0.1 -p "$CALLER_PORT" -m "$calls" -r "$rate" -l $((rate * 2)) -nostdin \
  -timeout $((calls / 100 + 60)) -timeout_error -trace_stat -stf "$WORK/caller.csv" -fd 1 \
  "127.0.0.1:$SIP_PORT" > "$WORK/caller.out" 2>&1) || true
end=$(date +%s.%N)

python3 - "$WORK/caller.csv" "$WORK/kamailio.log" "$start" "$end" "$calls" "$rate" "$workers" <<'PY'
import csv, re, sys
stat_file, log, start, end, calls, rate, workers = sys.argv[1:]
rows = list(csv.DictReader(open(stat_file), delimiter=";"))
last = rows[-1]
ok, failed = int(last["SuccessfulCall(C)"]), int(last["FailedCall(C)"])
elapsed = float(end) - float(start)
took = sorted(int(m.group(1)) for m in re.finditer(r"took_us=(\d+)", open(log, errors="replace").read()))
def pct(p):
    return took[min(len(took) - 1, int(len(took) * p))]
print(f"offered {int(rate):,} calls/s, {int(calls):,} calls, {workers} Kamailio workers")
print(f"completed {ok:,} calls, failed {failed:,}, in {elapsed:.1f} s: {ok / elapsed:,.0f} calls/s")
if took:
    print(f"route query inside Kamailio ({len(took):,} queries): p50 {pct(0.5)} us, p90 {pct(0.9)} us, "
          f"p99 {pct(0.99)} us, max {took[-1]} us")
PY
