#!/usr/bin/env bash
# Runs Kamailio with sbc/kamailio/kamailio.cfg in the foreground, in front of a `csctl serve`.
#
#   sbc/run.sh --server http://127.0.0.1:8443 --tenant contoso --token-file router.token \
#              [--listen udp:127.0.0.1:5060] [--rpc tcp:127.0.0.1:5060] [--dir DIR] \
#              [--workers N] [--fr-timer MS] [--memory MB] [--query-log] [-- KAMAILIO-OPTIONS...]
#
# --token-file holds a `router` token of the tenant (`csctl serve token create --role router`).
# DIR (default ./sbc-run) receives the http_client connection file (mode 600: it holds the token)
# and Kamailio's pid file and runtime files. Logs go to stderr. Stop it with SIGTERM.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

server="" tenant="" token_file="" listen="udp:127.0.0.1:5060" rpc="" dir="./sbc-run"
workers=4 fr_timer=2000 memory=256 query_log=0
usage() { sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --server) server=$2; shift 2 ;;
    --tenant) tenant=$2; shift 2 ;;
    --token-file) token_file=$2; shift 2 ;;
    --listen) listen=$2; shift 2 ;;
    --rpc) rpc=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    --workers) workers=$2; shift 2 ;;
    --fr-timer) fr_timer=$2; shift 2 ;;
    --memory) memory=$2; shift 2 ;;
    --query-log) query_log=1; shift ;;
    --) shift; break ;;
    -h|--help) usage ;;
    *) echo "sbc/run.sh: unknown option $1" >&2; usage ;;
  esac
done
[ -n "$server" ] && [ -n "$tenant" ] && [ -n "$token_file" ] || usage
case "$server" in http://*|https://*) ;; *) echo "sbc/run.sh: --server must be an http:// or https:// URL" >&2; exit 2 ;; esac
[[ "$tenant" =~ ^[A-Za-z0-9._-]+$ ]] || { echo "sbc/run.sh: --tenant '$tenant' is not a tenant name" >&2; exit 2; }
[ -r "$token_file" ] || { echo "sbc/run.sh: cannot read --token-file '$token_file'" >&2; exit 2; }
# The JSON-RPC endpoint listens on TCP at the SIP address unless told otherwise.
[ -n "$rpc" ] || rpc="tcp:${listen#*:}"

kamailio=$(command -v kamailio || true)
[ -n "$kamailio" ] || [ ! -x /usr/sbin/kamailio ] || kamailio=/usr/sbin/kamailio
[ -n "$kamailio" ] || { echo "sbc/run.sh: kamailio is not installed (tools/install-deps.sh installs it)" >&2; exit 2; }

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
token=$(tr -d '\r\n' < "$token_file")
(
  umask 077
  # http_client's connection file: the router token travels as the password of HTTP Basic
  # (its named connections cannot send other headers), which csctl serve accepts like a bearer token.
  cat > "$dir/http_client.cfg" <<EOF
[csctl]
url = $server
username = router
password = $token
timeout = 2
EOF
)

defines=(-A "SIP_LISTEN=$listen" -A "RPC_LISTEN=$rpc" -A "HTTP_CLIENT_CONFIG=\"$dir/http_client.cfg\""
         -A "CSCTL_TENANT=\"$tenant\"" -A "WORKERS=$workers" -A "FR_TIMER=$fr_timer")
[ "$query_log" = 1 ] && defines+=(-A WITH_QUERY_LOG)
exec "$kamailio" -f "$here/kamailio/kamailio.cfg" -DD -E -m "$memory" -Y "$dir" -P "$dir/kamailio.pid" "${defines[@]}" "$@"
