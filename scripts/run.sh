#!/usr/bin/env bash
# The main job: install what is missing, build release, run a sweep on every core of
# this machine under mpirun, print its results table and draw its figures.
#   bash scripts/run.sh [SPEC] [RANKS]     (default: sweeps/random-features.yaml, 2)
# Rerunning continues the same store (--resume): finished tasks are not run again.
set -euo pipefail
cd "$(dirname "$0")/.."
spec=${1:-sweeps/random-features.yaml}
ranks=${2:-2}

bash scripts/install-deps.sh
bash scripts/build.sh -c release --product overparam
bin=.build/release/overparam

name=$(sed -n 's/^name:[[:space:]]*\([A-Za-z0-9._-]*\).*/\1/p' "$spec" | head -n1)
name=${name:-$(basename "$spec" .yaml)}
store=results/$name.sqlite

# Open MPI refuses root unless told; more ranks than cores needs --oversubscribe.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
extra=()
[ "$ranks" -le "$(nproc)" ] || extra+=(--oversubscribe)
mpirun -n "$ranks" "${extra[@]}" "$bin" sweep "$spec" --store "$store" --resume

mkdir -p "figures/$name"
"$bin" analyze "$store" --csv "figures/$name/cells.csv"
python3 scripts/plot.py "$store" "figures/$name" --cells "figures/$name/cells.csv"
