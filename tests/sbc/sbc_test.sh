#!/usr/bin/env bash
# The SBC end to end, with real SIP calls on loopback:
#   sipp caller -> Kamailio (sbc/kamailio/kamailio.cfg) -> GET /route?format=rtjson on csctl serve
#               -> sipp gateways sbc1.contoso.com (answers), sbc2 (answers), sbc3 (answers 503),
#                  sbc4 (a free port: nothing answers), sbc5.lab.invalid (the name does not resolve)
# (a) a call to +1 425 goes to sbc1, the first gateway of the answer;
# (b) a call to +1 312 gets 503 from sbc3 and fails over to sbc2;
# (b2) a call to +1 646 gets no answer from sbc4 within the SBC's FR_TIMER (2 s) and goes to sbc2;
# (b3) a call to +1 713 goes first to sbc5.lab.invalid, which does not resolve: the SBC skips it
#      at once for the next gateway of the answer (sbc2) instead of answering 500;
# (c) a call to +44 has no route: the SBC answers 404 and relays nothing;
# (d) the Request-URI user each gateway received is the called number `csctl route test` gives it.
# Every process is stopped on exit, failure included. Fails (never skips) when kamailio or sipp is
# missing. Usage: sbc_test.sh CSCTL SOURCE_DIR
set -euo pipefail
CSCTL=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SOURCE_DIR=$(cd "$2" && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/csctl-sbc-test.XXXXXX")
source "$SOURCE_DIR/tests/sbc/chain.sh"

finish() {
  local code=$?
  chain_stop
  if [ "$code" != 0 ]; then
    echo "--- kamailio log (tail)"; tail -n 40 "$WORK/kamailio.log" 2>/dev/null || true
    echo "--- csctl serve log (tail)"; tail -n 10 "$WORK/serve.log" 2>/dev/null || true
    for g in sbc1 sbc2 sbc3 caller-a caller-b caller-b2 caller-b3 caller-c; do
      [ -s "$WORK/$g.errors" ] && { echo "--- $g errors"; tail -n 20 "$WORK/$g.errors"; }
    done
    echo "(scratch files kept in $WORK)"
  else
    rm -rf "$WORK"
  fi
  exit "$code"
}
trap finish EXIT
trap 'exit 130' INT TERM

chain_require_tools
read -r SIP_PORT P1 P2 P3 P4 CALLER_PORT <<< "$(chain_free_ports 6)"

chain_build_tenant "$P1" "$P2" "$P3" "$P4"
chain_start_server
chain_start_gateway sbc1.contoso.com gateway.xml "$P1"
chain_start_gateway sbc2.contoso.com gateway.xml "$P2"
chain_start_gateway sbc3.contoso.com gateway-busy.xml "$P3"
chain_start_sbc

CALLER=+14255550100

# One call: NAME SCENARIO DIALED. Bounded to 30 s; sipp's exit code is 0 when the call went as
# the scenario says.
call() {
  local name=$1 scenario=$2 dialed=$3
  (cd "$WORK" && timeout 30 sipp -sf "$SOURCE_DIR/sbc/sipp/$scenario" -key caller "$CALLER" -s "$dialed" \
    -i 127.0.0.1 -p "$CALLER_PORT" -m 1 -nostdin -timeout 20 -timeout_error -trace_logs -log_file "$WORK/$name.log" \
    -trace_err -error_file "$WORK/$name.errors" "127.0.0.1:$SIP_PORT" > "$WORK/$name.out" 2>&1)
}

# The Call-ID of a caller's call, and what each gateway logged for it.
call_id() { sed -n 's/.* call=\([^ ]*\).*/\1/p' "$WORK/$1.log" | head -n 1; }
gateway_saw() { grep -F "call=$2 " "$WORK/$1.contoso.com.log" 2>/dev/null || true; }
received_user() { gateway_saw "$1" "$2" | sed -n 's/.* user=\([^ ]*\).*/\1/p' | head -n 1; }
# The called number `csctl route test` gives gateway G for a call from alice to NUMBER.
expected_user() {
  chain_csctl route test --user alice@contoso.com --number "$2" -o json |
    python3 -c 'import json,sys
d=json.load(sys.stdin)
print(next(g["calledNumber"] for r in d["routes"] for g in r["gateways"] if g["fqdn"]==sys.argv[1]))' "$1.contoso.com"
}

failures=0
check() {
  local what=$1; shift
  if "$@"; then echo "ok: $what"; else echo "FAILED: $what" >&2; failures=$((failures + 1)); fi
}

# (a) routed to the first gateway.
call caller-a caller.xml +14255550123 || chain_fail "(a) the call to +14255550123 did not complete: $(tail -n 5 "$WORK/caller-a.errors" 2>/dev/null)"
a=$(call_id caller-a)
check "(a) +14255550123 answered by sbc1" grep -q "gateway=sbc1.contoso.com" "$WORK/caller-a.log"
check "(a) sbc1 got the INVITE" test -n "$(gateway_saw sbc1 "$a")"
check "(a) sbc2 and sbc3 got nothing" test -z "$(gateway_saw sbc2 "$a")$(gateway_saw sbc3 "$a")"

# (b) 503 from the first gateway, failover to the next one.
call caller-b caller.xml +13125550199 || chain_fail "(b) the call to +13125550199 did not complete: $(tail -n 5 "$WORK/caller-b.errors" 2>/dev/null)"
b=$(call_id caller-b)
check "(b) +13125550199 answered by sbc2" grep -q "gateway=sbc2.contoso.com" "$WORK/caller-b.log"
check "(b) sbc3 was tried first (and answered 503)" test -n "$(gateway_saw sbc3 "$b")"
check "(b) sbc2 got the INVITE after it" test -n "$(gateway_saw sbc2 "$b")"
check "(b) sbc1 got nothing" test -z "$(gateway_saw sbc1 "$b")"

# (b2) no answer at all from the first gateway: after FR_TIMER, the next one.
call caller-b2 caller.xml +16465550142 || chain_fail "(b2) the call to +16465550142 did not complete: $(tail -n 5 "$WORK/caller-b2.errors" 2>/dev/null)"
b2=$(call_id caller-b2)
check "(b2) +16465550142 answered by sbc2 after sbc4 did not answer" grep -q "gateway=sbc2.contoso.com" "$WORK/caller-b2.log"
check "(b2) sbc2 got the INVITE" test -n "$(gateway_saw sbc2 "$b2")"
check "(b2) 408 from sbc4 is in the SBC log" grep -q "{1 1 INVITE $b2} <script>: gateway failed with 408" "$WORK/kamailio.log"

# (b3) the first gateway's name does not resolve: skipped for the next one, no 500.
call caller-b3 caller.xml +17135550177 || chain_fail "(b3) the call to +17135550177 did not complete: $(tail -n 5 "$WORK/caller-b3.errors" 2>/dev/null)"
b3=$(call_id caller-b3)
check "(b3) +17135550177 answered by sbc2 after sbc5.lab.invalid did not resolve" grep -q "gateway=sbc2.contoso.com" "$WORK/caller-b3.log"
check "(b3) sbc2 got the INVITE" test -n "$(gateway_saw sbc2 "$b3")"
check "(b3) the SBC logged the skipped gateway" grep -q "{1 1 INVITE $b3} <script>: cannot relay to sip:sbc5.lab.invalid" "$WORK/kamailio.log"

# (c) no route: 404 from the SBC, nothing relayed.
call caller-c caller-rejected.xml +442071234567 || chain_fail "(c) the call to +442071234567 was not refused with 404: $(tail -n 5 "$WORK/caller-c.errors" 2>/dev/null)"
c=$(call_id caller-c)
check "(c) +442071234567 refused with 404" grep -q "status=404" "$WORK/caller-c.log"
check "(c) no gateway got it" test -z "$(gateway_saw sbc1 "$c")$(gateway_saw sbc2 "$c")$(gateway_saw sbc3 "$c")"

# (d) the translated Request-URI is what `csctl route test` says, gateway by gateway.
for case in "sbc1 $a +14255550123" "sbc3 $b +13125550199" "sbc2 $b +13125550199"; do
  read -r gw id number <<< "$case"
  got=$(received_user "$gw" "$id")
  want=$(expected_user "$gw" "$number")
  check "(d) $gw received $number as '$got', route test says '$want'" test -n "$want" -a "$got" = "$want"
done

# Kamailio's counters: each INVITE queried once, with the router token (sent as HTTP Basic).
stats=$(chain_rpc stats.get_statistics '["script:"]')
check "(e) five route queries, one per call, none failed" \
  grep -q 'csctl_route_queries = 5".*csctl_route_query_failures = 0".*csctl_route_query_no_route = 1"' <<< "$(tr -d '\n' <<< "$stats")"

check "(e) one gateway skipped because it could not be relayed to" grep -q 'csctl_relay_failures = 1"' <<< "$stats"

[ "$failures" = 0 ] || chain_fail "$failures check(s) failed"
echo "all SBC checks passed"
