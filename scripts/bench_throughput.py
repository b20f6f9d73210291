#!/usr/bin/env python3
"""Sweep throughput with 1 and 2 ranks on the same task set, run side by side.

Usage: python3 scripts/bench_throughput.py [--repeats 3] [--ranks 1,2,4] [--spec sweeps/bench-throughput.yaml]

Alternates runs on each number of ranks (so machine noise hits all alike; more ranks
than cores run with --oversubscribe), reads the tasks/s and the coordinator thread's
CPU that `overparam sweep` prints, checks that every run's store holds every task
exactly once with its outputs, and reports medians and the throughput ratios to the
first rank count. Builds release first (scripts/build.sh).
"""
import argparse
import os
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, ".build", "release", "overparam")
LINE = re.compile(r"ran (\d+) tasks in ([\d.]+) s on (\d+) ranks?.*coordinator thread CPU ([\d.]+) s")


def run(ranks, spec, store):
    env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1")
    cmd = [BIN, "sweep", spec, "--store", store, "--quiet"]
    if ranks > 1:
        cmd = ["mpirun", "-n", str(ranks)] + (["--oversubscribe"] if ranks > os.cpu_count() else []) + cmd
    out = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"bench: {' '.join(cmd)} failed:\n{out.stderr}")
    m = LINE.search(out.stderr)
    if not m:
        sys.exit(f"bench: no summary line in:\n{out.stderr}")
    tasks, wall, _, cpu = int(m[1]), float(m[2]), int(m[3]), float(m[4])
    db = sqlite3.connect(store)
    planned, stored, distinct, outputs = db.execute(
        "SELECT (SELECT COUNT(*) FROM tasks), COUNT(*), COUNT(DISTINCT task_idx), (SELECT COUNT(*) FROM outputs) "
        "FROM results").fetchone()
    db.close()
    if not (tasks == planned == stored == distinct == outputs):
        sys.exit(f"bench: {ranks} ranks lost or duplicated results: {planned} tasks, {stored} results "
                 f"({distinct} distinct), {outputs} outputs")
    return tasks / wall, wall, cpu


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--spec", default=os.path.join(ROOT, "sweeps", "bench-throughput.yaml"))
    ap.add_argument("--ranks", default="1,2")
    args = ap.parse_args()
    subprocess.run(["bash", os.path.join(ROOT, "scripts", "build.sh"), "-c", "release", "--product", "overparam"],
                   check=True)
    rank_counts = [int(r) for r in args.ranks.split(",")]
    results = {r: [] for r in rank_counts}
    with tempfile.TemporaryDirectory() as tmp:
        for rep in range(args.repeats):
            for r in rank_counts:
                store = os.path.join(tmp, f"r{r}-{rep}.sqlite")
                rate, wall, cpu = run(r, args.spec, store)
                results[r].append((rate, wall, cpu))
                print(f"  run {rep + 1}: {r} rank(s): {rate:.3f} tasks/s, {wall:.2f} s, coordinator CPU {cpu:.4f} s",
                      flush=True)
    print()
    print("Every run's store checked: each task stored exactly once, with its outputs.\n")
    print("| ranks | median tasks/s | median wall (s) | coordinator CPU (s) | coordinator CPU / wall |")
    print("|---|---|---|---|---|")
    med = {}
    for r in rank_counts:
        rate = statistics.median(x[0] for x in results[r])
        wall = statistics.median(x[1] for x in results[r])
        cpu = statistics.median(x[2] for x in results[r])
        med[r] = rate
        print(f"| {r} | {rate:.3f} | {wall:.2f} | {cpu:.4f} | {100 * cpu / wall:.2f} % |")
    base = rank_counts[0]
    for r in rank_counts[1:]:
        print(f"\nthroughput ratio {r}:{base} ranks = {med[r] / med[base]:.2f} (median of {args.repeats} alternating runs)")


if __name__ == "__main__":
    main()
