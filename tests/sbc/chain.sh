# The SBC chain on loopback, for tests/sbc/sbc_test.sh and bench/sbc_calls.sh (sourced, bash):
#   sipp caller -> Kamailio (sbc/kamailio/kamailio.cfg) -> route query -> csctl serve
#                         \-> sipp gateways sbc1 (answers), sbc2 (answers), sbc3 (503),
#                             sbc4, a port where nothing answers, and sbc5.lab.invalid, a name
#                             that does not resolve
# Every process started here is recorded and stopped by chain_stop (call it from an EXIT trap).
# Needs: CSCTL (the csctl binary), SOURCE_DIR (the repository), WORK (an empty scratch directory).

chain_pids=()

chain_fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# Stops every process started by the chain: SIGTERM, then SIGKILL after 5 s.
chain_stop() {
  local pid i
  for pid in "${chain_pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for i in $(seq 50); do
    local alive=0
    for pid in "${chain_pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.1
  done
  for pid in "${chain_pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  for pid in "${chain_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  chain_pids=()
}

chain_require_tools() {
  KAMAILIO=$(command -v kamailio || true)
  [ -n "$KAMAILIO" ] || [ ! -x /usr/sbin/kamailio ] || KAMAILIO=/usr/sbin/kamailio
  [ -n "$KAMAILIO" ] || chain_fail "kamailio is not installed (tools/install-deps.sh installs kamailio, kamailio-json-modules, kamailio-utils-modules)"
  local m
  for m in http_client rtjson jsonrpcs xhttp; do
    [ -f "/usr/lib/$(uname -m)-linux-gnu/kamailio/modules/$m.so" ] || [ -n "$(find /usr/lib* -path "*kamailio/modules/$m.so" -print -quit 2>/dev/null)" ] ||
      chain_fail "the Kamailio module $m is not installed (tools/install-deps.sh installs it)"
  done
  command -v sipp >/dev/null || chain_fail "sipp is not installed (tools/install-deps.sh installs sip-tester)"
  command -v curl >/dev/null || chain_fail "curl is not installed"
  command -v python3 >/dev/null || chain_fail "python3 is not installed"
}

# Prints N distinct ports free for both UDP and TCP on 127.0.0.1.
chain_free_ports() {
  python3 - "$1" <<'EOF'
import socket, sys
n, ports, held = int(sys.argv[1]), [], []
while len(ports) < n:
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind(("127.0.0.1", 0))
    port = u.getsockname()[1]
    t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        t.bind(("127.0.0.1", port))
    except OSError:
        u.close(); t.close(); continue
    held += [u, t]
    ports.append(port)
print(" ".join(map(str, ports)))
EOF
}

# csctl with the scratch HOME/XDG directories of the chain.
chain_csctl() {
  env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$WORK/home" XDG_CONFIG_HOME="$WORK/home/.config" \
    XDG_DATA_HOME="$WORK/home/.local/share" NO_COLOR=1 "$CSCTL" "$@"
}

chain_ok() {
  local out
  out=$(chain_csctl "$@" 2>&1) || chain_fail "csctl $* failed: $out"
}

# The tenant: routing.md's worked example reduced to three gateways on loopback ports.
#   Redmond 1   ^\+1(425|206)(\d{7})$   sbc1 (answers; StripPlus1: the Request-URI is 10 digits)
#   Redmond 2   ^\+1(425|206)(\d{7})$   sbc2 (answers)
#   Chicago     ^\+1(312)(\d{7})$       sbc3 (answers 503)
#   New York    ^\+1(646)(\d{7})$       sbc4 (does not answer)
#   Houston     ^\+1(713)(\d{7})$       sbc5.lab.invalid (a name that never resolves)
#   Other +1    ^\+1(\d{10})$           sbc2
#   International  .*                   sbc2 (usage International, not in "US Only")
# alice@contoso.com (+14255550100) has "US Only", which is also the tenant default.
chain_build_tenant() {
  local p1=$1 p2=$2 p3=$3 p4=$4
  mkdir -p "$WORK/home"
  chain_ok tenant init contoso --domain contoso.com --domain lab.invalid
  chain_ok translation-rule new StripPlus1 --pattern '^\+1(\d{10})$' --translation '$1'
  chain_ok online-pstn-gateway new sbc1.contoso.com --sip-signaling-port "$p1" --enabled \
    --outbound-pstn-number-translation-rules StripPlus1
  chain_ok online-pstn-gateway new sbc2.contoso.com --sip-signaling-port "$p2" --enabled
  chain_ok online-pstn-gateway new sbc3.contoso.com --sip-signaling-port "$p3" --enabled
  chain_ok online-pstn-gateway new sbc4.contoso.com --sip-signaling-port "$p4" --enabled
  chain_ok online-pstn-gateway new sbc5.lab.invalid --sip-signaling-port "$p4" --enabled
  chain_ok usage add "US and Canada"
  chain_ok usage add International
  chain_ok voice-route new "Redmond 1" --number-pattern '^\+1(425|206)(\d{7})$' \
    --online-pstn-gateway-list sbc1.contoso.com --priority 1 --online-pstn-usages "US and Canada"
  chain_ok voice-route new "Redmond 2" --number-pattern '^\+1(425|206)(\d{7})$' \
    --online-pstn-gateway-list sbc2.contoso.com --priority 2 --online-pstn-usages "US and Canada"
  chain_ok voice-route new Chicago --number-pattern '^\+1(312)(\d{7})$' \
    --online-pstn-gateway-list sbc3.contoso.com --priority 3 --online-pstn-usages "US and Canada"
  chain_ok voice-route new "New York" --number-pattern '^\+1(646)(\d{7})$' \
    --online-pstn-gateway-list sbc4.contoso.com --priority 4 --online-pstn-usages "US and Canada"
  chain_ok voice-route new Houston --number-pattern '^\+1(713)(\d{7})$' \
    --online-pstn-gateway-list sbc5.lab.invalid --priority 5 --online-pstn-usages "US and Canada"
  chain_ok voice-route new "Other +1" --number-pattern '^\+1(\d{10})$' \
    --online-pstn-gateway-list sbc2.contoso.com --priority 6 --online-pstn-usages "US and Canada"
  chain_ok voice-route new International --number-pattern '.*' \
    --online-pstn-gateway-list sbc2.contoso.com --priority 7 --online-pstn-usages International
  chain_ok voice-routing-policy new "US Only" --online-pstn-usages "US and Canada"
  chain_ok voice-routing-policy grant "US Only" --global --yes
  chain_ok user add alice@contoso.com --usage-location US --license PhoneSystem
  chain_ok user-enable alice@contoso.com --phone-number +14255550100 --phone-number-type DirectRouting \
    --enterprise-voice-enabled
  chain_ok voice-routing-policy grant "US Only" --user alice@contoso.com
}

# Starts csctl serve on a free port, pushes the tenant, writes a router token; sets SERVER_URL.
chain_start_server() {
  local data="$WORK/server" writer="$WORK/writer.token" log="$WORK/serve.log" i
  chain_csctl serve token create --data "$data" --tenant contoso --role writer > "$writer" || chain_fail "token create failed"
  chain_csctl serve token create --data "$data" --tenant contoso --role router > "$WORK/router.token" || chain_fail "token create failed"
  chmod 600 "$writer" "$WORK/router.token"
  # env execs csctl, which execs csctl-serve: the recorded pid is the server's.
  env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$WORK/home" "$CSCTL" serve --data "$data" --listen 127.0.0.1:0 > "$log" 2>&1 &
  chain_pids+=($!)
  SERVER_URL=""
  for i in $(seq 200); do
    SERVER_URL=$(grep -o 'listening on http://[0-9.:]*' "$log" | sed 's/listening on //' || true)
    [ -n "$SERVER_URL" ] && break
    sleep 0.1
  done
  [ -n "$SERVER_URL" ] || chain_fail "csctl serve did not start: $(cat "$log")"
  chain_ok remote set "$SERVER_URL" --token-file "$writer"
  chain_ok push --yes
}

# Starts a sipp gateway: NAME SCENARIO PORT (its log: $WORK/NAME.log).
chain_start_gateway() {
  local name=$1 scenario=$2 port=$3
  (cd "$WORK" && exec sipp -sf "$SOURCE_DIR/sbc/sipp/$scenario" -key gateway "$name" -i 127.0.0.1 -p "$port" \
    -nostdin -trace_logs -log_file "$WORK/$name.log" -trace_err -error_file "$WORK/$name.errors" \
    > "$WORK/$name.out" 2>&1) &
  chain_pids+=($!)
}

# JSON-RPC to Kamailio: METHOD [PARAMS-JSON].
chain_rpc() {
  curl -sS --max-time 5 -H 'Content-Type: application/json' \
    -d "{\"jsonrpc\":\"2.0\",\"method\":\"$1\",\"params\":${2:-[]},\"id\":1}" "http://127.0.0.1:$SIP_PORT/RPC"
}

# Starts Kamailio on SIP_PORT (UDP for SIP, TCP for JSON-RPC) and pins the gateway names to
# 127.0.0.1 in its DNS cache. Extra arguments go to sbc/run.sh.
chain_start_sbc() {
  local i
  "$SOURCE_DIR/sbc/run.sh" --server "$SERVER_URL" --tenant contoso --token-file "$WORK/router.token" \
    --listen "udp:127.0.0.1:$SIP_PORT" --rpc "tcp:127.0.0.1:$SIP_PORT" --dir "$WORK/kamailio" --fr-timer 2000 "$@" \
    > "$WORK/kamailio.log" 2>&1 &
  chain_pids+=($!)
  for i in $(seq 100); do
    chain_rpc core.version > /dev/null 2>&1 && break
    kill -0 "${chain_pids[-1]}" 2>/dev/null || chain_fail "kamailio exited: $(tail -n 20 "$WORK/kamailio.log")"
    sleep 0.1
  done
  chain_rpc core.version > /dev/null 2>&1 || chain_fail "kamailio did not answer JSON-RPC within 10 s: $(tail -n 20 "$WORK/kamailio.log")"
  for i in 1 2 3 4; do
    chain_rpc dns.add_a "[\"sbc$i.contoso.com\", 86400, \"127.0.0.1\", 2]" | grep -q '"result"' ||
      chain_fail "cannot pin sbc$i.contoso.com in Kamailio's DNS cache"
  done
}
