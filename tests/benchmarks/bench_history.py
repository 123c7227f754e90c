"""Measures the kept history and run files: memory after a long mnist run, save and load times.

    python tests/benchmarks/bench_history.py            # 100,000 steps of mnist (about a minute)
    python tests/benchmarks/bench_history.py --steps 2000 --dataset digits   # quick

Prints, for a TrainingRun of the given length (batch 32, lr 0.1, seed 0, evaluated at every
epoch's end as a headless run is): the kept states (first epoch, evaluation points, spaced)
and their memory; the time to save the run and to load it (median of --repeats, file size);
and the training speed with and without keeping the history (interleaved, median), so the cost
of the copies is seen. Not part of the test suite (tests/benchmarks/test_bench_history_smoke.py
runs it tiny); no timing is asserted anywhere.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run from anywhere

from model import TrainingRun, load_dataset, load_run  # noqa: E402


def long_run(dataset, steps: int) -> tuple[TrainingRun, float]:
    run = TrainingRun(dataset, batch_size=32, learning_rate=0.1, random_state=0)
    started = time.perf_counter()
    run.step(steps)
    return run, time.perf_counter() - started


def save_and_load(run: TrainingRun, repeats: int) -> dict:
    saves, loads = [], []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "run.npz"
        for _ in range(repeats):
            started = time.perf_counter()
            run.save(path)
            saves.append(time.perf_counter() - started)
            started = time.perf_counter()
            loaded = load_run(path)
            loads.append(time.perf_counter() - started)
        size = path.stat().st_size
    assert (loaded.classifier.W == run.classifier.W).all()
    return {
        "save_seconds": statistics.median(saves),
        "load_seconds": statistics.median(loads),
        "file_bytes": size,
    }


def steps_per_second(dataset, steps: int, repeats: int) -> dict:
    """Training speed keeping the history and not keeping it (interleaved repeats)."""
    speeds = {"with history": [], "without history": []}
    for _ in range(repeats):
        for name in speeds:
            run = TrainingRun(dataset, batch_size=32, learning_rate=0.1, random_state=0,
                              evaluate_each_epoch=False)  # fmt: skip
            if name == "without history":
                run.history.wants = lambda step, first_epoch: False
            started = time.perf_counter()
            run.step(steps)
            speeds[name].append(steps / (time.perf_counter() - started))
    return {name: statistics.median(values) for name, values in speeds.items()}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", default="mnist")
    parser.add_argument("--steps", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--speed-steps", type=int, default=2000,
                        help="steps per speed measurement (the first epoch, where every step "
                        "is copied, and beyond)")  # fmt: skip
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)

    dataset = load_dataset(args.dataset)
    run, train_seconds = long_run(dataset, args.steps)
    history = run.history
    kinds = Counter(history.kinds)
    C, D = run.classifier.W.shape
    report = {
        "dataset": args.dataset,
        "steps": run.step_count,
        "steps_per_epoch": run.steps_per_epoch,
        "train_seconds": train_seconds,
        "kept": len(history),
        "kept_by_kind": dict(kinds),
        "interval": history.interval,
        "history_bytes": history.nbytes,
        "bytes_per_state": (C * D + C) * run.classifier.W.itemsize,
        **save_and_load(run, args.repeats),
        "steps_per_second": steps_per_second(dataset, args.speed_steps, args.repeats),
    }
    print(f"{args.dataset}: {report['steps']:,} steps in {train_seconds:.1f} s "
          f"({report['steps_per_epoch']} steps an epoch)")  # fmt: skip
    print(f"kept states: {len(history):,} ({', '.join(f'{n:,} {k}' for k, n in kinds.items())}),"
          f" spacing {history.interval:,} steps")  # fmt: skip
    print(f"memory of the kept history: {history.nbytes / 1e6:.1f} MB "
          f"({report['bytes_per_state']:,} bytes a state)")  # fmt: skip
    print(f"save: {report['save_seconds']:.2f} s, load: {report['load_seconds']:.2f} s "
          f"(median of {args.repeats}), file {report['file_bytes'] / 1e6:.1f} MB")  # fmt: skip
    for name, speed in report["steps_per_second"].items():
        print(f"training {name}: {speed:,.0f} steps/s (median of {args.repeats} x "
              f"{args.speed_steps:,} steps)")  # fmt: skip
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
