#!/usr/bin/env bash
# Builds quietly: prints the compiler's output only when the build fails.
#   bash scripts/build.sh [swift build arguments...]
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .build
log=.build/last-build.log
if ! swift build "$@" >"$log" 2>&1; then
  cat "$log" >&2
  echo "build failed: swift build $*" >&2
  exit 1
fi
grep -E 'warning:' "$log" >&2 || true
