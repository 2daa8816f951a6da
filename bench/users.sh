#!/usr/bin/env bash
# Directory at scale: `user import` of N users from CSV side by side with sqlite3 .import of the
# same file, `upgrade-policy grant UpgradeToTeams --from-csv` to all of them, `user get` on the
# resulting tenant, and the start-up of an ordinary read (which must not load libphonenumber).
#
#   bench/users.sh [BUILD_DIR] [N]        (defaults: build, 100000; needs hyperfine and sqlite3)
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
n=${2:-100000}
csctl="$build/csctl"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

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

echo "== import $n users: csctl user import vs sqlite3 .import (same CSV, one run)"
hyperfine -N --warmup 1 --runs 10 \
  --prepare "sh -c 'rm -f base.db base.db-wal base.db-shm && sqlite3 base.db < baseline.sql >/dev/null'" \
  -n "sqlite3 .import" "sqlite3 base.db '.import --csv --skip 1 users.csv users'" \
  --prepare "sh -c 'rm -f t.db-wal t.db-shm && cp empty.db t.db'" \
  -n "csctl user import" "$csctl --db t.db user import users.csv" \
  --export-markdown import.md
cat import.md

# A tenant with the users, for the next two.
cp empty.db full.db
"$csctl" --db full.db user import users.csv
cp full.db full0.db

echo "== grant UpgradeToTeams to $n users from CSV"
hyperfine -N --warmup 1 --runs 10 \
  --prepare "sh -c 'rm -f g.db-wal g.db-shm && cp full0.db g.db'" \
  -n "csctl upgrade-policy grant --from-csv" "$csctl --db g.db upgrade-policy grant UpgradeToTeams --from-csv grant.csv" \
  --export-markdown grant.md
cat grant.md

"$csctl" --db full.db upgrade-policy grant UpgradeToTeams --from-csv grant.csv
echo "== user get on a tenant of $n users"
hyperfine -N --warmup 5 --runs 50 \
  -n "csctl user get" "$csctl --db full.db user get user050000@contoso.com -o json" \
  --export-markdown get.md
cat get.md

echo "== start-up of an ordinary read (libphonenumber is not loaded)"
"$csctl" tenant init small --db small.db >/dev/null 2>&1
"$csctl" --db small.db usage add US >/dev/null 2>&1
"$csctl" --db small.db voice-route new X --online-pstn-usages US >/dev/null 2>&1 || true
if ldd "$csctl" | grep -q phonenumber; then echo "csctl links libphonenumber directly"; else echo "csctl does not link libphonenumber"; fi
"$csctl" --db small.db user add a@contoso.com --license PhoneSystem --usage-location US >/dev/null 2>&1
hyperfine -N --warmup 5 --runs 50 \
  -n "voice-route get X" "$csctl --db small.db voice-route get X" \
  -n "user-enable, E.164 (fast path)" "$csctl --db small.db user-enable a@contoso.com --number +14255550100 --dry-run" \
  -n "user-enable, human format (loads libphonenumber)" "$csctl --db small.db user-enable a@contoso.com --number '(425) 555-0100' --dry-run" \
  --export-markdown startup.md
cat startup.md
