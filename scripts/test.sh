#!/usr/bin/env bash
# The whole test suite: unit tests per module, end-to-end sweeps under real mpirun,
# and the scientific checks at a reduced size (OVERPARAM_SCIENCE=full for full size).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
bash scripts/build.sh --build-tests
# The end-to-end and scientific tests launch the release build: they train real
# networks, and debug Swift is ~10x slower at it.
bash scripts/build.sh -c release --product overparam
export OVERPARAM_BIN=.build/release/overparam
swift test --skip-build "$@"
