"""The figures of docs/codes_vs_softmax.md: the code regressor against the softmax, trained on
the same minibatches in the same order, over several seeds (mean and spread).

    python docs/codes_vs_softmax_figures.py --dataset mnist --steps 3000 --seeds 0 1 2 3 4
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from model import compare_codes_vs_softmax, load_dataset
from model.codes_comparison import CODE_LEARNING_RATE

FIGURES = (
    ("softmax test accuracy", lambda r: r.last_softmax_accuracy),
    ("code model test accuracy", lambda r: r.last_code_accuracy),
    ("code model answers that are invalid codes", lambda r: r.last_invalid_share),
    ("code model errors that are invalid codes", lambda r: r.invalid_error_share),
    ("code model errors 1 bit off", lambda r: r.code_error_shares[1]),
    ("softmax errors 1 bit off", lambda r: r.softmax_error_shares[1]),
    ("code model errors 2 bits off", lambda r: r.code_error_shares[2]),
    ("softmax errors 2 bits off", lambda r: r.softmax_error_shares[2]),
    ("pairs of distinct classes 1 bit apart", lambda r: r.pair_shares[1]),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", default="mnist")
    parser.add_argument("--steps", type=int, default=3000)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--softmax-rate", type=float, default=0.1)
    parser.add_argument("--code-rate", type=float, default=CODE_LEARNING_RATE)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    args = parser.parse_args()
    dataset = load_dataset(args.dataset)
    started = time.perf_counter()
    results = [
        compare_codes_vs_softmax(dataset, args.steps, args.batch_size,
                                 (args.softmax_rate, args.code_rate), seed)  # fmt: skip
        for seed in args.seeds
    ]
    took = time.perf_counter() - started
    print(f"{dataset.name}: {args.steps} steps of {args.batch_size}, learning rates softmax "
          f"{args.softmax_rate:g}, code model {args.code_rate:g}; seeds {args.seeds} "
          f"({took:.0f} s)\n")  # fmt: skip
    print("| figure (test set) | mean | spread (sd) | min | max |")
    print("|---|---|---|---|---|")
    for name, figure in FIGURES:
        values = np.array([figure(r) for r in results])
        print(f"| {name} | {values.mean():.1%} | {values.std(ddof=1) if len(values) > 1 else 0:.1%}"
              f" | {values.min():.1%} | {values.max():.1%} |")  # fmt: skip


if __name__ == "__main__":
    main()
