#!/usr/bin/env bash
# Every benchmark that has a target in the issues, one after the other (run it on a quiet
# machine: each script's figures depend on nothing else running). Each script's whole output goes
# to OUT (default: a new temporary directory); the lines of each that carry its figures are
# printed as it ends.
#
#   bench/targets.sh [BUILD_DIR]          (needs hyperfine, sqlite3, wrk, jq; about 5 minutes)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-build}" && pwd)
out=${OUT:-$(mktemp -d /tmp/csctl-bench-targets-XXXXXX)}
mkdir -p "$out"
run() {
  local name=$1 figures=$2
  shift 2
  echo "== $name: $* (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  local rc=0
  "$@" >"$out/$name.log" 2>&1 || rc=$?
  [ "$rc" -eq 0 ] || echo "   exit code $rc (the whole output: $out/$name.log)"
  grep -E "$figures" "$out/$name.log" | sed 's/^/   /'
}
cd "$here/.."
hyperfine_lines='^Benchmark|Time \(mean|Range \(min'
run read_route 'median|ratio' bench/read_route.sh "$build"
run complete "$hyperfine_lines" env CSCTL="$build/csctl" bench/complete.sh user 100000
run route_lookup 'lookups/s' "$build/bench/route_lookup"
run route_check_users "all users:|$hyperfine_lines" bench/route_check_users.sh "$build" 100000
run users 'median .* wall' env RUNS=7 bench/users.sh "$build" 100000
run apply "$hyperfine_lines" bench/apply.sh "$build" 10000 100000
run api_push 'push' env USERS=100000 bench/api_push.sh "$build" 10000 5
run api_query 'median of' env RUNS=3 ONLY=route bench/api_query.sh "$build" 5
echo "== every output: $out"
