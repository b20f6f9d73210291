#!/usr/bin/env python3
"""Peak memory per rank against the number of seeds of one cell.

Usage: python3 scripts/bench_memory.py [--seeds 20,200,2000] [--ranks 2] [--ensemble 20] [--skip-build]

For each seed count, runs one cell of a small MLP (Fashion-MNIST, P = 500, M = 1000
test outputs per net, width 32, 2 epochs, ensembles of --ensemble seeds, shared data
order) under `mpirun -n RANKS overparam sweep`, and reads the peak RSS that rank 0
prints for itself and for every other rank (sent with their acknowledgement of stop).
Every net's 1000 x 10 test outputs go to rank 0, which folds them into the live
fluctuation statistics and stores them: what grows with the seeds is the store on
disk, not the memory of any rank. Prints a Markdown table.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, ".build", "release", "overparam")
LINE = re.compile(r"ran (\d+) tasks in ([\d.]+) s.*rank 0 peak RSS ([\d.]+) MB(?:; other ranks' peak RSS \(MB\) (.*))?")
SPEC = """name: bench-memory
model: mlp
dataset: fashion-mnist
train_size: 500
test_size: 1000
width: 32
epochs: 2
batch_size: 100
data_order: shared
ensemble_size: {ensemble}
seeds: {seeds}
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", default="20,200,2000")
    ap.add_argument("--ranks", type=int, default=2)
    ap.add_argument("--ensemble", type=int, default=20)
    ap.add_argument("--skip-build", action="store_true")
    args = ap.parse_args()
    if not args.skip_build:
        subprocess.run(["bash", os.path.join(ROOT, "scripts", "build.sh"), "-c", "release", "--product", "overparam"],
                       check=True)
    env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for seeds in [int(s) for s in args.seeds.split(",")]:
            spec = os.path.join(tmp, f"s{seeds}.yaml")
            with open(spec, "w") as f:
                f.write(SPEC.format(seeds=seeds, ensemble=args.ensemble))
            store = os.path.join(tmp, f"s{seeds}.sqlite")
            cmd = (["mpirun", "-n", str(args.ranks)] + (["--oversubscribe"] if args.ranks > (os.cpu_count() or 1) else [])
                   + [BIN, "sweep", spec, "--store", store, "--quiet"])
            out = subprocess.run(cmd, env=env, capture_output=True, text=True)
            m = LINE.search(out.stderr)
            if out.returncode != 0 or not m:
                sys.exit(f"bench: {' '.join(cmd)} failed:\n{out.stderr}")
            others = dict(p.split(": ") for p in m[4].split(", ")) if m[4] else {}
            size = os.path.getsize(store) / 2**20
            rows.append((seeds, int(m[1]), float(m[2]), float(m[3]), others, size))
            print(f"  {seeds} seeds: {m[0]}", file=sys.stderr, flush=True)
    print(f"\nOne MLP cell (784-32-10, P = 500, 1000 test outputs per net, 2 epochs, ensembles of {args.ensemble}), "
          f"{args.ranks} ranks:\n")
    print("| seeds | wall (s) | rank 0 peak RSS (MB) | other ranks' peak RSS (MB) | store on disk (MB) |")
    print("|---|---|---|---|---|")
    for seeds, ran, wall, rss0, others, size in rows:
        print(f"| {seeds} | {wall:.1f} | {rss0:.1f} | " + ", ".join(f"rank {k}: {v}" for k, v in others.items())
              + f" | {size:.0f} |")


if __name__ == "__main__":
    main()
