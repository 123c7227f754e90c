"""Checkpoints: bounded memory, evenly thinned, the latest at or before a step."""

import numpy as np
import pytest

from model.checkpoints import CheckpointStore


def state(step):
    return np.full((2, 3), float(step)), np.full(2, float(step))


def test_latest_at_or_before():
    store = CheckpointStore(interval=10)
    for step in range(0, 100, 5):
        store.add(step, *state(step))
    assert store.steps == tuple(range(0, 100, 10))
    step, W, b = store.at(37)
    assert step == 30 and (W == 30).all() and (b == 30).all()
    with pytest.raises(ValueError, match="no checkpoint"):
        CheckpointStore().at(3)


def test_thinning_keeps_step_zero_and_spreads_evenly():
    store = CheckpointStore(max_checkpoints=8)
    for step in range(1000):
        store.add(step, *state(step))
    assert 4 <= len(store) <= 8 and store.steps[0] == 0
    gaps = np.diff(store.steps)
    assert gaps.max() <= 2 * gaps.min() + 1


def test_stored_states_are_copies():
    store = CheckpointStore()
    W, b = state(0)
    store.add(0, W, b)
    W += 1
    assert (store.at(0)[1] == 0).all()
