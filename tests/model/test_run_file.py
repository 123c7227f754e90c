"""Save and load a run: a loaded run continues exactly as the original; the format-1 sample keeps
loading; every bad file is a RunFileError naming it, and a moved or changed dataset says so."""

import json
import shutil
import zipfile
from pathlib import Path

import numpy as np
import pytest

from model import DatasetMismatch, RunFileError, TrainingRun, load_dataset, load_run
from model.run_file import FORMAT_VERSION, read_run_header
from tests.model.dataset_files import make_digits, write_npz

SAMPLE_V1 = Path(__file__).parent / "data" / "run_v1_digits.npz"


@pytest.fixture(scope="module")
def digits():
    return load_dataset("digits")


def same_run(a: TrainingRun, b: TrainingRun) -> None:
    """Weights, counters, curves and kept history agree bit for bit."""
    assert a.classifier.W.dtype == b.classifier.W.dtype
    assert np.array_equal(a.classifier.W, b.classifier.W)
    assert np.array_equal(a.classifier.b, b.classifier.b)
    assert (a.step_count, a.epoch, a.samples_seen) == (b.step_count, b.epoch, b.samples_seen)
    for x, y in zip(a.losses.view(), b.losses.view(), strict=True):
        assert np.array_equal(x, y)
    ev_a, ev_b = a.evaluations.view(), b.evaluations.view()
    assert all(np.array_equal(ev_a[k], ev_b[k]) for k in ev_a)
    assert a.history.steps == b.history.steps
    for step in a.history.steps:
        assert np.array_equal(a.history.at(step)[1], b.history.at(step)[1])


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_loaded_and_continued_equals_the_original_continued(digits, tmp_path, dtype):
    run = TrainingRun(digits, batch_size=24, learning_rate=0.3, alpha=1e-3, random_state=5,
                      dtype=dtype, max_loss_points=16)  # fmt: skip
    run.step(77)  # mid-epoch (60 steps an epoch), loss curve binned
    run.batch_size = 50  # settings changed on the way are what continues
    run.step(5)
    path = tmp_path / "run.npz"
    run.save(path)
    loaded = load_run(path)
    same_run(run, loaded)
    assert loaded.batch_size == 50 and loaded.alpha == 1e-3
    run.step(140)
    loaded.step(140)  # across two epoch ends: the saved order, then the saved RNG's shuffles
    same_run(run, loaded)


def test_a_raw_pixel_run_loads_raw_and_continues_the_same(digits, tmp_path):
    """Lesson 3's raw 0-255 inputs are part of the run: a loaded run trained on [0, 1] rows
    would continue another run."""
    run = TrainingRun(digits, learning_rate=1e-4, random_state=3, input_scale=255.0)
    run.step(20)
    run.save(tmp_path / "raw.npz")
    loaded = load_run(tmp_path / "raw.npz")
    assert loaded.input_scale == 255.0
    run.step(30)
    loaded.step(30)
    same_run(run, loaded)


def test_a_reset_after_loading_goes_back_to_the_seeded_start(digits, tmp_path):
    run = TrainingRun(digits, random_state=2)
    run.step(10)
    run.save(tmp_path / "run.npz")
    loaded = load_run(tmp_path / "run.npz")
    loaded.reset()
    assert np.array_equal(loaded.classifier.W, TrainingRun(digits, random_state=2).classifier.W)


def test_the_format_1_sample_keeps_loading(digits):
    # Written by this version's run.save (digits, seed 11, batch 16, lr 0.2, 30 steps, then an
    # evaluation); future formats must keep reading it.
    header = read_run_header(SAMPLE_V1)
    assert header["dataset"]["source"] == "digits" and header["state"]["step"] == 30
    loaded = load_run(SAMPLE_V1)
    reference = TrainingRun(digits, batch_size=16, learning_rate=0.2, random_state=11)
    reference.step(30)
    reference.evaluate()
    same_run(reference, loaded)
    loaded.step(100)
    reference.step(100)
    same_run(reference, loaded)
    assert FORMAT_VERSION >= 1


# ---------------------------------------------------------------------- bad files
@pytest.fixture(scope="module")
def good_file(tmp_path_factory, digits):
    path = tmp_path_factory.mktemp("runs") / "good.npz"
    run = TrainingRun(digits, random_state=0)
    run.step(3)
    run.save(path)
    return path


def rewritten(good: Path, target: Path, **changes) -> Path:
    """A copy of the run file `good` with some arrays replaced (None: removed)."""
    with np.load(good) as archive:
        arrays = {name: archive[name] for name in archive.files}
    arrays.update(changes)
    np.savez(target, **{k: v for k, v in arrays.items() if v is not None})
    return target


def bad_files(good: Path, folder: Path) -> dict[str, tuple[Path, str]]:
    """Every kind of bad run file: (path, what its message must say)."""
    data = good.read_bytes()
    truncated = folder / "truncated.npz"
    truncated.write_bytes(data[: len(data) // 2])
    corrupt = folder / "corrupt.npz"
    middle = len(data) // 2
    corrupt.write_bytes(data[:middle] + bytes(b ^ 0xFF for b in data[middle : middle + 64])
                        + data[middle + 64 :])  # fmt: skip
    text = folder / "notes.npz"
    text.write_text("these are my lesson notes, not a run")
    empty = folder / "empty.npz"
    empty.write_bytes(b"")
    single = folder / "single.npy"
    np.save(single, np.arange(3))
    foreign = write_npz(folder / "keras.npz")
    meta = json.loads(str(np.load(good)["meta"]))
    meta["state"].pop("step")
    scaled = json.loads(str(np.load(good)["meta"]))
    scaled["settings"]["input_scale"] = 7.0
    zipped = folder / "zip.npz"
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("readme.txt", "hello")
    return {
        "missing": (folder / "gone.npz", "no such file"),
        "folder": (folder, "folder"),
        "truncated": (truncated, "npz"),
        "corrupt": (corrupt, "damaged"),
        "text": (text, "not a Softmax Lab run"),
        "empty": (empty, "not a Softmax Lab run"),
        "single array": (single, "single NumPy array"),
        "foreign npz": (foreign, "something else"),
        "plain zip": (zipped, "something else"),
        "newer": (rewritten(good, folder / "newer.npz", format_version=np.array(99)), "newer"),
        "version 0": (rewritten(good, folder / "v0.npz", format_version=np.array(0)), "version"),
        "broken meta": (rewritten(good, folder / "meta.npz", meta=np.array("{")), "damaged"),
        "meta lacks": (rewritten(good, folder / "lacks.npz", meta=np.array(json.dumps(meta))),
                       "damaged"),  # fmt: skip
        "input scale": (rewritten(good, folder / "scale.npz",
                                  meta=np.array(json.dumps(scaled))), "input scaling"),  # fmt: skip
        "W missing": (rewritten(good, folder / "nw.npz", W=None), "not a valid"),
        "W shape": (rewritten(good, folder / "ws.npz", W=np.zeros((3, 3))), "not a valid"),
        "kept shape": (rewritten(good, folder / "ks.npz", kept_W=np.zeros((4, 10, 3))),
                       "not a valid"),  # fmt: skip
        "order": (rewritten(good, folder / "order.npz", order=np.zeros(1438, int)), "not a valid"),
        "pickled": (rewritten(good, folder / "pickle.npz", W=np.array([{}], dtype=object)),
                    "not a valid"),  # fmt: skip
    }


def test_every_bad_file_is_a_clear_error_naming_it(good_file, tmp_path):
    for kind, (path, words) in bad_files(good_file, tmp_path).items():
        with pytest.raises(RunFileError) as caught:
            load_run(path)
        message = str(caught.value)
        assert "unsafely" not in message and "pickle.load" not in message, kind
        assert str(path) in message and words in message, (kind, message)


# ---------------------------------------------------------------------- the dataset
def test_a_moved_or_changed_dataset_file_is_named_and_can_be_pointed_to(tmp_path):
    images, labels = make_digits(60, seed=3)
    path = write_npz(tmp_path / "mine.npz", x_train=images[:40], y_train=labels[:40],
                     x_test=images[40:], y_test=labels[40:])  # fmt: skip
    run = TrainingRun(load_dataset(path), batch_size=8, random_state=1)
    run.dataset_source = str(path)
    run.step(7)
    saved = tmp_path / "run.npz"
    run.save(saved)
    assert not read_run_header(saved)["dataset"]["builtin"]
    moved = tmp_path / "elsewhere.npz"
    shutil.move(path, moved)
    with pytest.raises(DatasetMismatch) as caught:
        load_run(saved)
    assert str(path) in str(caught.value) and "moved" in str(caught.value)
    assert caught.value.source == str(path)
    loaded = load_run(saved, dataset=load_dataset(moved))  # the user pointed to it
    run.step(9)
    loaded.step(9)
    same_run(run, loaded)
    write_npz(path, x_train=images[:40] // 2, y_train=labels[:40],
              x_test=images[40:], y_test=labels[40:])  # fmt: skip
    with pytest.raises(DatasetMismatch, match="changed"):
        load_run(saved)
