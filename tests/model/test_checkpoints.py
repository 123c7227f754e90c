"""Checkpoints: the first epoch kept whole, evaluation points kept, the rest spaced evenly, memory
bounded, and the latest at or before a step given back."""

import numpy as np
import pytest

from model.checkpoints import CheckpointStore


def state(step):
    return np.full((2, 3), float(step)), np.full(2, float(step))


def test_latest_at_or_before():
    store = CheckpointStore(interval=10, min_early=0)
    for step in range(0, 100, 5):
        store.add(step, *state(step))
    assert store.steps == tuple(range(0, 100, 10))
    step, W, b = store.at(37)
    assert step == 30 and (W == 30).all() and (b == 30).all()
    with pytest.raises(ValueError, match="no checkpoint"):
        CheckpointStore().at(3)


def test_first_epoch_stays_whole_and_the_rest_is_spread_evenly():
    store = CheckpointStore(max_spaced=16, min_early=10)
    for step in range(20_000):
        store.add(step, *state(step), first_epoch=step <= 250)  # steps 1..250 are epoch 0
    steps = np.array(store.steps)
    assert steps[:251].tolist() == list(range(251))  # every step of the first epoch
    later = steps[251:]
    assert 8 <= len(later) <= 16
    gaps = np.diff(later)
    assert gaps.max() == gaps.min() == store.interval  # an even grid over the rest
    assert later[-1] > 20_000 - 2 * store.interval


def test_at_least_the_first_min_early_steps_when_an_epoch_is_shorter():
    store = CheckpointStore(max_spaced=8, min_early=100)
    for step in range(5000):
        store.add(step, *state(step), first_epoch=step < 3)
    assert store.steps[:101] == tuple(range(101))
    assert set(store.kinds[:101]) == {"early"}


def test_evaluation_points_stay_when_spacing_thins():
    store = CheckpointStore(max_spaced=32, min_early=0)
    evaluations = [7, 333, 1001, 4567, 9999]
    for step in range(10_000):
        store.add(step, *state(step))
        if step in evaluations:
            store.add_evaluation(step, *state(step))
    assert set(evaluations) <= set(store.steps)
    assert store.at(4567)[0] == 4567 and (store.at(4567)[1] == 4567).all()


def test_far_too_many_evaluations_are_thinned_too_so_memory_stays_bounded():
    store = CheckpointStore(max_spaced=16, min_early=0)
    for step in range(5000):
        store.add_evaluation(step, *state(step))  # an evaluation at every step
    assert len(store) <= 17
    assert store.steps[0] == 0 and store.steps[-1] == 4999  # step 0 and the latest stay


def test_stored_states_are_copies_of_the_same_dtype():
    store = CheckpointStore()
    W, b = state(0)
    store.add(0, W.astype(np.float32), b.astype(np.float32))
    store.add(1, W, b)
    W += 1
    assert (store.at(1)[1] == 0).all()
    assert store.at(0)[1].dtype == np.float32
    assert store.nbytes == (6 + 2) * 4 + (6 + 2) * 8


def test_replace_last_drops_what_came_after():
    store = CheckpointStore(min_early=0)
    for step in range(10):
        store.add(step, *state(step))
    store.replace_last(7, *state(-1))
    assert store.steps[-1] == 7 and (store.at(9)[1] == -1).all()


def test_arrays_round_trip_and_bad_arrays_are_refused():
    store = CheckpointStore(max_spaced=8, min_early=3)
    for step in range(100):
        store.add(step, *state(step), first_epoch=step < 5)
    store.add_evaluation(99, *state(99))
    arrays = store.to_arrays()
    again = CheckpointStore.from_arrays(arrays)
    assert again.steps == store.steps and again.kinds == store.kinds
    assert again.interval == store.interval
    assert all(np.array_equal(again.at(s)[1], store.at(s)[1]) for s in store.steps)
    with pytest.raises(ValueError, match="length"):
        CheckpointStore.from_arrays({**arrays, "W": arrays["W"][:-1]})
    with pytest.raises(ValueError, match="not valid"):
        CheckpointStore.from_arrays({**arrays, "steps": arrays["steps"][::-1]})
