"""A training run in one file: save it today, load it next lesson, continue where it stopped.

The file is a NumPy .npz read with allow_pickle=False, so opening a file from anywhere runs no
code. It holds:

| array | what |
|---|---|
| `format` | "softmax-lab-run" (a foreign .npz has no such array) |
| `format_version` | FORMAT_VERSION when written; newer versions are refused by name |
| `meta` | JSON: the settings, the counters, the dataset's identity, the RNG's state |
| `W`, `b`, `initial_W`, `initial_b`, `good_W`, `good_b` | the weights now, at step 0, last finite |
| `order` | this epoch's shuffled order of the training set (the rest of it is still to visit) |
| `loss_steps`, `losses`, `evaluations` | the curves (LossHistory, EvaluationLog rows) |
| `kept_steps`, `kept_kinds`, `kept_W`, `kept_b`, `kept_settings` | the kept snapshots |

The dataset is not stored: a built-in is named, a file by its path and a SHA-256 of its arrays
(`dataset_fingerprint`). A loaded run continued for n steps equals the original continued for n
steps, bit for bit. Version 1 files must keep loading (tests/model/data/run_v1_digits.npz).
"""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from pathlib import Path

import numpy as np

from .checkpoints import CheckpointStore
from .datasets import Dataset, DatasetError, load_dataset
from .datasets.builtin import BUILTIN_DATASETS
from .datasets.scaling import input_scale_name
from .history import EvaluationLog, LossHistory
from .softmax import SoftmaxClassifier
from .training import TrainingRun

__all__ = [
    "FORMAT_VERSION",
    "DatasetMismatch",
    "RunFileError",
    "dataset_fingerprint",
    "load_run",
    "read_run_header",
    "save_run",
]

FORMAT_VERSION = 1
FORMAT_NAME = "softmax-lab-run"
#: A run file's arrays are a few hundred MB at most (1,300 mnist snapshots are 80 MB); a
#: "run" that claims more is not one of ours.
MAX_ARRAY_BYTES = 2 << 30


class RunFileError(ValueError):
    """A run file cannot be read (corrupt, truncated, foreign, newer); the message names it."""


class DatasetMismatch(RunFileError):
    """The run's dataset file has moved or changed: `source` is where it was, `fingerprint`
    the SHA-256 its arrays had. Load again with `dataset=` the file the user points to."""

    def __init__(self, message: str, source: str, fingerprint: str):
        super().__init__(message)
        self.source = source
        self.fingerprint = fingerprint


def dataset_fingerprint(dataset: Dataset) -> str:
    """SHA-256 (hex) of the dataset's arrays, shapes and class names: its identity."""
    digest = hashlib.sha256()
    for array in (dataset.X_train, dataset.y_train, dataset.X_test, dataset.y_test):
        digest.update(f"{array.dtype.str}{array.shape};".encode())
        digest.update(memoryview(np.ascontiguousarray(array)).cast("B"))
    digest.update("\n".join(dataset.class_names).encode())
    return digest.hexdigest()


# ---------------------------------------------------------------------- saving
def save_run(run: TrainingRun, path) -> None:
    """Write `run` to `path` (see the table above). Written to a temporary file first and
    renamed, so a failed save never leaves half a file where a good one was."""
    path = Path(path)
    clf = run.classifier
    loss_steps, losses = run.losses.view()
    ev = run.evaluations.view()
    rng_state = run._rng.bit_generator.state
    meta = {
        "dataset": {
            "name": run.dataset.name,
            "source": str(run.dataset_source),
            "builtin": run.dataset_source in BUILTIN_DATASETS,
            "sha256": dataset_fingerprint(run.dataset),
            "shape": [
                run.dataset.n_train,
                run.dataset.n_test,
                run.dataset.n_features,
                run.dataset.n_classes,
            ],
        },  # fmt: skip
        "settings": {
            "learning_rate": float(clf.learning_rate),
            "alpha": float(clf.alpha),
            "batch_size": int(run.batch_size),
            "seed": run.random_state,
            "dtype": np.dtype(clf.W.dtype).name,
            "init_scale": float(clf.init_scale),
            "max_loss_points": int(run.max_loss_points),
            "evaluate_each_epoch": bool(run.evaluate_each_epoch),
            # The factor the dataset's [0, 1] rows were multiplied by (255: raw pixels); files
            # without it were saved before input scaling existed and trained on [0, 1].
            "input_scale": float(run.input_scale),
        },
        "state": {
            "step": int(run.step_count),
            "epoch": int(run.epoch),
            "samples_seen": int(run.samples_seen),
            "position": int(run._position),
            "n_steps": int(clf.n_steps_),
            "last_batch_loss": float(clf.last_batch_loss_),
            "diverged": bool(run.diverged),
            "divergence_message": run.divergence_message,
            "training_time": float(run._training_time),
            "loss_bin_size": int(run.losses.bin_size),
            "loss_accumulated": [run.losses._acc_steps, run.losses._acc_loss, run.losses._acc_n],
        },
        "rng": rng_state,  # PCG64's 128-bit integers: JSON keeps Python ints whole
    }
    kept = run.history.to_arrays()
    arrays = {
        "format": np.array(FORMAT_NAME),
        "format_version": np.array(FORMAT_VERSION),
        "meta": np.array(json.dumps(meta)),
        "W": clf.W,
        "b": clf.b,
        "initial_W": run._initial_W,
        "initial_b": run._initial_b,
        "good_W": run._good_W,
        "good_b": run._good_b,
        "order": run._order,
        "loss_steps": loss_steps,
        "losses": losses,
        "evaluations": np.column_stack([ev[name] for name in EvaluationLog.fields]),
        **{f"kept_{name}": array for name, array in kept.items()},
    }
    temporary = path.with_name(path.name + ".part")
    try:
        with open(temporary, "wb") as file:
            np.savez(file, **arrays)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


# ---------------------------------------------------------------------- loading
def read_run_header(path) -> dict:
    """The `meta` of a run file (settings, dataset identity, step) without its arrays: what
    a window asks before loading (is the dataset where it was?). Raises RunFileError."""
    with _opened(path) as (archive, name):
        return _meta(archive, name)


def load_run(path, dataset: Dataset | None = None) -> TrainingRun:
    """The run saved in `path`, ready to continue. dataset: the run's dataset if the caller
    has it (checked against the file's SHA-256); by default it is loaded from where it was.

    Raises RunFileError naming the file (DatasetMismatch when the dataset file has moved or
    changed: ask the user for it and pass it as `dataset`).
    """
    with _opened(path) as (archive, name):
        meta = _meta(archive, name)
        dataset = _dataset_for(meta["dataset"], dataset, name)
        try:
            return _rebuilt(archive, meta, dataset, name)
        except (KeyError, ValueError, TypeError, IndexError) as error:
            raise RunFileError(f"{name}: not a valid Softmax Lab run ({error})") from None


class _opened:
    """np.load of a run file, every way it can fail turned into a RunFileError naming it."""

    def __init__(self, path):
        self.name = os.fspath(path)

    def __enter__(self):
        try:
            # Opened here, not by np.load: it leaves its file open when the zip is bad.
            self.file = open(self.name, "rb")  # noqa: SIM115 - closed in __exit__ or below
        except FileNotFoundError:
            raise RunFileError(f"{self.name}: no such file") from None
        except IsADirectoryError:
            raise RunFileError(f"{self.name}: is a folder, not a run file") from None
        except PermissionError:
            raise RunFileError(f"{self.name}: not allowed to read it") from None
        except OSError as error:
            raise RunFileError(f"{self.name}: cannot be read ({error})") from None
        try:
            self.archive = np.load(self.file, allow_pickle=False)
        except (OSError, ValueError, EOFError, zipfile.BadZipFile) as error:
            self.file.close()
            # NumPy's own words would invite loading the file "unsafely" (pickle): a file that
            # is neither a zip nor an .npy is simply not ours.
            why = "" if "pickle" in str(error) else f" ({error})"
            raise RunFileError(
                f"{self.name}: not a Softmax Lab run file (it is not a readable .npz{why})"
            ) from None
        if not isinstance(self.archive, np.lib.npyio.NpzFile):
            self.file.close()
            raise RunFileError(f"{self.name}: a single NumPy array, not a Softmax Lab run file")
        return self.archive, self.name

    def __exit__(self, kind, value, tb):
        self.archive.close()
        self.file.close()
        if kind is not None and issubclass(kind, (OSError, EOFError, zipfile.BadZipFile)):
            raise RunFileError(f"{self.name}: the file is damaged or cut short ({value})") from None
        if kind is not None and issubclass(kind, KeyError):
            raise RunFileError(f"{self.name}: not a valid Softmax Lab run ({value})") from None
        return False


def _array(archive, name: str, key: str) -> np.ndarray:
    info = archive.zip.getinfo(f"{key}.npy")
    if info.file_size > MAX_ARRAY_BYTES:
        raise RunFileError(f"{name}: array {key} is {info.file_size:,} bytes, too big for a run")
    return archive[key]


def _meta(archive, name: str) -> dict:
    if "format" not in archive.files or str(_array(archive, name, "format")) != FORMAT_NAME:
        raise RunFileError(f"{name}: not a Softmax Lab run file (a .npz of something else)")
    version = int(_array(archive, name, "format_version"))
    if version > FORMAT_VERSION:
        raise RunFileError(
            f"{name}: saved by a newer Softmax Lab (run format {version}; this version reads "
            f"formats up to {FORMAT_VERSION}). Update Softmax Lab to open it."
        )
    if version < 1:
        raise RunFileError(f"{name}: run format {version} is not a valid version")
    try:
        meta = json.loads(str(_array(archive, name, "meta")))
        meta["dataset"]["source"], meta["settings"]["batch_size"], meta["state"]["step"]
    except (ValueError, KeyError, TypeError) as error:
        raise RunFileError(f"{name}: its description is damaged ({error})") from None
    return meta


def _input_scale(settings: dict, name: str) -> float:
    factor = settings.get("input_scale", 1.0)
    try:
        input_scale_name(factor)
    except ValueError:
        raise RunFileError(
            f"{name}: its input scaling {factor!r} is not one this app knows"
        ) from None
    return float(factor)


def _dataset_for(identity: dict, dataset: Dataset | None, name: str) -> Dataset:
    source, fingerprint = identity["source"], identity["sha256"]
    if dataset is None:
        try:
            dataset = load_dataset(source)
        except DatasetError as error:
            raise DatasetMismatch(
                f"{name}: the run's dataset {source} cannot be loaded ({error}). "
                "Has it moved? Point to it to continue.",
                source,
                fingerprint,
            ) from None
    if dataset_fingerprint(dataset) != fingerprint:
        raise DatasetMismatch(
            f"{name}: the dataset {dataset.name} is not the one the run was trained on "
            f"({source} has changed since: its contents differ). Point to the original file.",
            source,
            fingerprint,
        )
    return dataset


def _rebuilt(archive, meta: dict, dataset: Dataset, name: str) -> TrainingRun:
    settings, state = meta["settings"], meta["state"]

    def array(key):
        return _array(archive, name, key)

    classifier = SoftmaxClassifier(
        dataset.n_features,
        dataset.n_classes,
        learning_rate=float(settings["learning_rate"]),
        alpha=float(settings["alpha"]),
        random_state=settings["seed"],
        dtype=np.dtype(settings["dtype"]).type,
        init_scale=float(settings["init_scale"]),
    )
    run = TrainingRun(
        dataset,
        classifier,
        batch_size=int(settings["batch_size"]),
        random_state=settings["seed"],
        max_loss_points=int(settings["max_loss_points"]),
        evaluate_each_epoch=bool(settings["evaluate_each_epoch"]),
        input_scale=_input_scale(settings, name),
    )
    run.dataset_source = meta["dataset"]["source"]
    classifier.W, classifier.b = array("W"), array("b")  # the setters check the shapes
    classifier.n_steps_ = int(state["n_steps"])
    classifier.last_batch_loss_ = float(state["last_batch_loss"])
    run._initial_W, run._initial_b = (
        _like(array("initial_W"), classifier.W),
        _like(array("initial_b"), classifier.b),
    )
    run._good_W, run._good_b = (
        _like(array("good_W"), classifier.W),
        _like(array("good_b"), classifier.b),
    )
    order = np.asarray(array("order"), dtype=np.int64)
    if sorted(order.tolist()) != list(range(dataset.n_train)):
        raise ValueError("the epoch order is not a permutation of the training set")
    run._rng.bit_generator.state = meta["rng"]
    run._use_order(order)
    run.step_count, run.epoch = int(state["step"]), int(state["epoch"])
    run.samples_seen, run._position = int(state["samples_seen"]), int(state["position"])
    if not 0 <= run._position < dataset.n_train:
        raise ValueError(f"position {run._position} is outside the training set")
    run.diverged = bool(state["diverged"])
    run.divergence_message = str(state["divergence_message"])
    run._training_time = float(state["training_time"])
    run.losses = _loss_history(array, state, run.max_loss_points)
    run.evaluations = _evaluation_log(array("evaluations"))
    kept = {key: array(f"kept_{key}") for key in ("steps", "kinds", "W", "b", "settings")}
    run.history = CheckpointStore.from_arrays(kept)
    if run.history._states[0][0].shape != classifier.W.shape:
        raise ValueError("the kept snapshots do not fit the dataset")
    return run


def _like(value: np.ndarray, reference: np.ndarray) -> np.ndarray:
    if value.shape != reference.shape or value.dtype != reference.dtype:
        raise ValueError(f"an array is {value.dtype}{value.shape}, expected "
                         f"{reference.dtype}{reference.shape}")  # fmt: skip
    return np.array(value)


def _loss_history(array, state: dict, max_points: int) -> LossHistory:
    steps, losses = np.array(array("loss_steps"), dtype=float), np.array(array("losses"), float)
    if steps.shape != losses.shape or steps.ndim != 1 or len(steps) > max_points:
        raise ValueError("the loss curve's arrays do not agree")
    history = LossHistory(max_points)
    n = len(steps)
    capacity = max(n, min(1024, max_points))
    history._steps = np.concatenate([steps, np.empty(capacity - n)])
    history._losses = np.concatenate([losses, np.empty(capacity - n)])
    history._n = n
    history.bin_size = int(state["loss_bin_size"])
    acc_steps, acc_loss, acc_n = state["loss_accumulated"]
    history._acc_steps, history._acc_loss, history._acc_n = (
        float(acc_steps),
        float(acc_loss),
        int(acc_n),
    )
    return history


def _evaluation_log(rows: np.ndarray) -> EvaluationLog:
    rows = np.array(rows, dtype=float)
    if rows.ndim != 2 or rows.shape[1] != len(EvaluationLog.fields):
        raise ValueError("the evaluations table has the wrong shape")
    log = EvaluationLog()
    log._rows = np.concatenate([rows, np.empty((max(64, len(rows)), rows.shape[1]))])
    log._n = len(rows)
    return log
