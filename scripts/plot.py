#!/usr/bin/env python3
"""Figures of an overparam store: train and test error / MSE against the width N.

Usage: python3 scripts/plot.py STORE OUTDIR [--cells CELLS.csv]

Reads the SQLite store directly (tasks, metrics). Each seed is drawn faint, the
mean over seeds bold, and a dashed line marks N = n (the training-set size), where
the min-norm interpolation threshold puts the double-descent peak. With --cells
(written by `overparam analyze STORE --csv CELLS.csv`) the test metric of the
ensemble-averaged prediction is drawn too, dashed. Train values below FLOOR (an
interpolating net's MSE is ~1e-28) are drawn at FLOOR so the test curve stays legible.
"""
import argparse
import csv
import json
import os
import sqlite3
import sys
from collections import defaultdict

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker  # noqa: E402


def save(fig, outdir, name):
    """Writes a figure as PNG into outdir and closes it; returns the path."""
    fig.tight_layout()
    path = os.path.join(outdir, name)
    fig.savefig(path, dpi=130)
    plt.close(fig)
    return path


def load(store):
    if not os.path.exists(store):
        sys.exit(f"plot.py: {store} not found (run `overparam sweep` first)")
    db = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    tasks = {idx: (cell, seed, json.loads(cfg))
             for idx, cell, seed, cfg in db.execute("select idx, cell, seed, config from tasks")}
    metrics = defaultdict(dict)
    for idx, name, value in db.execute(
            "select m.task_idx, m.name, m.value from metrics m join results r on r.task_idx = m.task_idx "
            "where r.status = 'ok'"):
        metrics[idx][name] = value
    name = dict(db.execute("select key, value from meta")).get("spec_text", "")
    return tasks, metrics, name


def curves(tasks, metrics, metric, group_keys):
    """{group: {seed: [(width, value)]}} for tasks whose metric is stored."""
    out = defaultdict(lambda: defaultdict(list))
    for idx, (cell, seed, cfg) in tasks.items():
        if idx in metrics and metric in metrics[idx] and metrics[idx][metric] is not None:
            group = tuple((k, cfg[k]) for k in group_keys)
            out[group][seed].append((cfg["width"], metrics[idx][metric]))
    return out


FLOOR = {"mse": 1e-3, "error": 0.0, "loss": 1e-3}


def ensemble_curves(path, swept):
    """{(kind, group): [(width, value)]} from analyze's per-cell CSV."""
    out = defaultdict(list)
    if not path:
        return out
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            cfg = json.loads(row["config"])
            group = tuple((k, cfg[k]) for k in swept)
            for kind in ("mse", "loss", "error"):
                v = row.get(f"ensemble_test_{kind}", "")
                if v:
                    out[(kind, group)].append((cfg["width"], float(v)))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("store")
    ap.add_argument("outdir")
    ap.add_argument("--cells", help="per-cell CSV from `overparam analyze STORE --csv`")
    args = ap.parse_args()
    store, outdir = args.store, args.outdir
    tasks, metrics, _ = load(store)
    if not metrics:
        sys.exit(f"plot.py: {store} has no finished tasks yet")
    os.makedirs(outdir, exist_ok=True)
    # Group by every swept key except width and seed (e.g. train_size, precision).
    configs = [cfg for _, _, cfg in tasks.values()]
    swept = sorted(k for k in configs[0] if k not in ("width", "seed")
                   and len({json.dumps(c[k]) for c in configs}) > 1)
    written = []
    ensembles = ensemble_curves(args.cells, swept)
    widths_swept = len({json.dumps(c.get("width")) for c in configs}) > 1
    for kind in ("mse", "loss", "error") if widths_swept else ():
        names = [f"train_{kind}", f"test_{kind}"]
        if not any(n in m for m in metrics.values() for n in names):
            continue
        fig, ax = plt.subplots(figsize=(6.4, 4.4))
        colors = {"train": "tab:blue", "test": "tab:red"}
        thresholds = set()
        for name in names:
            split = name.split("_")[0]
            for g, (group, seeds) in enumerate(sorted(curves(tasks, metrics, name, swept).items())):
                style = ["-", "--", ":", "-."][g % 4]   # one line style per group (e.g. label noise)
                label = f"{split}" + ("" if not group else " " + ", ".join(f"{k}={v}" for k, v in group))
                by_width = defaultdict(list)
                floor = FLOOR[kind]
                for seed, pts in sorted(seeds.items()):
                    pts.sort()
                    ax.plot([p[0] for p in pts], [max(p[1], floor) for p in pts], color=colors[split],
                            alpha=0.15, lw=0.8)
                    for w, v in pts:
                        by_width[w].append(v)
                ws = sorted(by_width)
                means = [sum(by_width[w]) / len(by_width[w]) for w in ws]
                clipped = floor > 0 and any(m < floor for m in means)
                ax.plot(ws, [max(m, floor) for m in means], color=colors[split], lw=2.2, marker="o", ms=3, ls=style,
                        label=label + f" (mean of {len(seeds)} seeds)" + (f"; < {floor:g} drawn at {floor:g}" if clipped else ""))
                if split == "test" and ensembles.get((kind, group)):
                    pts = sorted(ensembles[(kind, group)])
                    ax.plot([p[0] for p in pts], [p[1] for p in pts], color="black", lw=1.6, ls="--",
                            marker="s", ms=3, label="test, ensemble-averaged prediction"
                            + ("" if not group else " " + ", ".join(f"{k}={v}" for k, v in group)))
        for _, _, cfg in tasks.values():
            if cfg.get("model") == "random_features":   # N = n is the min-norm interpolation threshold
                thresholds.add(cfg["train_size"])
        for n in sorted(thresholds):
            ax.axvline(n, color="gray", ls="--", lw=1)
            ax.text(n, ax.get_ylim()[0], f" N = n = {n}", va="bottom", ha="left", fontsize=8, color="gray")
        ax.set_xscale("log")
        if kind in ("mse", "loss"):
            ax.set_yscale("log")
            ax.set_ylim(bottom=FLOOR[kind] / 2)
        is_rf = all(cfg.get("model") == "random_features" for _, _, cfg in tasks.values())
        ax.set_xlabel("number of random features N" if is_rf else "width (hidden units per layer)")
        ax.set_ylabel({"mse": "MSE", "loss": "training loss function", "error": "classification error"}[kind])
        ax.set_title(f"{os.path.basename(store)}: {kind} against " + ("N" if is_rf else "width"))
        ax.legend(fontsize=8)
        path = save(fig, outdir, f"{kind}-vs-width.png")
        written.append(path)
    written += fluctuation_figures(args.cells, outdir)
    written += lottery_figure(store, outdir)
    written += regression_figure(store, outdir)
    written += curve_figures(store, outdir)
    written += noise_figure(tasks, metrics, outdir)
    for p in written:
        print(f"wrote {p}")


DTYPES = {"float16": "<f2", "float32": "<f4", "float64": "<f8"}


def curve_figures(store, outdir, names=("train_loss", "test_error")):
    """Per-epoch curves (the `curves` table), mean over seeds, one line per cell:
    Zhang et al.'s training loss against epochs per corruption, and epoch-wise
    double descent (test error against epochs per width). Lottery sweeps, whose
    curves are indexed by round, are drawn by lottery_figure instead."""
    db = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    if db.execute("select 1 from curves where name = 'weights_remaining' limit 1").fetchone():
        return []
    cell_of = dict(db.execute("select idx, cell from tasks"))
    written = []
    for name in names:
        series = defaultdict(lambda: defaultdict(list))   # cell -> epoch -> values
        for task, epoch, value in db.execute("select task_idx, epoch, value from curves where name = ?", (name,)):
            if value is not None:
                series[cell_of[task]][epoch].append(value)
        if not series:
            continue
        cells = list(series)
        if len(cells) > 12:
            # Keep the figure legible: the cells of the last group (all swept values but
            # width at their last setting, e.g. the highest label noise), then every k-th.
            def rest(cell):
                return ",".join(part for part in cell.split(",") if not part.startswith("width="))
            last = rest(cells[-1])
            cells = [c for c in cells if rest(c) == last] or cells
            cells = cells[:: (len(cells) + 11) // 12]
        fig, ax = plt.subplots(figsize=(6.4, 4.4))
        cmap = plt.get_cmap("viridis")
        for i, cell in enumerate(cells):
            epochs = sorted(series[cell])
            ax.plot([e + 1 for e in epochs], [sum(series[cell][e]) / len(series[cell][e]) for e in epochs],
                    color=cmap(i / max(1, len(cells) - 1)), lw=1.5, label=cell)
        ax.set_xscale("log")
        if name.endswith("loss"):
            ax.set_yscale("log")
        ax.set_xlabel("epoch + 1")
        ax.set_ylabel(name.replace("_", " "))
        ax.legend(fontsize=6, ncol=2)
        path = save(fig, outdir, f"{name.replace('_', '-')}-vs-epoch.png")
        written.append(path)
    return written


def noise_figure(tasks, metrics, outdir):
    """Train and test error against label noise p (Zhang et al. Figure 1c), one line
    per other swept axis, when label_noise is swept and width is not."""
    configs = [cfg for _, _, cfg in tasks.values()]
    if len({c.get("label_noise") for c in configs}) < 2 or len({c.get("width") for c in configs}) > 1:
        return []
    others = sorted(k for k in configs[0] if k not in ("label_noise", "seed")
                    and len({json.dumps(c.get(k)) for c in configs}) > 1)
    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    for split, style in (("train", "--"), ("test", "-")):
        groups = defaultdict(lambda: defaultdict(list))
        for idx, (_, _, cfg) in tasks.items():
            v = metrics.get(idx, {}).get(f"{split}_error")
            if v is not None:
                groups[tuple((k, cfg[k]) for k in others)][cfg["label_noise"]].append(v)
        for group, by_p in sorted(groups.items()):
            ps = sorted(by_p)
            label = f"{split} " + ", ".join(f"{k}={v}" for k, v in group)
            ax.plot(ps, [sum(by_p[p]) / len(by_p[p]) for p in ps], style, marker="o", ms=3, label=label)
    ax.axhline(0.9, color="gray", ls=":", lw=1)
    ax.set_xlabel("label corruption p")
    ax.set_ylabel("classification error")
    ax.legend(fontsize=7)
    path = save(fig, outdir, "error-vs-label-noise.png")
    return [path]


def regression_figure(store, outdir):
    """For 1-D synthetic sets: the training points, every task's fit on the test inputs
    (one line per seed) and the least-squares line of the same points."""
    import numpy as np
    db = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    arrays = {(k, n): np.frombuffer(d, dtype=DTYPES[t]).reshape(r, c)
              for k, n, t, r, c, d in db.execute("select data_key, name, dtype, rows, cols, data from data_arrays")}
    keys = sorted({k for k, n in arrays if n == "train_inputs"})
    if not keys:
        return []
    written = []
    for i, key in enumerate(keys):
        x, y, xt = arrays[(key, "train_inputs")][:, 0], arrays[(key, "train_targets")][:, 0], arrays[(key, "test_inputs")][:, 0]
        fig, ax = plt.subplots(figsize=(6.4, 4.4))
        ax.scatter(x, y, s=10, color="black", label=f"training points (n = {len(x)})", zorder=3)
        order = np.argsort(xt)
        first = True
        for (dtype, rows, cols, data), in_key in ((r[:4], r[4]) for r in db.execute(
                "select o.dtype, o.rows, o.cols, o.data, r.data_key from outputs o join results r on r.task_idx = o.task_idx "
                "where r.status = 'ok'")):
            if in_key != key:
                continue
            f = np.frombuffer(data, dtype=DTYPES[dtype]).reshape(rows, cols)[:, 0]
            ax.plot(xt[order], f[order], color="tab:red", alpha=0.5, lw=1, label="network fits, one per seed" if first else None)
            first = False
        slope, intercept = np.polyfit(x, y, 1)
        grid = np.linspace(xt.min(), xt.max(), 2)
        ax.plot(grid, intercept + slope * grid, color="tab:blue", lw=2,
                label=f"least squares: y = {intercept:.2f} + {slope:.2f} x")
        ax.set_xlabel("x")
        ax.set_ylabel("y")
        ax.legend(fontsize=8)
        path = save(fig, outdir, f"regression-fits{'' if len(keys) == 1 else f'-{i}'}.png")
        written.append(path)
    return written


def lottery_figure(store, outdir):
    """Frankle & Carbin's figure from the rounds a lottery-ticket sweep stores as curves
    (epoch = round): test error and early-stopping epoch against the weights remaining,
    for the rewound ticket and its two controls, mean over seeds."""
    db = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    rows = db.execute("select task_idx, epoch, name, value from curves where name in "
                      "('weights_remaining', 'ticket_test_error', 'reinit_test_error', 'random_test_error', "
                      "'ticket_early_stop_epoch', 'reinit_early_stop_epoch', 'random_early_stop_epoch')").fetchall()
    if not rows:
        return []
    per = defaultdict(lambda: defaultdict(dict))   # round -> name -> task -> value
    for task, rnd, name, value in rows:
        if value is not None:
            per[rnd][name][task] = value
    rounds = sorted(per)
    remaining = [100 * sum(per[r]["weights_remaining"].values()) / len(per[r]["weights_remaining"]) for r in rounds]
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4.2))
    for variant, color, label in (("ticket", "tab:blue", "ticket (rewound to init)"),
                                  ("reinit", "tab:orange", "same mask, random re-init"),
                                  ("random", "tab:green", "random mask, same sizes")):
        for ax, metric in ((ax1, "test_error"), (ax2, "early_stop_epoch")):
            pts = [(w, sum(per[r][f"{variant}_{metric}"].values()) / len(per[r][f"{variant}_{metric}"]))
                   for w, r in zip(remaining, rounds) if per[r].get(f"{variant}_{metric}")]
            ax.plot([p[0] for p in pts], [p[1] for p in pts], "o-", color=color, label=label, ms=3)
    for ax, ylabel in ((ax1, "test error"), (ax2, "epoch of lowest test loss")):
        ax.set_xscale("log")
        ax.invert_xaxis()
        ax.set_xlabel("weights remaining (%)")
        ax.set_ylabel(ylabel)
        ax.legend(fontsize=8)
    path = save(fig, outdir, "lottery-tickets.png")
    return [path]


def fluctuation_figures(cells_csv, outdir):
    """Geiger et al.'s figures from analyze's per-cell CSV, when cells have several seeds:
    ||f - f_bar|| against N (log-log, fitted line beyond N*, a -1/4 reference), single-net
    and ensemble test error against N with N* marked, and N_Delta / P against N."""
    if not cells_csv or not os.path.exists(cells_csv):
        return []
    with open(cells_csv, newline="") as f:
        rows = [r for r in csv.DictReader(f) if r.get("fluctuation") and r.get("n")]
    if len(rows) < 2:
        return []
    groups = defaultdict(list)
    for r in rows:
        cfg = json.loads(r["config"])
        key = ", ".join(f"{k}={v}" for k, v in sorted(cfg.items())
                        if k not in ("width", "seed") and len({json.dumps(json.loads(x["config"]).get(k)) for x in rows}) > 1)
        groups[key].append(r)
    written = []
    fig1, ax1 = plt.subplots(figsize=(6.4, 4.4))
    fig2, ax2 = plt.subplots(figsize=(6.4, 4.4))
    fig3, ax3 = plt.subplots(figsize=(6.4, 4.4))
    for key, rs in sorted(groups.items()):
        rs.sort(key=lambda r: float(r["n"]))
        n = [float(r["n"]) for r in rs]
        fitted_all = [int(r["fitted"]) == int(r["ok"]) and int(r["ok"]) > 0 for r in rs]
        n_star = None
        for i in range(len(rs) - 1, -1, -1):
            if not fitted_all[i]:
                break
            n_star = n[i]
        label = key or "all"
        fl = [float(r["fluctuation"]) ** 0.5 for r in rs]
        ax1.plot(n, fl, "o-", label=f"||f - f̄|| ({label})")
        beyond = [(a, b) for a, b in zip(n, fl) if n_star is not None and a > n_star and b > 0]
        if len(beyond) >= 3:
            import math
            xs = [math.log(a) for a, _ in beyond]
            ys = [math.log(b) for _, b in beyond]
            mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
            slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
            ax1.plot([a for a, _ in beyond], [math.exp(my + slope * (math.log(a) - mx)) for a, _ in beyond],
                     "k-", lw=1, label=f"fit beyond N*: N^{slope:.2f}")
            ref0 = beyond[0]
            ax1.plot([a for a, _ in beyond], [ref0[1] * (a / ref0[0]) ** -0.25 for a, _ in beyond],
                     "k:", lw=1, label="N^-1/4 (Geiger et al.)")
        single = [float(r.get("test_error_mean") or "nan") for r in rs]
        ens = [float(r.get("ensemble_test_error") or "nan") for r in rs]
        ax2.plot(n, single, "o-", label=f"single nets, mean ({label})")
        ax2.plot(n, ens, "s--", label=f"ensemble average f̄ ({label})")
        if n_star is not None:
            for ax in (ax1, ax2, ax3):
                ax.axvline(n_star, color="gray", ls="--", lw=1)
            ax2.text(n_star, ax2.get_ylim()[1], " N*", va="top", color="gray")
        train_size = json.loads(rs[0]["config"]).get("train_size", 1)
        unsat = [float(r.get("train_unsatisfied_mean") or "nan") / train_size for r in rs]
        ax3.plot(n, unsat, "o-", label=label)
    for ax, name, ylabel in ((ax1, "fluctuations", "||f_N - f̄_N|| (RMS over test points and seeds)"),
                             (ax2, "ensemble-error", "test error"),
                             (ax3, "unsatisfied-margins", "N_Δ / P (training margins y f < 1)")):
        ax.set_xscale("log")
        ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())   # minor labels overlap
        if ax is ax1:
            ax.set_yscale("log")
            ax.yaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
        ax.set_xlabel("number of parameters N")
        ax.set_ylabel(ylabel)
        ax.legend(fontsize=7)
        fig = ax.figure
        path = save(fig, outdir, f"{name}-vs-n.png")
        written.append(path)
    return written


if __name__ == "__main__":
    main()
