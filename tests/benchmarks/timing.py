"""Timing helpers shared by the benchmark scripts: calibrated loops, interleaved repeats, medians.

A candidate is a function run(n) that does n training steps. Each is timed over enough steps
to last about `target_seconds`, candidates take turns in an order that rotates every repeat
(so a slow spell on the shared machine is spread over all of them), and the medians are
compared. Pure standard library, so the torch worker process can use it too.
"""

from __future__ import annotations

import itertools
import statistics
import time
from collections.abc import Callable, Iterable

Run = Callable[[int], None]


def cycling(step: Callable[..., object], batches: Iterable[tuple]) -> Run:
    """run(n): call step(*batch) n times, going round `batches` and carrying on between calls."""
    batches = itertools.cycle(batches)

    def run(n: int) -> None:
        for batch in itertools.islice(batches, n):
            step(*batch)

    return run


def seconds(run: Run, n: int) -> float:
    started = time.perf_counter()
    run(n)
    return time.perf_counter() - started


def calibrate(run: Run, target_seconds: float) -> int:
    """The number of steps that take about target_seconds, after a warm-up."""
    # Warm up for a while, not one step: first calls allocate buffers and fill caches, and
    # torch's autograd and optimiser set themselves up over the first few steps.
    n = 1
    while (elapsed := seconds(run, n)) < target_seconds / 4 and n < 1 << 20:
        n *= 2
    # The fastest of three runs: a pause on the shared machine only ever makes a run slower.
    fastest = min(elapsed, seconds(run, n), seconds(run, n))
    return max(1, round(n * target_seconds / max(fastest, 1e-9)))


def interleaved(
    candidates: dict[str, tuple[Run, int]], repeats: int, shift: int = 0
) -> dict[str, list[float]]:
    """Seconds per step of each candidate (run, n_steps), `repeats` times, in rotating order."""
    names = list(candidates)
    result: dict[str, list[float]] = {name: [] for name in names}
    for repeat in range(repeats):
        first = (repeat + shift) % len(names)
        for name in names[first:] + names[:first]:
            run, n = candidates[name]
            result[name].append(seconds(run, n) / n)
    return result


def summary(seconds_per_step: list[float], batch_size: int) -> dict:
    """Median seconds per step and samples per second, with the quartiles as a noise gauge."""
    ordered = sorted(seconds_per_step)
    if len(ordered) >= 2:
        q1, _, q3 = statistics.quantiles(ordered, n=4, method="inclusive")
    else:
        q1 = q3 = ordered[0]
    median = statistics.median(ordered)
    return {
        "seconds_per_step": median,
        "samples_per_s": batch_size / median,
        "seconds_per_step_q1": q1,
        "seconds_per_step_q3": q3,
        "n_repeats": len(ordered),
    }
