"""How a TrainingRun gathers its shuffled training rows, side by side in one run.

    python tests/benchmarks/bench_gather.py [--steps N] [--datasets mnist mnist-full]

model.training.GATHER_ROWS rows of the epoch's shuffled order are gathered at a time, as
minibatches reach them. Compared here: the whole epoch at once (what the run did before),
one minibatch at a time, and blocks of 128, 256 (the default) and 512 rows. For each: the
mean time of a step over N steps (batch 32, rotating the candidates every round), and the
longest single step, the one that crosses an epoch's end (the whole-epoch gather paused a
full-MNIST run there). mnist-full is measured only where it has been downloaded.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import model.training as training  # noqa: E402
from model import load_dataset  # noqa: E402
from model.datasets.errors import DatasetError  # noqa: E402

CANDIDATES = {"whole epoch": 10**12, "each minibatch": 0, "128": 128, "256": 256, "512": 512}


def measure(dataset, rows: int, steps: int) -> tuple[float, float]:
    """(mean seconds a step, longest single step) with GATHER_ROWS = rows."""
    saved = training.GATHER_ROWS
    training.GATHER_ROWS = rows
    try:
        run = training.TrainingRun(
            dataset, batch_size=32, random_state=0, evaluate_each_epoch=False
        )
        run.step(run.steps_per_epoch + 10)  # past the first epoch (it keeps every state)
        # (no evaluation at the epoch's end: the longest step is the gather's)
        longest, started = 0.0, time.perf_counter()
        for _ in range(steps):
            t0 = time.perf_counter()
            run.step(1)
            longest = max(longest, time.perf_counter() - t0)
        return (time.perf_counter() - started) / steps, longest
    finally:
        training.GATHER_ROWS = saved


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=4000, help="steps a measure (4000)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of every candidate (3)")
    parser.add_argument("--datasets", nargs="+", default=["mnist", "mnist-full"])
    args = parser.parse_args(argv)
    for name in args.datasets:
        try:
            dataset = load_dataset(name)
        except DatasetError as error:
            print(f"{name}: not measured ({error})")
            continue
        per_step = {c: [] for c in CANDIDATES}
        longest = {c: 0.0 for c in CANDIDATES}
        order = list(CANDIDATES)
        for r in range(args.rounds):
            for c in order[r % len(order) :] + order[: r % len(order)]:
                mean, worst = measure(dataset, CANDIDATES[c], args.steps)
                per_step[c].append(mean)
                longest[c] = max(longest[c], worst)
        base = statistics.median(per_step["whole epoch"])
        print(
            f"\n{name}: {dataset.n_train:,} training rows, batch 32, {args.steps:,} steps x "
            f"{args.rounds} rounds (median)"
        )
        print(f"  {'gathered':<16}{'us a step':>10}{'vs whole':>10}{'longest step':>14}")
        for c in CANDIDATES:
            m = statistics.median(per_step[c])
            print(f"  {c:<16}{1e6 * m:>10.1f}{m / base:>10.2f}{1e3 * longest[c]:>11.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
