#!/usr/bin/env python3
"""Dispatch of many tiny tasks: overparam against mpi4py.futures, side by side.

Usage: python3 scripts/bench_dispatch.py [--repeats 3] [--ranks 2] [--tasks 10000] [--skip-build]

Runs, alternately and --repeats times each, on the same number of MPI ranks:
  mpirun -n R .build/release/overparam sweep sweeps/bench-dispatch.yaml --store TMP --quiet
      10,000 tasks (one random-features fit of 4 toy points each), every result and its
      outputs stored; tasks/s from the sweep's own summary line (dispatch start to last
      result stored), and the store is checked to hold every task exactly once;
  mpirun -n R .venv-bench/bin/python -m mpi4py.futures scripts/bench_references/mpi4py_dispatch.py
      the same number of equally tiny tasks through MPIPoolExecutor.map (rank 0 submits,
      the other ranks work), results kept in memory.
Prints a Markdown table of the medians and their ratio. mpi4py is installed into the
.venv-bench/ virtual environment (built against this machine's Open MPI) when missing.
"""
import argparse
import json
import os
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, ".build", "release", "overparam")
VENV = os.path.join(ROOT, ".venv-bench")
VPY = os.path.join(VENV, "bin", "python")
SPEC = os.path.join(ROOT, "sweeps", "bench-dispatch.yaml")
LINE = re.compile(r"ran (\d+) tasks in ([\d.]+) s on (\d+) ranks?")
ENV = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1")


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def setup():
    if not os.path.exists(VPY):
        log("bench: creating .venv-bench/")
        subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
    have = subprocess.run([VPY, "-c", "import mpi4py, numpy"], capture_output=True).returncode == 0
    if not have:
        log("bench: installing mpi4py and numpy into .venv-bench/")
        out = subprocess.run([VPY, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "mpi4py", "numpy"],
                             capture_output=True, text=True, env=dict(ENV, MPICC="mpicc"))
        if out.returncode != 0:
            sys.exit(f"bench: pip install mpi4py numpy failed:\n{out.stdout}{out.stderr}")


def mpirun(ranks):
    return ["mpirun", "-n", str(ranks)] + (["--oversubscribe"] if ranks > (os.cpu_count() or 1) else [])


def run_overparam(ranks, tasks, store):
    out = subprocess.run(mpirun(ranks) + [BIN, "sweep", SPEC, "--store", store, "--quiet"],
                         env=ENV, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"bench: overparam sweep failed:\n{out.stderr}")
    m = LINE.search(out.stderr)
    if not m:
        sys.exit(f"bench: no summary line in:\n{out.stderr}")
    ran, wall = int(m[1]), float(m[2])
    db = sqlite3.connect(store)
    stored, distinct, outputs = db.execute(
        "SELECT COUNT(*), COUNT(DISTINCT task_idx), (SELECT COUNT(*) FROM outputs) FROM results").fetchone()
    db.close()
    if not (ran == stored == distinct == outputs == tasks):
        sys.exit(f"bench: the store holds {stored} results ({distinct} distinct, {outputs} outputs) for {tasks} tasks")
    return ran / wall


def run_mpi4py(ranks, tasks):
    script = os.path.join(ROOT, "scripts", "bench_references", "mpi4py_dispatch.py")
    out = subprocess.run(mpirun(ranks) + [VPY, "-m", "mpi4py.futures", script, "--tasks", str(tasks)],
                         env=ENV, capture_output=True, text=True)
    rows = [json.loads(l) for l in out.stdout.splitlines() if l.startswith("{")]
    if out.returncode != 0 or not rows:
        sys.exit(f"bench: mpi4py reference failed:\n{out.stdout}{out.stderr}")
    return rows[0]["tasks_per_s"], rows[0]["version"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--ranks", type=int, default=2)
    ap.add_argument("--skip-build", action="store_true")
    args = ap.parse_args()
    with open(SPEC) as f:
        tasks = int(re.search(r"^seeds:\s*(\d+)", f.read(), re.M)[1])
    setup()
    if not args.skip_build:
        subprocess.run(["bash", os.path.join(ROOT, "scripts", "build.sh"), "-c", "release", "--product", "overparam"],
                       check=True)
    ours, theirs, version = [], [], "?"
    with tempfile.TemporaryDirectory() as tmp:
        for rep in range(args.repeats):
            first_ours = rep % 2 == 0
            for which in ([0, 1] if first_ours else [1, 0]):
                if which == 0:
                    ours.append(run_overparam(args.ranks, tasks, os.path.join(tmp, f"d{rep}.sqlite")))
                    log(f"  repeat {rep + 1}: overparam {ours[-1]:.0f} tasks/s (all {tasks} stored once)")
                else:
                    rate, version = run_mpi4py(args.ranks, tasks)
                    theirs.append(rate)
                    log(f"  repeat {rep + 1}: mpi4py.futures {rate:.0f} tasks/s")
    o, t = statistics.median(ours), statistics.median(theirs)
    print(f"\n{tasks} tiny tasks on {args.ranks} MPI ranks, median of {args.repeats} alternating runs:\n")
    print("| implementation | tasks/s (median) | runs |")
    print("|---|---|---|")
    print(f"| overparam sweep (results and outputs stored in SQLite) | {o:.0f} | " + ", ".join(f"{r:.0f}" for r in ours) + " |")
    print(f"| mpi4py {version} MPIPoolExecutor.map (results in memory) | {t:.0f} | "
          + ", ".join(f"{r:.0f}" for r in theirs) + " |")
    print(f"| overparam / mpi4py | {o / t:.2f} | |")


if __name__ == "__main__":
    main()
