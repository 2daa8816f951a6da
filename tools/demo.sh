#!/usr/bin/env bash
# Installs what is missing, builds, and walks through the main job on a local scratch tenant:
# the Direct Routing configuration of Microsoft's "Configure call routing" example.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-deps.sh
tools/build.sh
scratch=$(pwd)/build/demo
rm -rf "$scratch"
export XDG_DATA_HOME=$scratch/data XDG_CONFIG_HOME=$scratch/config
csctl() { ./build/csctl "$@"; }
step() { printf '\n\033[1m$ csctl %s\033[0m\n' "$*"; csctl "$@"; }

step tenant init contoso --domain contoso.com
for i in 1 2 3 4 5 6; do
  step online-pstn-gateway new sbc$i.contoso.com --sip-signaling-port 5061 --enabled -o list >/dev/null
done
step usage add "US and Canada" International
step voice-route new "Redmond 1" --number-pattern '^\+1(425|206)(\d{7})$' \
  --online-pstn-gateway-list sbc1.contoso.com,sbc2.contoso.com --priority 1 --online-pstn-usages "US and Canada"
step voice-route new "Redmond 2" --number-pattern '^\+1(425|206)(\d{7})$' \
  --online-pstn-gateway-list sbc3.contoso.com,sbc4.contoso.com --priority 2 --online-pstn-usages "US and Canada"
step voice-route new "Other +1" --number-pattern '^\+1(\d{10})$' \
  --online-pstn-gateway-list sbc5.contoso.com,sbc6.contoso.com --online-pstn-usages "US and Canada"
step voice-route new International --number-pattern '.*' \
  --online-pstn-gateway-list sbc2.contoso.com,sbc5.contoso.com --online-pstn-usages International
step voice-routing-policy new "US Only" --online-pstn-usages "US and Canada"
step voice-routing-policy new "No Restrictions" --online-pstn-usages "US and Canada,International"
step user add spencer@contoso.com --display-name "Spencer Low" --usage-location US --license PhoneSystem -o list
step upgrade-policy grant UpgradeToTeams --user spencer@contoso.com --yes
step voice-routing-policy grant "US Only" --user spencer@contoso.com
step user-enable spencer@contoso.com --number +14255550100 -o list
step route test --user spencer@contoso.com --number +14255550123 --seed 1
step online-pstn-gateway get
step usage get
step voice-route get
step voice-routing-policy get
step voice-route new "Redmond 0" --number-pattern '^\+1425555(\d{4})$' --priority 1 \
  --online-pstn-gateway-list sbc1.contoso.com --online-pstn-usages "US and Canada" --dry-run
step online-pstn-gateway remove sbc1.contoso.com --yes || echo "(refused, as it should be: a route still uses it)"
step log --limit 5

# The routing-control API: a local server on a free loopback port, a writer token in a private
# file, push, ask the server for the tenant and for a route as an SBC would, stop the server.
printf '\n\033[1m# the routing-control API: csctl serve on 127.0.0.1\033[0m\n'
serve_log=$scratch/serve.log
csctl serve token create --data "$scratch/server" --tenant contoso --role writer >"$scratch/writer.token"
chmod 600 "$scratch/writer.token"
csctl serve --data "$scratch/server" --listen 127.0.0.1:0 2>"$serve_log" &
server_pid=$!
trap 'kill $server_pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q listening "$serve_log" && break; sleep 0.05; done
url=$(grep -o 'http://127.0.0.1:[0-9]*' "$serve_log")
step remote set "$url" --token-file "$scratch/writer.token"
step plan
step push --yes
step status
printf '\n\033[1m$ curl -H "Authorization: Bearer $(cat writer.token)" %s/v1/tenants/contoso/voice-routes/Redmond%%201\033[0m\n' "$url"
curl -sS -H "Authorization: Bearer $(cat "$scratch/writer.token")" "$url/v1/tenants/contoso/voice-routes/Redmond%201"
echo
csctl serve token create --data "$scratch/server" --tenant contoso --role router >"$scratch/router.token"
query="$url/v1/tenants/contoso/route?from=spencer@contoso.com&to=%2B14255550123&seed=1"
for format in "" "&format=rtjson"; do
  printf '\n\033[1m$ curl -H "Authorization: Bearer $(cat router.token)" "%s"\033[0m\n' "$query$format"
  curl -sS -H "Authorization: Bearer $(cat "$scratch/router.token")" "$query$format"
  echo
done
kill "$server_pid"
wait "$server_pid" 2>/dev/null || true
trap - EXIT
printf '\nThe tenant is in %s; try: XDG_DATA_HOME=%s XDG_CONFIG_HOME=%s build/csctl voice-route get\n' \
  "$scratch/data/csctl/contoso.db" "$XDG_DATA_HOME" "$XDG_CONFIG_HOME"
