"""The dispatch reference of scripts/bench_dispatch.py: N tiny tasks through mpi4py.futures.

Run under MPI with the pool's own launcher (rank 0 is the client, the others the workers):
  mpirun -n 2 python -m mpi4py.futures scripts/bench_references/mpi4py_dispatch.py --tasks 10000

Each task does the work of one task of sweeps/bench-dispatch.yaml: draw 4 training and 4
test points of a toy set, fit 2 random ReLU features by least squares, and return the 4
test outputs to the client, which keeps them all. Prints one JSON line:
  {"impl": "mpi4py-futures", "version", "tasks", "seconds", "tasks_per_s", "workers"}
Timed: from the first submission until every result is back (worker start-up excluded).
"""
import argparse
import json
import os
import time

for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[k] = "1"

import mpi4py  # noqa: E402
import numpy as np  # noqa: E402
from mpi4py.futures import MPIPoolExecutor  # noqa: E402


def task(seed):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-3, 3, size=(8, 1))
    y = rng.normal(size=(8, 1))
    w = rng.normal(size=(1, 2))
    features = np.maximum(x @ w, 0)
    readout = np.linalg.lstsq(features[:4], y[:4], rcond=None)[0]
    return (features[4:] @ readout).ravel()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tasks", type=int, default=10_000)
    args = ap.parse_args()
    with MPIPoolExecutor() as pool:
        pool.submit(task, 0).result()  # wait until the workers are up
        start = time.perf_counter()
        outputs = list(pool.map(task, range(args.tasks)))
        seconds = time.perf_counter() - start
        workers = pool.num_workers
    assert len(outputs) == args.tasks and all(o.shape == (4,) for o in outputs)
    print(json.dumps({"impl": "mpi4py-futures", "version": mpi4py.__version__, "tasks": args.tasks,
                      "seconds": seconds, "tasks_per_s": args.tasks / seconds, "workers": workers}), flush=True)


if __name__ == "__main__":
    main()
