#!/usr/bin/env bash
# Builds the fuzz targets (tests/fuzz/CMakeLists.txt, clang + libFuzzer, ASan/UBSan) in BUILD_DIR
# and runs one target for SECONDS on a scratch copy of its seed corpus. Fails on any crash, hang
# (a single input running over 10 s), leak or sanitizer report.
#   tests/fuzz/run.sh TARGET SECONDS BUILD_DIR
set -euo pipefail
target=$1 seconds=$2 build=$3
here=$(cd "$(dirname "$0")" && pwd)
cxx=${CSCTL_FUZZ_CXX:-$(command -v clang++-14 || command -v clang++)}
if [ ! -e "$build/build.ninja" ] && [ ! -e "$build/Makefile" ]; then
  generator=()
  command -v ninja >/dev/null && generator=(-G Ninja)
  cmake -S "$here" -B "$build" "${generator[@]}" -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_BUILD_TYPE=None >/dev/null
fi
cmake --build "$build" --target "fuzz_$target" >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus" "$work/artifacts"
cp "$here/corpus/$target"/* "$work/corpus/"
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
# -jobs/-workers stay at 1: the machine is shared with the rest of the test suite.
"$build/fuzz_$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=4096 \
  -print_final_stats=1 -artifact_prefix="$work/artifacts/" "$work/corpus" 2>"$work/log" || {
  tail -n 60 "$work/log" >&2
  for crash in "$work/artifacts"/*; do
    [ -e "$crash" ] || continue
    echo "crashing input ($crash):" >&2
    od -c "$crash" | head -n 20 >&2
  done
  exit 1
}
grep -E '^stat::number_of_executed_runs|^#[0-9]+.*DONE' "$work/log" | tail -n 2
