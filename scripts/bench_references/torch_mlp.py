#!/usr/bin/env python3
"""PyTorch reference for scripts/bench_mlp.py: 784-h-10 ReLU MLP, Adam, one thread.

Usage: python torch_mlp.py [--widths 16,64,256,1024,4096] [--epochs 5] [--warmup 2] [--ensemble K]

A plain Python loop over the 40 minibatches of each epoch (P = 4000 Fashion-MNIST images,
batch 100, reshuffled every epoch), softmax cross-entropy, torch.optim.Adam(lr 1e-3,
betas 0.9/0.999, eps 1e-8) with fused=True when this build has the fused CPU kernel
(else foreach=True; the "note" field says which). Float32, torch.set_num_threads(1).

--ensemble K trains K independent nets of the same shape in lockstep on the same
minibatches: the parameters are stacked [K, ...], the layers are batched matmuls
(torch.baddbmm), the loss is the sum of the K nets' mean losses (so each net gets exactly
its own gradient) and one Adam over the stacked tensors is K independent Adams.

Prints one JSON object per width on stdout:
  {"impl": "pytorch" | "pytorch-ensemble", "version", "h", "median_ms", "min_ms",
   "epochs_timed", "peak_rss_mb", "cpu_per_wall", "note", ["K"], "final_loss"}
median_ms is per epoch (the whole ensemble's with --ensemble); peak_rss_mb is the peak of
this process so far, so run one width per process to attribute it to that width.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import ONE_THREAD_ENV  # noqa: E402  (stdlib-only import of a constant)

os.environ.update(ONE_THREAD_ENV)

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

import common  # noqa: E402


def adam(params):
    """Fused Adam if this build runs it on CPU, else the multi-tensor one; and which."""
    kw = dict(lr=common.LR, betas=(common.BETA1, common.BETA2), eps=common.EPS)
    try:
        probe = torch.zeros(2, requires_grad=True)
        probe.grad = torch.ones(2)
        torch.optim.Adam([probe], fused=True, **kw).step()
        return torch.optim.Adam(params, fused=True, **kw), "fused adam"
    except (RuntimeError, TypeError, ValueError) as e:
        print(f"torch_mlp: fused Adam unavailable on CPU ({e}); using foreach=True", file=sys.stderr)
        return torch.optim.Adam(params, foreach=True, **kw), "foreach adam"


def he_normal(gen, *shape):
    """He-normal weights for a layer with fan-in shape[-2]."""
    return torch.randn(*shape, generator=gen) * (2.0 / shape[-2]) ** 0.5


def single_net(h, gen):
    """W1 [D, h], b1 [h], W2 [h, C], b2 [C]; forward(xb [B, D], yb [B]) -> mean loss."""
    W1 = he_normal(gen, common.D, h).requires_grad_()
    b1 = torch.zeros(h, requires_grad=True)
    W2 = he_normal(gen, h, common.C).requires_grad_()
    b2 = torch.zeros(common.C, requires_grad=True)

    def forward(xb, yb):
        hid = torch.relu(torch.addmm(b1, xb, W1))  # [B, h]
        logits = torch.addmm(b2, hid, W2)  # [B, C]
        return F.cross_entropy(logits, yb)

    return [W1, b1, W2, b2], forward


def ensemble(h, k, gen):
    """K stacked nets: W1 [K, D, h], b1 [K, 1, h], W2 [K, h, C], b2 [K, 1, C]; forward -> sum of K mean losses."""
    W1 = he_normal(gen, k, common.D, h).requires_grad_()
    b1 = torch.zeros(k, 1, h, requires_grad=True)
    W2 = he_normal(gen, k, h, common.C).requires_grad_()
    b2 = torch.zeros(k, 1, common.C, requires_grad=True)

    def forward(xb, yb):
        hid = torch.relu(torch.baddbmm(b1, xb.expand(k, -1, -1), W1))  # [K, B, h]; the input is shared
        logits = torch.baddbmm(b2, hid, W2)  # [K, B, C]
        return F.cross_entropy(logits.reshape(-1, common.C), yb.repeat(k)) * k

    return [W1, b1, W2, b2], forward


def main():
    args = common.parse_args(__doc__.split("\n")[0])
    torch.set_num_threads(1)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass
    x, y = common.fashion_mnist()
    X, Y = torch.from_numpy(x), torch.from_numpy(y).long()
    for h in args.widths:
        gen = torch.Generator().manual_seed(args.seed * 100003 + h)
        params, forward = ensemble(h, args.ensemble, gen) if args.ensemble else single_net(h, gen)
        opt, note = adam(params)
        last = [None]

        def run_epoch():
            perm = torch.randperm(common.P, generator=gen)
            for s in range(common.STEPS):
                idx = perm[s * common.BATCH:(s + 1) * common.BATCH]
                opt.zero_grad(set_to_none=True)
                loss = forward(X[idx], Y[idx])
                loss.backward()
                opt.step()
            last[0] = loss  # CPU ops are synchronous: the epoch's work is done here

        ms, cpu_per_wall = common.time_epochs(run_epoch, args.warmup, args.epochs)
        final = last[0].item() / (args.ensemble or 1)
        impl = "pytorch-ensemble" if args.ensemble else "pytorch"
        common.emit(impl, torch.__version__, h, ms, cpu_per_wall, note, k=args.ensemble, final_loss=final)


if __name__ == "__main__":
    main()
