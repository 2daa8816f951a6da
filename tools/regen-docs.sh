#!/usr/bin/env bash
# Regenerates the committed shell completions (completions/) and man pages (man/) from the built
# csctl. Run it after changing commands; the test suite fails while they are stale.
set -euo pipefail
cd "$(dirname "$0")/.."
csctl=${CSCTL:-build/csctl}
"$csctl" completion bash > completions/csctl
"$csctl" completion zsh > completions/_csctl
"$csctl" completion fish > completions/csctl.fish
"$csctl" __man man
