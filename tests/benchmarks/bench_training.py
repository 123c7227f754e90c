"""Training-step benchmark: SoftmaxClassifier.partial_fit in samples per second, beside the
two-matrix-product limit of a step, PyTorch and scikit-learn on the same data.

    python tests/benchmarks/bench_training.py [--quick] [--json FILE]

For the embedded `digits` and `mnist` training sets, batch sizes 1, 10, 32, 128, 1024, float32
and float64, it times:
- numpy: SoftmaxClassifier.partial_fit, the public step the app uses (checks included);
- limit: NumPy's own two matrix products of a step, Z = X W^T (B x D by D x C) and Z^T X
  (C x B by B x D), into preallocated outputs, and nothing else: no NumPy step can beat it;
- torch_sgd and torch_manual (optional; `pip install -e ".[bench]"` pins torch==2.13.0, the CPU
  build; an unpinned torch pulls a multi-GB CUDA build): PyTorch CPU eager on the same model and
  data, with autograd and torch.optim.SGD, and with a hand-written step without autograd. They
  run in a separate process (see torch_worker.py), with torch.set_num_threads equal to NumPy's
  BLAS threads;
- sklearn (optional): SGDClassifier(loss="log_loss").partial_fit per batch. It is one-vs-rest
  with per-sample updates, a different algorithm: shown for orientation only.

Each step's batch is a contiguous slice of the training set, prepared before timing. Within a
process the candidates take turns in an order that rotates every repeat; across processes that
is not possible, so NumPy and torch run in alternating rounds (numpy, torch, numpy, torch, ...).
Every figure is a median over all repeats. Ratios are NumPy's samples/s over the other's.

The header shows the BLAS kernel threadpoolctl reports and the OPENBLAS_* variables set. Where
OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are set (some machines here set them for older OpenBLAS
builds), compare with `env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python ...` for that command
alone; change neither in tests or CI. On a machine that other work keeps busy, steps on all
cores stall whenever one of their threads is held off its CPU: --threads 1 then still measures.

Not a test: pytest does not collect bench_*.py; test_bench_training_smoke.py beside it runs it
once with --smoke and checks the JSON.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from timing import calibrate, cycling, interleaved, summary
from torch_worker import TorchWorker

from model.datasets import load_dataset
from model.softmax import SoftmaxClassifier

DATASETS = ("digits", "mnist")
DTYPES = ("float32", "float64")
BATCH_SIZES = (1, 10, 32, 128, 1024)
LEARNING_RATE = 0.05
SEED = 0
ENV_VARS = (
    "OPENBLAS_CORETYPE",
    "OPENBLAS_L2_SIZE",
    "OPENBLAS_NUM_THREADS",
    "OPENBLAS_VERBOSE",
    "OMP_NUM_THREADS",
    "MKL_NUM_THREADS",
)
# Seconds between the two processes' rounds, so that the threads of the one that just stopped
# have stopped spinning before the other starts.
PAUSE = 0.3

# The targets: numpy's samples/s over the best torch step's, by batch size, and over the
# two-product limit on mnist for B >= 128.
TORCH_TARGETS = {1: 1.0, 10: 1.0, 32: 1.0, 128: 1.0, 1024: 0.9}
LIMIT_TARGET = 0.8


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer, shorter repeats (< 1 min)")
    parser.add_argument("--smoke", action="store_true", help="one tiny case, for the test suite")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the results here")
    parser.add_argument("--datasets", nargs="+", choices=DATASETS)
    parser.add_argument("--dtypes", nargs="+", choices=DTYPES)
    parser.add_argument("--batch-sizes", nargs="+", type=int)
    parser.add_argument("--repeats", type=int, help="timed repeats of each candidate and case")
    parser.add_argument("--rounds", type=int, help="alternating numpy/torch rounds")
    parser.add_argument("--target-seconds", type=float, help="length of one timed repeat")
    parser.add_argument("--threads", type=int, help="BLAS/torch threads (default: NumPy's)")
    parser.add_argument("--no-torch", action="store_true")
    parser.add_argument("--no-sklearn", action="store_true")
    args = parser.parse_args(argv)
    preset = (
        dict(datasets=["digits"], dtypes=["float32"], batch_sizes=[10], repeats=2, rounds=1,
             target_seconds=0.001) if args.smoke
        else dict(repeats=10, rounds=2, target_seconds=0.003) if args.quick
        else dict(repeats=60, rounds=3, target_seconds=0.01)
    )  # fmt: skip
    preset = dict(dict(datasets=DATASETS, dtypes=DTYPES, batch_sizes=BATCH_SIZES), **preset)
    for name, value in preset.items():
        if getattr(args, name) is None:
            setattr(args, name, list(value) if isinstance(value, tuple) else value)
    args.rounds = max(1, min(args.rounds, args.repeats))
    return args


# ----------------------------------------------------------------- environment
def blas_info() -> list[dict] | None:
    """The BLAS libraries loaded, NumPy's first, as threadpoolctl sees them (None without it)."""
    if importlib.util.find_spec("threadpoolctl") is None:
        return None
    import threadpoolctl

    keys = ("internal_api", "version", "architecture", "num_threads", "threading_layer")
    found = [
        {key: info.get(key) for key in keys} | {"library": _folder_and_name(info["filepath"])}
        for info in threadpoolctl.threadpool_info()
        if info["user_api"] == "blas"
    ]
    return sorted(found, key=lambda info: not info["library"].startswith("numpy"))


def _folder_and_name(path: str) -> str:
    return "/".join(Path(path).parts[-2:])  # numpy.libs/libscipy_openblas64_...so


def limit_threads(threads: int):
    """Set every BLAS and OpenMP pool in this process to `threads` (if threadpoolctl is there)."""
    if importlib.util.find_spec("threadpoolctl") is None:
        return contextlib.nullcontext()
    import threadpoolctl

    return threadpoolctl.threadpool_limits(limits=threads)


def cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def describe_environment(blas: list[dict] | None, threads: int) -> dict:
    return {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "platform": platform.platform(),
        "cpu": cpu_model(),
        "cpu_count": os.cpu_count(),
        "env": {name: os.environ.get(name) for name in ENV_VARS},
        "blas": blas,
        "threads": threads,
        "load_average_start": os.getloadavg(),
    }


# ----------------------------------------------------------------- the NumPy process
def numpy_candidates(case: tuple, data: dict, sklearn: bool, target_seconds: float) -> dict:
    """run(n) and calibrated n for numpy, limit and (optionally) sklearn on one case."""
    name, dtype, B = case
    X, y, C = data[name]
    X = X.astype(dtype, copy=False)  # cast once, as TrainingRun does
    starts = range(0, len(X) - B + 1, B)
    batches = [(X[start : start + B], y[start : start + B]) for start in starts]
    model = SoftmaxClassifier(
        X.shape[1], C, learning_rate=LEARNING_RATE, random_state=SEED, dtype=dtype
    )
    W, Z = model.W.copy(), np.empty((B, C), dtype=dtype)
    dW = np.empty_like(W)

    def two_products(X_batch, _):
        np.matmul(X_batch, W.T, out=Z)  # B x D by D x C
        np.matmul(Z.T, X_batch, out=dW)  # C x B by B x D

    runs = {"numpy": cycling(model.partial_fit, batches), "limit": cycling(two_products, batches)}
    if sklearn:
        from sklearn.linear_model import SGDClassifier

        sgd = SGDClassifier(
            loss="log_loss", penalty=None, learning_rate="constant", eta0=LEARNING_RATE,
            random_state=SEED,
        )  # fmt: skip
        sgd.partial_fit(*batches[0], classes=np.arange(C))
        runs["sklearn"] = cycling(sgd.partial_fit, batches)
    return {label: (run, calibrate(run, target_seconds)) for label, run in runs.items()}


# ----------------------------------------------------------------- the torch process
def start_torch(args, data: dict, cases: list, folder: Path, threads: int):
    """(worker, None), or (None, why torch is skipped)."""
    if args.no_torch:
        return None, "--no-torch"
    if importlib.util.find_spec("torch") is None:
        return None, 'torch is not installed (pip install -e ".[bench]" pins torch==2.13.0)'
    files = {}
    for name, (X, y, C) in data.items():
        np.save(folder / f"{name}_X.npy", X)
        np.save(folder / f"{name}_y.npy", y)
        files[name] = {"X": str(folder / f"{name}_X.npy"), "y": str(folder / f"{name}_y.npy"),
                       "n_classes": C}  # fmt: skip
    plan = {
        "data": files,
        "cases": [list(case) for case in cases],
        "repeats_per_round": args.repeats // args.rounds,
        "target_seconds": args.target_seconds,
        "threads": threads,
        "learning_rate": LEARNING_RATE,
        "seed": SEED,
    }
    try:
        worker = TorchWorker(plan, folder)
    except (OSError, RuntimeError, ValueError) as error:
        return None, f"the torch worker failed to start: {error}"
    if "error" in worker.info:
        worker.stop()
        return None, f"torch cannot be imported: {worker.info['error']}"
    return worker, None


# ----------------------------------------------------------------- results
def case_result(case: tuple, times: dict, steps: dict) -> dict:
    name, dtype, B = case
    candidates = {
        label: dict(summary(values, B), steps_per_repeat=steps[label])
        for label, values in times.items()
    }
    numpy_time = candidates["numpy"]["seconds_per_step"]

    def ratio(label):
        return candidates[label]["seconds_per_step"] / numpy_time if label in candidates else None

    torch = [label for label in ("torch_sgd", "torch_manual") if label in candidates]
    best_torch = min(torch, key=lambda label: candidates[label]["seconds_per_step"], default=None)
    ratios = {
        "numpy_vs_limit": ratio("limit"),
        "numpy_vs_best_torch": ratio(best_torch) if best_torch else None,
        "best_torch": best_torch,
        "numpy_vs_sklearn": ratio("sklearn"),
    }
    targets = {}
    if B in TORCH_TARGETS and best_torch:
        value, need = ratios["numpy_vs_best_torch"], TORCH_TARGETS[B]
        targets["vs_best_torch"] = {"required": need, "ratio": value, "met": value >= need}
    if name == "mnist" and B >= 128:
        value, need = ratios["numpy_vs_limit"], LIMIT_TARGET
        targets["vs_limit"] = {"required": need, "ratio": value, "met": value >= need}
    return {"dataset": name, "dtype": dtype, "batch_size": B, "candidates": candidates,
            "ratios": ratios, "targets": targets}  # fmt: skip


def rate(candidates: dict, label: str) -> str:
    if label not in candidates:
        return "-"
    value = candidates[label]["samples_per_s"]
    for unit, scale in (("M", 1e6), ("k", 1e3)):
        if value >= scale:
            return f"{value / scale:.3g}{unit}"
    return f"{value:.3g}"


def fraction(value) -> str:
    return "-" if value is None else f"{value:.2f}"


def spread(candidates: dict) -> str:
    """The widest interquartile range of the row's candidates, as a percentage of its median."""
    widest = max(
        (c["seconds_per_step_q3"] - c["seconds_per_step_q1"]) / c["seconds_per_step"]
        for c in candidates.values()
    )
    return f"{100 * widest:.0f}%"


def table(results: list[dict]) -> str:
    header = (
        f"{'dataset':7} {'dtype':7} {'B':>5} | {'numpy':>7} {'limit':>7} {'np/lim':>6} | "
        f"{'t.sgd':>7} {'t.man':>7} {'np/t':>5} | {'sklearn':>7} {'np/skl':>6} | "
        f"{'iqr':>4} | targets"
    )
    lines = [header, "-" * len(header)]
    for result in results:
        c, r = result["candidates"], result["ratios"]
        marks = " ".join(
            f"{'torch' if key == 'vs_best_torch' else 'limit'}>={t['required']}:"
            f"{'ok' if t['met'] else 'MISSED'}"
            for key, t in result["targets"].items()
        )
        lines.append(
            f"{result['dataset']:7} {result['dtype']:7} {result['batch_size']:>5} | "
            f"{rate(c, 'numpy'):>7} {rate(c, 'limit'):>7} {fraction(r['numpy_vs_limit']):>6} | "
            f"{rate(c, 'torch_sgd'):>7} {rate(c, 'torch_manual'):>7} "
            f"{fraction(r['numpy_vs_best_torch']):>5} | "
            f"{rate(c, 'sklearn'):>7} {fraction(r['numpy_vs_sklearn']):>6} | "
            f"{spread(c):>4} | {marks}"
        )
    return "\n".join(lines)


def header(meta: dict, args) -> str:
    blas = meta["blas"]
    blas_lines = (
        ["BLAS: threadpoolctl is not installed: threads neither reported nor set"]
        if blas is None
        else [
            f"BLAS: {b['internal_api']} {b['version']} ({b['library']}), kernel "
            f"{b['architecture']}, {b['num_threads']} threads, {b['threading_layer']}"
            for b in blas
        ]
    )
    env = ", ".join(f"{name}={value}" for name, value in meta["env"].items() if value is not None)
    torch = meta.get("torch") or {}
    return "\n".join([
        f"Python {meta['python']}, NumPy {meta['numpy']}, {meta['cpu']} ({meta['cpu_count']} CPUs)",
        *blas_lines,
        f"environment: {env or 'none of ' + ', '.join(ENV_VARS) + ' is set'}",
        f"torch: {torch.get('torch')}, {torch.get('threads')} threads, BLAS {torch.get('blas')}, "
        f"{torch.get('cpu_capability')}, {torch.get('parallel_backend')}"
        if torch else f"torch: skipped: {meta['skipped']['torch']}",
        f"sklearn: {meta['sklearn']}" if meta.get("sklearn") else
        f"sklearn: skipped: {meta['skipped']['sklearn']}",
        f"threads: {meta['threads']} for NumPy's BLAS and for torch"
        f"{'' if blas else ' (os.cpu_count(); NumPy not controlled)'}; {args.repeats} repeats "
        f"of ~{args.target_seconds * 1e3:g} ms per candidate and case, in {args.rounds} rounds",
        f"load average: {' '.join(f'{x:.2f}' for x in meta['load_average_start'])} (start)",
        *busy_warning(meta),
    ])  # fmt: skip


def busy_warning(meta: dict) -> list[str]:
    load, cpus, threads = meta["load_average_start"][0], meta["cpu_count"] or 1, meta["threads"]
    if threads < 2 or load + threads <= cpus + 0.75:
        return []
    return [
        f"WARNING: the machine is busy (load {load:.1f} on {cpus} CPUs). A step on {threads} "
        "threads waits at each parallel region for a thread that another process holds off its "
        "CPU: figures for multithreaded GEMMs and torch ops will be erratic (see the iqr "
        "column); --threads 1 stays usable."
    ]


NOTES = [
    "Columns: samples/s of numpy = SoftmaxClassifier.partial_fit; limit = NumPy's two matrix "
    "products alone; t.sgd = torch autograd + optim.SGD; t.man = torch hand-written step; "
    "sklearn = SGDClassifier(log_loss).partial_fit (one-vs-rest, per-sample updates).",
    "Ratios are numpy's samples/s over the other's (above 1: numpy is faster); np/t is over the "
    "faster torch step. Medians of all repeats; iqr: the widest interquartile range of the "
    "row's candidates, relative to its median (a noise gauge).",
    "Within a process candidates rotate every repeat; numpy and torch ran in separate processes, "
    "in alternating rounds, as interleaving across processes is not possible.",
]


# ----------------------------------------------------------------- main
def measure(args, cases: list, data: dict, sklearn: bool, worker, skipped: dict):
    """Seconds per step of every candidate and case, and steps per repeat, over all rounds."""
    times = {case: {} for case in cases}
    steps = {case: {} for case in cases}
    candidates = {}

    def add(case, measured: dict, calibrated: dict) -> None:
        for label, values in measured.items():
            times[case].setdefault(label, []).extend(values)
        steps[case].update(calibrated)

    for round_index in range(args.rounds):
        started = time.perf_counter()
        for case in cases:
            if case not in candidates:  # built and calibrated in the first round
                candidates[case] = numpy_candidates(case, data, sklearn, args.target_seconds)
            measured = interleaved(candidates[case], args.repeats // args.rounds, round_index)
            add(case, measured, {label: n for label, (_, n) in candidates[case].items()})
        line = f"round {round_index + 1}/{args.rounds}: numpy {time.perf_counter() - started:.1f} s"
        if worker:
            time.sleep(PAUSE)
            started = time.perf_counter()
            try:
                reply = worker.round()
            except (OSError, RuntimeError, ValueError) as error:
                skipped["torch"] = f"the torch worker failed in round {round_index + 1}: {error}"
                worker = None
            else:
                for case in cases:
                    key = "/".join(map(str, case))
                    add(case, reply["seconds_per_step"][key], reply["steps_per_repeat"][key])
                line += f", torch {time.perf_counter() - started:.1f} s"
                time.sleep(PAUSE)
        print(line, flush=True)
    return times, steps


def main(argv=None) -> int:
    args = parse_args(argv)
    blas = blas_info()
    threads = args.threads or (blas[0]["num_threads"] if blas else None) or os.cpu_count() or 1
    cases = [(n, d, B) for n in args.datasets for d in args.dtypes for B in args.batch_sizes]
    data = {}
    for name in args.datasets:
        dataset = load_dataset(name)
        data[name] = (dataset.X_train, dataset.y_train, dataset.n_classes)
    skipped = {"torch": None, "sklearn": None}
    sklearn_version = None
    if args.no_sklearn:
        skipped["sklearn"] = "--no-sklearn"
    elif importlib.util.find_spec("sklearn") is None:
        skipped["sklearn"] = 'scikit-learn is not installed (pip install -e ".[bench]")'
    else:
        import sklearn

        sklearn_version = sklearn.__version__
    with tempfile.TemporaryDirectory() as folder, limit_threads(threads):
        meta = describe_environment(blas_info() if blas else None, threads)
        worker, skipped["torch"] = start_torch(args, data, cases, Path(folder), threads)
        meta.update(torch=worker.info if worker else None, sklearn=sklearn_version, skipped=skipped)
        print(header(meta, args), flush=True)
        try:
            times, steps = measure(args, cases, data, sklearn_version is not None, worker, skipped)
        finally:
            if worker:
                worker.stop()
    meta["load_average_end"] = os.getloadavg()
    results = [case_result(case, times[case], steps[case]) for case in cases]
    print()
    print(table(results))
    print(f"load average: {' '.join(f'{x:.2f}' for x in meta['load_average_end'])} (end)")
    for note in NOTES:
        print(note)
    if args.json:
        config = {key: getattr(args, key) for key in
                  ("datasets", "dtypes", "batch_sizes", "repeats", "rounds", "target_seconds")}
        config.update(learning_rate=LEARNING_RATE, seed=SEED, quick=args.quick, smoke=args.smoke)
        report = {"meta": meta, "config": config, "results": results, "notes": NOTES}
        args.json.write_text(json.dumps(report, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
