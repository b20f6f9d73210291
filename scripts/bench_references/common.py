"""Shared by the reference trainers of scripts/bench_mlp.py: options, data, timing, output.

Imported only after the caller has pinned the thread counts (see ONE_THREAD_ENV)."""
import argparse
import gzip
import json
import os
import resource
import statistics
import struct
import sys
import time

import numpy as np

FASHION = "/usr/share/datasets/fashion-mnist"
P, BATCH, D, C = 4000, 100, 784, 10  # samples, minibatch, inputs, classes
STEPS = P // BATCH  # 40 Adam steps per epoch
LR, BETA1, BETA2, EPS = 1e-3, 0.9, 0.999, 1e-8

# Every threadpool a reference may meet, pinned to one thread before numpy/torch/jax load.
ONE_THREAD_ENV = {"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
                  "VECLIB_MAXIMUM_THREADS": "1", "NUMEXPR_NUM_THREADS": "1"}


def parse_args(description, default_widths="16,64,256,1024,4096", ensemble_widths="64,256"):
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--widths", help=f"comma-separated hidden widths (default {default_widths}; "
                                     f"{ensemble_widths} with --ensemble)")
    ap.add_argument("--epochs", type=int, default=5, help="timed epochs")
    ap.add_argument("--warmup", type=int, default=2, help="untimed epochs first (compilation, caches)")
    ap.add_argument("--ensemble", type=int, default=0, metavar="K", help="K independent nets in lockstep")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    args.widths = [int(w) for w in (args.widths or (ensemble_widths if args.ensemble else default_widths)).split(",")]
    if args.epochs < 1 or args.warmup < 0 or args.ensemble < 0 or min(args.widths) < 1:
        ap.error("--epochs and every width must be >= 1, --warmup and --ensemble >= 0")
    return args


def _idx(path, header, count, row):
    """The first `count` records of an IDX file (gzip), read without inflating the rest."""
    with gzip.open(path, "rb") as f:
        head = f.read(header)
        need = count * row
        body = f.read(need)
    if len(body) != need:
        sys.exit(f"{path}: holds fewer than {count} records")
    return head, np.frombuffer(body, dtype=np.uint8)


def fashion_mnist(p=P):
    """The first p training images as float32 [p, 784] in [0, 1] and their labels as int32 [p]."""
    try:
        head, x = _idx(os.path.join(FASHION, "train-images-idx3-ubyte.gz"), 16, p, D)
        magic, n, rows, cols = struct.unpack(">IIII", head)
        assert magic == 2051 and rows * cols == D, "not an IDX image file of 28x28 images"
        head, y = _idx(os.path.join(FASHION, "train-labels-idx1-ubyte.gz"), 8, p, 1)
        assert struct.unpack(">II", head)[0] == 2049, "not an IDX label file"
    except (OSError, AssertionError) as e:
        sys.exit(f"bench reference: cannot read Fashion-MNIST under {FASHION} ({e}); "
                 "install Debian's dataset-fashion-mnist")
    return (x.reshape(p, D).astype(np.float32) / 255.0), y.astype(np.int32)


def peak_rss_mb():
    """Peak resident set of this process so far (ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def time_epochs(run_epoch, warmup, epochs):
    """Runs warm-up then timed epochs; run_epoch() must return only once its work is done.
    Returns (per-epoch ms, process CPU seconds / wall seconds over the timed epochs)."""
    for _ in range(warmup):
        run_epoch()
    ms = []
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for _ in range(epochs):
        t = time.perf_counter()
        run_epoch()
        ms.append((time.perf_counter() - t) * 1e3)
    cpu_per_wall = (time.process_time() - cpu0) / (time.perf_counter() - wall0)
    return ms, cpu_per_wall


def emit(impl, version, h, ms, cpu_per_wall, note, k=0, final_loss=None):
    row = {"impl": impl, "version": version, "h": h, "median_ms": round(statistics.median(ms), 3),
           "min_ms": round(min(ms), 3), "epochs_timed": len(ms), "peak_rss_mb": round(peak_rss_mb(), 1),
           "cpu_per_wall": round(cpu_per_wall, 3), "note": note}
    if k:
        row["K"] = k
    if final_loss is not None:
        row["final_loss"] = round(float(final_loss), 5)
    print(json.dumps(row), flush=True)
