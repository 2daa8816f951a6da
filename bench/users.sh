#!/usr/bin/env bash
# Directory at scale: `user import` of N users from CSV side by side with sqlite3 .import of the
# same file, `upgrade-policy grant UpgradeToTeams --from-csv` to all of them, `user get` on the
# resulting tenant, and the start-up of an ordinary read (which must not load libphonenumber).
#
#   bench/users.sh [BUILD_DIR] [N]        (defaults: build, 100000; needs hyperfine and sqlite3)
#
# Environment: RUNS (default 15) runs per bulk command; CPU=N pins every timed command to that
# CPU with taskset (default: not pinned); CALLGRIND=1 also counts the instructions of the import
# (csctl and sqlite3) and of the grant with valgrind, which does not depend on the machine's load.
# Prints hyperfine's tables, then one line per command with the median wall time and the mean
# user and system CPU time.
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
n=${2:-100000}
runs=${RUNS:-15}
csctl="$build/csctl"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
pin=()
if [ -n "${CPU:-}" ]; then pin=(taskset -c "$CPU"); fi
hf() { "${pin[@]}" hyperfine -N "$@"; }

# The CSV of `user import` (cli.md): every documented column, one licence, no groups.
awk -v n="$n" 'BEGIN {
  print "userPrincipalName,displayName,sipAddress,objectId,usageLocation,accountType,homed,licenses,groups"
  for (i = 1; i <= n; i++)
    printf "user%06d@contoso.com,User %06d,,%08x-0000-4000-8000-%012x,US,User,online,PhoneSystem,\n", i, i, i, i
}' > users.csv
awk -F, 'NR == 1 { print "userPrincipalName" } NR > 1 { print $1 }' users.csv > grant.csv

# sqlite3's table has the shape of the CSV, keyed like csctl's users table (UPN, any case), in
# the same journal mode and synchronous setting as a csctl tenant.
cat > baseline.sql <<'SQL'
PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
CREATE TABLE users (userPrincipalName TEXT NOT NULL PRIMARY KEY COLLATE NOCASE, displayName TEXT, sipAddress TEXT,
  objectId TEXT, usageLocation TEXT, accountType TEXT, homed TEXT, licenses TEXT, groups TEXT) WITHOUT ROWID;
SQL
"$csctl" tenant init bench --db empty.db >/dev/null 2>&1

summary() {  # the median wall time and mean CPU times of each command in a hyperfine JSON export
  jq -r 'def ms: . * 10000 | round / 10; .results[] | "\(.command): median \(.median | ms) ms wall, user \(.user | ms) ms, system \(.system | ms) ms (\(.times | length) runs)"' "$1"
}

echo "== load before the runs: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== import $n users: csctl user import vs sqlite3 .import (same CSV, one run)"
hf --warmup 1 --runs "$runs" \
  --prepare "sh -c 'rm -f base.db base.db-wal base.db-shm && sqlite3 base.db < baseline.sql >/dev/null'" \
  -n "sqlite3 .import" "sqlite3 base.db '.import --csv --skip 1 users.csv users'" \
  --prepare "sh -c 'rm -f t.db-wal t.db-shm && cp empty.db t.db'" \
  -n "csctl user import" "$csctl --db t.db user import users.csv" \
  --export-markdown import.md --export-json import.json
cat import.md

# A tenant with the users, for the next two.
cp empty.db full.db
"$csctl" --db full.db user import users.csv
cp full.db full0.db

echo "== grant UpgradeToTeams to $n users from CSV"
hf --warmup 1 --runs "$runs" \
  --prepare "sh -c 'rm -f g.db-wal g.db-shm && cp full0.db g.db'" \
  -n "csctl upgrade-policy grant --from-csv" "$csctl --db g.db upgrade-policy grant UpgradeToTeams --from-csv grant.csv" \
  --export-markdown grant.md --export-json grant.json
cat grant.md

"$csctl" --db full.db upgrade-policy grant UpgradeToTeams --from-csv grant.csv
echo "== user get on a tenant of $n users"
hf --warmup 5 --runs 100 \
  -n "csctl user get" "$csctl --db full.db user get user050000@contoso.com -o json" \
  --export-markdown get.md --export-json get.json
cat get.md

echo "== start-up of an ordinary read (libphonenumber is not loaded)"
"$csctl" tenant init small --db small.db >/dev/null 2>&1
"$csctl" --db small.db usage add US >/dev/null 2>&1
"$csctl" --db small.db voice-route new X --online-pstn-usages US >/dev/null 2>&1 || true
if ldd "$csctl" | grep -q phonenumber; then echo "csctl links libphonenumber directly"; else echo "csctl does not link libphonenumber"; fi
"$csctl" --db small.db user add a@contoso.com --license PhoneSystem --usage-location US >/dev/null 2>&1
hf --warmup 5 --runs 50 \
  -n "voice-route get X" "$csctl --db small.db voice-route get X" \
  -n "user-enable, digit string (no parsing)" "$csctl --db small.db user-enable a@contoso.com --number 14255550100 --dry-run" \
  -n "user-enable, E.164 (checked with libphonenumber)" "$csctl --db small.db user-enable a@contoso.com --number +14255550100 --dry-run" \
  -n "user-enable, human format (parsed with libphonenumber)" "$csctl --db small.db user-enable a@contoso.com --number '(425) 555-0100' --dry-run" \
  --export-markdown startup.md --export-json startup.json
cat startup.md

echo "== summary (median wall; mean CPU)"
for f in import grant get startup; do summary "$f.json"; done
echo "== load after the runs: $(cut -d' ' -f1-3 /proc/loadavg)"

if [ "${CALLGRIND:-0}" = 1 ]; then
  echo "== instructions (valgrind --tool=callgrind), $n users"
  count() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null | sed -n 's/.*refs: *//p'; }
  rm -f base.db base.db-wal base.db-shm && sqlite3 base.db < baseline.sql >/dev/null
  echo "sqlite3 .import: $(count sqlite3 base.db '.import --csv --skip 1 users.csv users')"
  cp empty.db t.db && rm -f t.db-wal t.db-shm
  echo "csctl user import: $(count "$csctl" --db t.db user import users.csv)"
  cp full0.db g.db && rm -f g.db-wal g.db-shm
  echo "csctl upgrade-policy grant --from-csv: $(count "$csctl" --db g.db upgrade-policy grant UpgradeToTeams --from-csv grant.csv)"
  echo "csctl user get: $(count "$csctl" --db full.db user get user050000@contoso.com -o json)"
fi
