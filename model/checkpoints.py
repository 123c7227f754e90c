"""The weights of a run at points along the way, kept in bounded memory (for going back in time).

Three kinds of step are kept:
- every step of the first epoch (at least the first `min_early` steps), however long the run:
  that is what a class asks to see again;
- each evaluation point, so the loss panel's test curve can be scrubbed point by point;
- after those, every `interval`-th step. When more than `max_spaced` such states are held, the
  interval doubles and the states off the new grid are dropped, so about max_spaced / 2 to
  max_spaced spaced states cover the rest of any run, evenly.

Evaluation points count towards max_spaced; if they alone pass it (a run evaluated far more
often than the spacing), every other one is dropped too, so memory stays bounded: at most
`first epoch + max_spaced + 1` states.
"""

from __future__ import annotations

import bisect

import numpy as np

__all__ = ["CheckpointStore"]


class CheckpointStore:
    """(step, W, b) states of one run; `at(k)` gives the latest one at or before step k.

    The copies are taken as given (same dtype): a float64 state is kept bit for bit.
    """

    def __init__(self, max_spaced: int = 1024, interval: int = 1, min_early: int = 100):
        if max_spaced < 4:
            raise ValueError("max_spaced must be at least 4")
        if interval < 1:
            raise ValueError("interval must be at least 1")
        self.max_spaced = max_spaced
        self.interval = interval
        self.min_early = min_early
        self._steps: list[int] = []
        self._states: list[tuple[np.ndarray, np.ndarray]] = []
        # What each state is kept for: "early" (first epoch, never dropped), "evaluation", "spaced".
        self._kinds: list[str] = []
        self._n_later = 0  # states that are not "early"

    def __len__(self) -> int:
        return len(self._steps)

    @property
    def steps(self) -> tuple[int, ...]:
        return tuple(self._steps)

    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(self._kinds)

    @property
    def nbytes(self) -> int:
        """Memory held by the kept arrays."""
        return sum(W.nbytes + b.nbytes for W, b in self._states)

    def wants(self, step: int, first_epoch: bool) -> bool:
        """Whether `add` would keep a state at `step` (a cheap test before copying W)."""
        if first_epoch or step <= self.min_early:
            return True
        return step % self.interval == 0 and (not self._steps or step > self._steps[-1])

    def add(self, step: int, W: np.ndarray, b: np.ndarray, *, first_epoch: bool = False) -> bool:
        """Keep a copy of (W, b) at `step` if the rule above wants it; True if kept."""
        step = int(step)
        if not self.wants(step, first_epoch):
            return False
        early = first_epoch or step <= self.min_early
        self._put(step, W, b, "early" if early else "spaced")
        return True

    def add_evaluation(self, step: int, W: np.ndarray, b: np.ndarray) -> None:
        """Keep (W, b) at an evaluation point (the step's state, whatever the spacing)."""
        self._put(int(step), W, b, "evaluation")

    def replace_last(self, step: int, W: np.ndarray, b: np.ndarray) -> None:
        """The state at `step` is (W, b) after all (a divergence put back earlier weights):
        drop what was kept from `step` on and keep this instead."""
        kind = "spaced"
        while self._steps and self._steps[-1] >= step:
            if self._steps[-1] == step:
                kind = self._kinds[-1]
            self._pop()
        self._put(int(step), W, b, kind)

    def _pop(self) -> None:
        if self._kinds.pop() != "early":
            self._n_later -= 1
        self._steps.pop()
        self._states.pop()

    def _put(self, step: int, W, b, kind: str) -> None:
        if self._steps and self._steps[-1] == step:  # the same step again: one state
            if self._kinds[-1] == "spaced" and kind == "evaluation":
                self._kinds[-1] = kind
            return
        if self._steps and step < self._steps[-1]:
            raise ValueError(f"step {step} is before the last kept step {self._steps[-1]}")
        if self._kinds and self._kinds[-1] == "spaced" and self._steps[-1] % self.interval:
            self._pop()  # a latest kept off the grid by a thinning: no longer the latest
        self._steps.append(step)
        self._states.append((np.array(W), np.array(b)))
        self._kinds.append(kind)
        if kind != "early":
            self._n_later += 1
            if self._n_later > self.max_spaced:
                self._thin()

    def _thin(self) -> None:
        """Double the interval and drop what is off the new grid (the latest state stays)."""
        while self._n_later > self.max_spaced:
            self.interval *= 2
            last = len(self._steps) - 1
            keep = [
                i
                for i, (step, kind) in enumerate(zip(self._steps, self._kinds, strict=True))
                if kind != "spaced" or step % self.interval == 0 or i == last
            ]
            evaluations = [i for i in keep if self._kinds[i] == "evaluation" and i != last]
            if len(evaluations) > self.max_spaced // 2:  # far more evaluations than spacing
                dropped = set(evaluations[1::2])
                keep = [i for i in keep if i not in dropped]
            self._steps = [self._steps[i] for i in keep]
            self._states = [self._states[i] for i in keep]
            self._kinds = [self._kinds[i] for i in keep]
            self._n_later = sum(kind != "early" for kind in self._kinds)

    def at(self, step: int) -> tuple[int, np.ndarray, np.ndarray]:
        """(step, W, b) of the latest state kept at or before `step` (copies)."""
        i = bisect.bisect_right(self._steps, step) - 1
        if i < 0:
            raise ValueError(f"no checkpoint at or before step {step}")
        W, b = self._states[i]
        return self._steps[i], W.copy(), b.copy()

    # ------------------------------------------------------------------ saving
    def to_arrays(self) -> dict[str, np.ndarray]:
        """Everything kept, as arrays for a .npz (see model/run_file.py)."""
        C, D = self._states[0][0].shape
        dtype = self._states[0][0].dtype
        W = np.empty((len(self), C, D), dtype=dtype)
        b = np.empty((len(self), C), dtype=dtype)
        for i, (Wi, bi) in enumerate(self._states):
            W[i], b[i] = Wi, bi
        kinds = np.array([_KIND_CODES[k] for k in self._kinds], dtype=np.int8)
        settings = np.array([self.max_spaced, self.interval, self.min_early], dtype=np.int64)
        return {"steps": np.array(self._steps, dtype=np.int64), "kinds": kinds, "W": W, "b": b,
                "settings": settings}  # fmt: skip

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> CheckpointStore:
        """The store `to_arrays` described (raises ValueError if the arrays do not agree)."""
        max_spaced, interval, min_early = (int(v) for v in arrays["settings"])
        store = cls(max_spaced, interval, min_early)
        steps, kinds, W, b = arrays["steps"], arrays["kinds"], arrays["W"], arrays["b"]
        if not (len(steps) == len(kinds) == len(W) == len(b)) or len(steps) == 0:
            raise ValueError("the kept snapshots' arrays differ in length")
        if np.any(np.diff(steps) <= 0) or not set(np.unique(kinds)) <= set(_KIND_NAMES):
            raise ValueError("the kept snapshots' steps or kinds are not valid")
        store._steps = [int(s) for s in steps]
        store._states = [(np.array(W[i]), np.array(b[i])) for i in range(len(steps))]
        store._kinds = [_KIND_NAMES[int(k)] for k in kinds]
        store._n_later = sum(kind != "early" for kind in store._kinds)
        return store


_KIND_NAMES = {0: "early", 1: "evaluation", 2: "spaced"}
_KIND_CODES = {name: code for code, name in _KIND_NAMES.items()}
