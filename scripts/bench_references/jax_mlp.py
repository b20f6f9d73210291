#!/usr/bin/env python3
"""JAX reference for scripts/bench_mlp.py: 784-h-10 ReLU MLP, Adam, one thread, a jitted epoch.

Usage: python jax_mlp.py [--widths 16,64,256,1024,4096] [--epochs 5] [--warmup 2] [--ensemble K]

One jax.jit call per epoch: it draws the epoch's permutation of the P = 4000 Fashion-MNIST
images and runs the 40 Adam steps (batch 100; gather, forward, softmax cross-entropy,
backward, update) in a jax.lax.scan. Adam is written out (lr 1e-3, betas 0.9/0.999,
eps 1e-8, bias-corrected as torch.optim.Adam does), so nothing beyond jax is needed.
The training state is donated, so XLA updates it in place. Float32, CPU.

One thread, all set before jax is imported: PJRT_NPROC=1 sizes XLA's CPU thread pools
(xla::DefaultThreadPoolSize reads it; otherwise one thread per core), XLA_FLAGS gets
--xla_cpu_multi_thread_eigen=false, and OMP/MKL/OpenBLAS threads are 1. The XLA flag alone
is NOT enough on jax 0.10: XLA then still runs work on a second core (measured 1.6-1.8 CPU s
per wall s here). The "cpu_per_wall" field of the output (process CPU seconds per wall
second over the timed epochs) checks it: about 1.0, less on a busy machine.

--ensemble K trains K independent nets of the same shape in lockstep on the same
minibatches: jax.vmap of the per-net loss-and-gradient over stacked parameters [K, ...],
inside the same scan; Adam is elementwise, so it runs on the stacked state unchanged.

Prints one JSON object per width on stdout:
  {"impl": "jax-scan" | "jax-scan-vmap", "version", "h", "median_ms", "min_ms",
   "epochs_timed", "peak_rss_mb", "cpu_per_wall", "note", ["K"], "final_loss"}
median_ms is per epoch (the whole ensemble's with --ensemble); peak_rss_mb is the peak of
this process so far, so run one width per process to attribute it to that width.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import ONE_THREAD_ENV  # noqa: E402  (stdlib-only import of a constant)

os.environ.update(ONE_THREAD_ENV)
# The first flag is the one that matters. The second is not an XLA flag (it is a TensorFlow
# session option, often quoted with this one); XLA ignores a word without leading dashes.
ONE_THREAD_XLA = "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"
os.environ["XLA_FLAGS"] = (os.environ.get("XLA_FLAGS", "") + " " + ONE_THREAD_XLA).strip()
os.environ["PJRT_NPROC"] = "1"
os.environ["JAX_PLATFORMS"] = "cpu"

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402

import common  # noqa: E402


def init(key, h, k):
    """He-normal weights, zero biases; stacked along a leading axis of size k when k > 0."""
    lead = (k,) if k else ()
    k1, k2 = jax.random.split(key)
    return {
        "W1": jax.random.normal(k1, lead + (common.D, h), jnp.float32) * (2.0 / common.D) ** 0.5,
        "b1": jnp.zeros(lead + (h,), jnp.float32),
        "W2": jax.random.normal(k2, lead + (h, common.C), jnp.float32) * (2.0 / h) ** 0.5,
        "b2": jnp.zeros(lead + (common.C,), jnp.float32),
    }


def loss_fn(p, xb, yb):
    """Mean softmax cross-entropy of one net on a minibatch xb [B, D], yb [B]."""
    hid = jax.nn.relu(xb @ p["W1"] + p["b1"])  # [B, h]
    logits = hid @ p["W2"] + p["b2"]  # [B, C]
    logp = jax.nn.log_softmax(logits)
    return -jnp.mean(jnp.take_along_axis(logp, yb[:, None], axis=1))


def make_epoch(ensemble):
    grad_fn = jax.value_and_grad(loss_fn)
    if ensemble:
        grad_fn = jax.vmap(grad_fn, in_axes=(0, None, None))  # per-net losses [K], grads [K, ...]
    b1, b2, lr, eps = common.BETA1, common.BETA2, common.LR, common.EPS

    def epoch(state, X, Y):
        """40 Adam steps over this epoch's permutation; X [P, D], Y [P] enter as arguments, not constants."""
        p, m, v, t, key = state
        key, sub = jax.random.split(key)
        perm = jax.random.permutation(sub, common.P).reshape(common.STEPS, common.BATCH)

        def step(carry, idx):
            p, m, v, t = carry
            loss, g = grad_fn(p, X[idx], Y[idx])
            t = t + 1.0
            c1, c2 = 1.0 - b1 ** t, 1.0 - b2 ** t
            m = jax.tree.map(lambda m, g: b1 * m + (1.0 - b1) * g, m, g)
            v = jax.tree.map(lambda v, g: b2 * v + (1.0 - b2) * g * g, v, g)
            p = jax.tree.map(lambda p, m, v: p - lr * (m / c1) / (jnp.sqrt(v / c2) + eps), p, m, v)
            return (p, m, v, t), jnp.mean(loss)

        (p, m, v, t), losses = jax.lax.scan(step, (p, m, v, t), perm)
        return (p, m, v, t, key), losses[-1]

    return jax.jit(epoch, donate_argnums=(0,))


def main():
    args = common.parse_args(__doc__.split("\n")[0])
    x, y = common.fashion_mnist()
    X, Y = jnp.asarray(x), jnp.asarray(y)
    epoch = make_epoch(args.ensemble)
    for h in args.widths:
        key = jax.random.PRNGKey(args.seed * 100003 + h)
        key, sub = jax.random.split(key)
        p = init(sub, h, args.ensemble)
        zeros = jax.tree.map(jnp.zeros_like, p)
        state = [(p, zeros, jax.tree.map(jnp.zeros_like, p), jnp.float32(0.0), key)]
        last = [None]

        def run_epoch():
            state[0], last[0] = epoch(state[0], X, Y)
            jax.block_until_ready((state[0], last[0]))

        ms, cpu_per_wall = common.time_epochs(run_epoch, max(args.warmup, 1), args.epochs)  # >= 1: compile
        impl = "jax-scan-vmap" if args.ensemble else "jax-scan"
        note = ("hand-written adam, jit(epoch) with lax.scan" + (", vmap over nets" if args.ensemble else "")
                + ", PJRT_NPROC=1")
        common.emit(impl, jax.__version__, h, ms, cpu_per_wall, note, k=args.ensemble, final_loss=last[0])


if __name__ == "__main__":
    main()
