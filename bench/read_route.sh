#!/usr/bin/env bash
# `csctl voice-route get NAME` on a tenant of 10,000 routes with a 100,000-entry journal, next to
# /bin/true in the same hyperfine run. Target: median ≤ 3 ms and ≤ 5× /bin/true.
#   bench/read_route.sh [BUILD_DIR]
set -euo pipefail
build=${1:-build}
work=${BENCH_DIR:-$build/bench-data}
mkdir -p "$work"
db=$work/routes-10k-journal-100k.db
[ -f "$db" ] || "$build/bench/make_tenant" "$db" 10000 100000
hyperfine -N --warmup 50 --runs 1000 --export-json "$work/read_route.json" \
  "$build/csctl --db $db voice-route get route-5000" "/bin/true" >/dev/null
python3 - "$work/read_route.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
get, true = r[0]["median"] * 1000, r[1]["median"] * 1000
print(f"voice-route get (10k routes, 100k journal): median {get:.2f} ms")
print(f"/bin/true:                                  median {true:.2f} ms")
print(f"ratio: {get/true:.1f}x   target: <= 3 ms and <= 5x -> {'PASS' if get <= 3 and get <= 5*true else 'FAIL'}")
PY
