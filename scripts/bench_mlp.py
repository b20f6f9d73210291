#!/usr/bin/env python3
"""MLP training speed: overparam against PyTorch and JAX on one thread, side by side.

Usage:
  python3 scripts/bench_mlp.py [--widths 16,64,256,1024,4096] [--repeats 3] [--epochs 5]
                               [--warmup 2] [--ensemble K] [--skip-build] [--setup-only]
                               [--json-out FILE] [--torch-wheel PATH]

Workload, identical in every implementation: a 784-h-10 ReLU MLP with biases, softmax
cross-entropy, Adam (lr 1e-3, betas 0.9/0.999, eps 1e-8), minibatch 100, the first
P = 4000 Fashion-MNIST training images (pixels / 255), reshuffled every epoch (40 steps),
Float32, one thread. Each run reports the median ms per epoch over --epochs timed epochs
after --warmup untimed ones (compilation excluded) and the peak RSS of its process.
`--ensemble K` trains K independent nets of that shape in lockstep on the same
minibatches instead (widths default to 64,256 there).

What it does:
  1. Creates, once, a venv at .venv-bench/ with the CPU PyTorch wheel this machine carries
     (found with `find / -name 'torch-*cpu*.whl'`; the CUDA build from PyPI is never
     installed), jax (CPU) and numpy from PyPI, and threadpoolctl to report the BLAS.
  2. Builds release (scripts/build.sh -c release --product overparam) unless --skip-build.
  3. For each repeat and each width, runs every implementation as its own process, one
     after another (the starting implementation rotates every repeat), so machine noise
     hits all alike and every peak RSS belongs to one width alone:
       .build/release/overparam bench mlp --json --epochs E --warmup W [--ensemble K] --widths H
       .venv-bench/bin/python scripts/bench_references/torch_mlp.py --widths H ...
       .venv-bench/bin/python scripts/bench_references/jax_mlp.py --widths H ...
     An overparam without `bench mlp` (or without --ensemble in that mode, or a failed
     build) is reported and skipped; the references still run.
  4. Prints a Markdown table: median over repeats of each run's median ms/epoch, the
     ratios overparam / jax-scan, overparam / pytorch and overparam / gemm-floor, and
     the peak RSS of each implementation's process.

OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE are passed through as the machine sets them.
"""
import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, ".build", "release", "overparam")
VENV = os.path.join(ROOT, ".venv-bench")
VPY = os.path.join(VENV, "bin", "python")
REFS = os.path.join(ROOT, "scripts", "bench_references")

CPU_WHEEL_HELP = """\
bench: no CPU PyTorch wheel (torch-*cpu*.whl) found on this machine; the PyTorch reference is skipped.
  To add one, download the CPU-only build for this Python ({tag}) from PyTorch's own CPU index, e.g.
    pip download torch --no-deps --index-url https://download.pytorch.org/whl/cpu -d /opt/wheels
  and run this script again (or pass --torch-wheel PATH). Do not `pip install torch` from PyPI:
  on Linux that is the CUDA build, about 3 GB."""


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def py_tag():
    return f"cp{sys.version_info.major}{sys.version_info.minor}"


def find_torch_wheel():
    """The newest torch-*cpu*.whl anywhere on the machine built for this Python, or None."""
    out = subprocess.run(
        ["find", "/", "(", "-path", "/proc", "-o", "-path", "/sys", "-o", "-path", "/dev", "-o", "-path", "/run",
         ")", "-prune", "-o", "-name", "torch-*cpu*.whl", "-print"],
        capture_output=True, text=True).stdout.split()
    tag = py_tag()
    fits = [w for w in out if f"-{tag}-" in os.path.basename(w) and platform.machine() in os.path.basename(w)]

    def version(path):
        m = re.match(r"torch-([\d.]+)", os.path.basename(path))
        return tuple(int(x) for x in m[1].split(".") if x) if m else ()

    return max(fits, key=version) if fits else None


def venv_has(modules):
    if not os.path.exists(VPY):
        return False
    code = "import importlib.util, sys; sys.exit(0 if all(importlib.util.find_spec(m) for m in sys.argv[1:]) else 1)"
    return subprocess.run([VPY, "-c", code] + modules, capture_output=True).returncode == 0


def pip(args):
    cmd = [VPY, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"] + args
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"bench: {' '.join(cmd)} failed:\n{out.stdout}{out.stderr}")


def setup_venv(torch_wheel):
    """Creates .venv-bench/ and installs what is missing; silent when all is there.
    Returns whether torch is available."""
    if not os.path.exists(VPY):
        log(f"bench: creating {os.path.relpath(VENV, ROOT)}/")
        subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
    if not venv_has(["torch"]):
        wheel = torch_wheel or find_torch_wheel()
        if wheel is None:
            log(CPU_WHEEL_HELP.format(tag=py_tag()))
        else:
            log(f"bench: installing {wheel} into .venv-bench/")
            pip([wheel])
    if not venv_has(["jax", "jaxlib", "numpy", "threadpoolctl"]):
        log("bench: installing jax (CPU), numpy and threadpoolctl into .venv-bench/")
        pip(["jax", "numpy", "threadpoolctl"])
    return venv_has(["torch"])


def build():
    """True when release built; otherwise says why and the overparam rows are skipped."""
    out = subprocess.run(["bash", os.path.join(ROOT, "scripts", "build.sh"), "-c", "release",
                          "--product", "overparam"], capture_output=True, text=True)
    if out.stderr:
        log(out.stderr.rstrip())
    if out.returncode != 0:
        log("bench: the release build failed (above); overparam is skipped, the references still run.")
        return False
    return True


def bench_mlp_options():
    """The options that `overparam bench mlp --help` lists, or None (said why) when there is no such command."""
    if not os.path.exists(BIN):
        log(f"bench: {os.path.relpath(BIN, ROOT)} does not exist; overparam is skipped.")
        return None
    out = subprocess.run([BIN, "bench", "mlp", "--help"], capture_output=True, text=True)
    if out.returncode != 0:
        log("bench: this overparam has no `bench mlp` subcommand yet; overparam is skipped, the references still run.")
        return None
    return set(re.findall(r"(--[a-z][a-z-]*)", out.stdout))


def overparam_command(options, args):
    """`overparam bench mlp ... --widths H`, or None (said why) when it lacks a needed option."""
    need = ["--widths", "--epochs", "--json"] + (["--ensemble"] if args.ensemble else [])
    missing = [o for o in need if o not in options]
    if missing:
        log(f"bench: this overparam's `bench mlp` has no {', '.join(missing)}; overparam is skipped, "
            "the references still run.")
        return None
    cmd = [BIN, "bench", "mlp", "--json", "--epochs", str(args.epochs)]
    if "--warmup" in options:
        cmd += ["--warmup", str(args.warmup)]
    else:
        log("bench: this overparam's `bench mlp` has no --warmup; it warms up as it sees fit.")
    if args.ensemble:
        cmd += ["--ensemble", str(args.ensemble)]
    return lambda h: cmd + ["--widths", str(h)]


def blas_report():
    """What BLAS numpy uses in the venv (threadpoolctl at run time), and the env that steers it."""
    code = ("import json, numpy, threadpoolctl\n"
            "print(json.dumps([{k: i.get(k) for k in ('internal_api', 'version', 'architecture', 'num_threads', 'filepath')}"
            " for i in threadpoolctl.threadpool_info()]))")
    out = subprocess.run([VPY, "-c", code], capture_output=True, text=True,
                         env=dict(os.environ, OPENBLAS_NUM_THREADS="1"))  # as the references pin it
    env = ", ".join(f"{k}={os.environ[k]}" for k in sorted(os.environ) if k.startswith("OPENBLAS_")) or "none"
    lines = [cpu_report(), f"OPENBLAS_* in the environment (passed through unchanged): {env}"]
    try:
        for lib in json.loads(out.stdout):
            lines.append(f"venv numpy BLAS (threadpoolctl): {lib['internal_api']} {lib['version']}, "
                         f"core {lib['architecture']}, {lib['num_threads']} thread(s), {os.path.basename(lib['filepath'])}")
    except (ValueError, KeyError):
        lines.append(f"venv numpy BLAS: threadpoolctl said nothing ({out.stderr.strip()[-200:]})")
    lines.append("numpy only loads the data in the references; torch computes with its own MKL/oneDNN, "
                 "JAX with XLA's Eigen kernels, overparam with the system OpenBLAS.")
    return lines


def cpu_report():
    """CPU model and widest vector ISA: XLA and MKL pick AVX-512 kernels where the CPU has them,
    OpenBLAS uses the core OPENBLAS_CORETYPE names (Haswell: AVX2), which bounds overparam's GEMMs."""
    info = {}
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                k, _, v = line.partition(":")
                info.setdefault(k.strip(), v.strip())
    except OSError:
        return f"cpu: {platform.processor() or platform.machine()}, {os.cpu_count()} cores"
    flags = info.get("flags", "").split()
    isa = "AVX-512" if "avx512f" in flags else "AVX2" if "avx2" in flags else "no AVX2"
    return (f"cpu: {info.get('model name', '?')} (family {info.get('cpu family', '?')}, model {info.get('model', '?')}), "
            f"{os.cpu_count()} cores, widest vectors {isa}")


def json_lines(text):
    rows = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("{"):
            try:
                row = json.loads(line)
            except ValueError:
                continue
            if isinstance(row, dict) and {"impl", "h", "median_ms"} <= row.keys():
                rows.append(row)
    return rows


def run_impl(name, cmd):
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if out.returncode != 0:
        log(f"bench: {name} failed ({' '.join(cmd)}):\n{out.stderr.strip()[-2000:]}")
        return []
    rows = json_lines(out.stdout)
    if not rows:
        log(f"bench: {name} printed no JSON line:\n{out.stdout[-1000:]}{out.stderr[-1000:]}")
    return rows


def fmt_ms(x):
    return "—" if x is None else (f"{x:.2f}" if x < 100 else f"{x:.1f}" if x < 1000 else f"{x:.0f}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--widths", help="comma-separated hidden widths (default 16,64,256,1024,4096; 64,256 with --ensemble)")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--epochs", type=int, default=5, help="timed epochs per run")
    ap.add_argument("--warmup", type=int, default=2, help="untimed epochs per run before the timed ones")
    ap.add_argument("--ensemble", type=int, default=0, metavar="K", help="K nets trained in lockstep (issue 8)")
    ap.add_argument("--skip-build", action="store_true", help="use .build/release/overparam as it is")
    ap.add_argument("--setup-only", action="store_true", help="create .venv-bench/ and stop")
    ap.add_argument("--json-out", help="also write every run's JSON rows to this file")
    ap.add_argument("--torch-wheel", help="a CPU PyTorch wheel to install instead of searching for one")
    args = ap.parse_args()
    widths = [int(w) for w in (args.widths or ("64,256" if args.ensemble else "16,64,256,1024,4096")).split(",")]
    if args.repeats < 1 or args.epochs < 1 or args.warmup < 0 or args.ensemble < 0 or min(widths) < 1:
        ap.error("--repeats, --epochs and every width must be >= 1, --warmup and --ensemble >= 0")

    has_torch = setup_venv(args.torch_wheel)
    if args.setup_only:
        return
    overparam = None
    if args.skip_build or build():
        options = bench_mlp_options()
        overparam = overparam_command(options, args) if options is not None else None

    common = ["--epochs", str(args.epochs), "--warmup", str(args.warmup)]
    if args.ensemble:
        common += ["--ensemble", str(args.ensemble)]
    impls = []  # (name, command for one width)
    if overparam:
        impls.append(("overparam", overparam))
    if has_torch:
        impls.append(("pytorch", lambda h: [VPY, os.path.join(REFS, "torch_mlp.py"), "--widths", str(h)] + common))
    impls.append(("jax", lambda h: [VPY, os.path.join(REFS, "jax_mlp.py"), "--widths", str(h)] + common))

    rows = []
    for rep in range(args.repeats):
        order = impls[rep % len(impls):] + impls[:rep % len(impls)]
        for h in widths:
            for name, cmd in order:
                got = run_impl(name, cmd(h))
                for r in got:
                    r["repeat"] = rep
                rows += got
                summary = ", ".join(f"{r['impl']} {fmt_ms(r.get('median_ms'))} ms" for r in got)
                log(f"  repeat {rep + 1}/{args.repeats} h={h}: {summary or name + ' gave nothing'}")
    if args.json_out:
        with open(args.json_out, "w") as f:
            for r in rows:
                f.write(json.dumps(r) + "\n")

    # median over repeats of each run's median ms/epoch; peak RSS is the largest seen
    names = []
    for r in rows:
        if r["impl"] not in names:
            names.append(r["impl"])
    ms = {(n, h): statistics.median([r["median_ms"] for r in rows if r["impl"] == n and r["h"] == h])
          for n in names for h in widths if any(r["impl"] == n and r["h"] == h for r in rows)}
    rss = {(n, h): max(r["peak_rss_mb"] for r in rows if r["impl"] == n and r["h"] == h and r.get("peak_rss_mb"))
           for n in names for h in widths
           if any(r["impl"] == n and r["h"] == h and r.get("peak_rss_mb") for r in rows)}
    versions = {}
    for r in rows:
        if r.get("version"):
            versions.setdefault(r["impl"], f"{r['version']}" + (f" ({r['note']})" if r.get("note") else ""))

    print()
    what = f"ensemble of K = {args.ensemble} nets" if args.ensemble else "one net"
    print(f"MLP 784-h-10, {what}, Adam, batch 100, P = 4000 Fashion-MNIST, Float32, one thread: "
          f"median ms per epoch (40 steps) over {args.repeats} alternating runs, each the median of "
          f"{args.epochs} timed epochs after {args.warmup} warm-up epochs.")
    print()
    print("| implementation | " + " | ".join(f"h = {h}" for h in widths) + " |")
    print("|---|" + "---|" * len(widths))
    for n in names:
        print(f"| {n} | " + " | ".join(fmt_ms(ms.get((n, h))) for h in widths) + " |")
    ours = [n for n in names if n.startswith("overparam")]
    for mine in ours:
        for other in [n for n in names if n not in ours]:
            cells = [f"{ms[(mine, h)] / ms[(other, h)]:.2f}" if (mine, h) in ms and (other, h) in ms else "—"
                     for h in widths]
            print(f"| {mine} / {other} | " + " | ".join(cells) + " |")
    for n in names:
        if any((n, h) in rss for h in widths):
            print(f"| peak RSS {n} (MB) | " + " | ".join(f"{rss[(n, h)]:.0f}" if (n, h) in rss else "—"
                                                         for h in widths) + " |")
    print()
    for n, v in versions.items():
        print(f"- {n}: {v}")
    for line in blas_report():
        print(f"- {line}")
    odd = [r for r in rows if "cpu_per_wall" in r and not 0.9 <= r["cpu_per_wall"] <= 1.1]
    for r in odd:
        print(f"- note: {r['impl']} h={r['h']} repeat {r['repeat'] + 1} used {r['cpu_per_wall']:.2f} CPU s per wall s "
              f"({'descheduled: a busy machine' if r['cpu_per_wall'] < 0.9 else 'more than one thread'})")


if __name__ == "__main__":
    main()
