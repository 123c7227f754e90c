"""A snapshot's numbers as CSV files, for handouts and spreadsheets (no Qt here).

What the panels show, as tables: the loss of every minibatch, train and test loss and accuracy
at each evaluation, W and b, the test set's confusion matrix and the binary network's threshold
sweep; and when the code model trained beside the run (the Codes vs softmax panel, an export),
both models' test accuracy at each of its evaluations with the share of invalid codes, and how
many bits each model's errors are off at the last one. Every number is written as Python's
shortest repr of the float64, so reading a file back gives the same numbers bit for bit.

What it is not: a way to save a run (the files hold no settings or random state to go on from).
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from .binary_output import BinaryOutputNetwork, ProbabilitySummary
from .codes_comparison import CodesComparison
from .datasets import Dataset
from .metrics import confusion_matrix
from .training import TrainingSnapshot

__all__ = ["CODES_CSV_FILES", "CSV_FILES", "csv_tables", "write_csv_files"]

#: The files write_csv_files makes, in its order.
CSV_FILES = (
    "minibatch_loss.csv",
    "evaluations.csv",
    "weights.csv",
    "confusion_matrix.csv",
    "threshold_sweep.csv",
)
#: The files of the codes comparison, after CSV_FILES when the snapshot has one.
CODES_CSV_FILES = ("codes_accuracy.csv", "codes_errors_by_distance.csv")

Table = tuple[list[str], list[list]]


def _number(value) -> str:
    """A float as its shortest exact repr ("nan" and "inf" as Python writes them), an int
    as itself."""
    if isinstance(value, int | np.integer):
        return str(int(value))
    value = float(value)
    return repr(value) if math.isfinite(value) else str(value)


def _whole(steps: np.ndarray) -> np.ndarray:
    """Steps as integers where they are whole numbers (every one, until the loss history is
    binned)."""
    steps = np.asarray(steps, dtype=np.float64)
    return steps.astype(np.int64) if np.all(steps == np.round(steps)) else steps


def loss_table(snapshot: TrainingSnapshot) -> Table:
    """One row per stored minibatch loss: (step, loss). Past 200,000 points the history holds
    bins of consecutive steps; a row then stands at its bin's mean step."""
    steps = _whole(snapshot.step_loss_steps)
    rows = [[s, loss] for s, loss in zip(steps, snapshot.step_losses, strict=True)]
    return ["step", "minibatch_loss"], rows


def evaluation_table(snapshot: TrainingSnapshot) -> Table:
    """One row per evaluation on the whole training and test sets."""
    s = snapshot
    scores = (s.train_loss, s.train_accuracy, s.test_loss, s.test_accuracy)
    columns = (_whole(s.eval_steps), s.eval_epochs, *scores)
    header = ["step", "epoch", "train_loss", "train_accuracy", "test_loss", "test_accuracy"]
    return header, [list(row) for row in zip(*columns, strict=True)]


def weights_table(snapshot: TrainingSnapshot, class_names: Sequence[str]) -> Table:
    """One row per class i: its name, b_i and W[i, 0..D-1] (pixel d of an image is column
    w_d, row-major)."""
    W, b = np.asarray(snapshot.W, dtype=np.float64), np.asarray(snapshot.b, dtype=np.float64)
    header = ["class", "name", "b", *(f"w_{d}" for d in range(W.shape[1]))]
    rows = [[i, class_names[i], b[i], *W[i]] for i in range(W.shape[0])]
    return header, rows


def confusion_table(predicted, y_test, class_names: Sequence[str]) -> Table:
    """The test set's counts: row i is true class i, column j predicted class j."""
    counts = confusion_matrix(y_test, predicted, len(class_names))
    header = ["true \\ predicted", *class_names]
    return header, [[class_names[i], *counts[i]] for i in range(len(class_names))]


def sweep_table(summary: ProbabilitySummary, n_classes: int) -> Table:
    """The binary network's outcome fractions on the test set at p = 0, 0.01, ..., 1."""
    sweep = BinaryOutputNetwork(n_classes).summary_sweep(summary)
    header = [
        "threshold_p", "decoded_right", "one_fired_wrong", "none_fired", "several_fired",
        "softmax_argmax_accuracy",
    ]  # fmt: skip
    fractions = (sweep.correct, sweep.wrong, sweep.none_fired, sweep.several_fired)
    rows = zip(sweep.thresholds, *fractions, strict=True)
    return header, [[*row, sweep.argmax_accuracy] for row in rows]


def codes_accuracy_table(codes: CodesComparison) -> Table:
    """One row per evaluation of the code model: both test accuracies and the share of the code
    model's answers that are invalid codes (values >= C)."""
    columns = (codes.eval_steps, codes.code_accuracy, codes.softmax_accuracy, codes.invalid_share)
    header = ["step", "code_model_accuracy", "softmax_accuracy", "code_model_invalid_share"]
    return header, [list(row) for row in zip(*columns, strict=True)]


def codes_distance_table(codes: CodesComparison) -> Table:
    """At the last evaluation (`step`; the softmax's counts from `softmax_step`), one row per
    number of bits wrong, 1..K: each model's test errors at that Hamming distance from the true
    code, their share of its errors, and the share of pairs of distinct classes at it. The last
    row, bits_wrong "invalid", counts the code model's errors that are invalid codes."""
    header = ["step", "softmax_step", "bits_wrong", "code_model_errors", "code_model_share",
              "softmax_errors", "softmax_share", "all_pairs_share"]  # fmt: skip
    code, softmax = codes.code_error_shares, codes.softmax_error_shares
    rows = [[codes.step, codes.softmax_step, k, codes.code_distances[k], code[k],
             codes.softmax_distances[k], softmax[k], codes.pair_shares[k]]
            for k in range(1, codes.n_bits + 1)]  # fmt: skip
    invalid = codes.invalid_count
    rows.append([codes.step, codes.softmax_step, "invalid", invalid, codes.invalid_error_share,
                 "", "", ""])  # fmt: skip
    return header, rows


def csv_tables(
    snapshot: TrainingSnapshot, dataset: Dataset, summary: ProbabilitySummary
) -> dict[str, Table]:
    """Each CSV file's name with its (header, rows), from what a window draws: the snapshot,
    its dataset and the summary of A on the test set (frame.test_summary)."""
    names = dataset.class_names
    tables = (
        loss_table(snapshot),
        evaluation_table(snapshot),
        weights_table(snapshot, names),
        confusion_table(summary.predicted, dataset.y_test, names),
        sweep_table(summary, dataset.n_classes),
    )
    files = dict(zip(CSV_FILES, tables, strict=True))
    if snapshot.codes is not None:
        codes = (codes_accuracy_table(snapshot.codes), codes_distance_table(snapshot.codes))
        files.update(zip(CODES_CSV_FILES, codes, strict=True))
    return files


def write_table(path: Path, header: list[str], rows: Iterable[list]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(header)
        for row in rows:
            writer.writerow([v if isinstance(v, str) else _number(v) for v in row])


def write_csv_files(
    directory, snapshot: TrainingSnapshot, dataset: Dataset, summary: ProbabilitySummary
) -> list[Path]:
    """Write CSV_FILES (and CODES_CSV_FILES, when the snapshot has a codes comparison) into
    `directory` (made if missing); returns their paths. Raises OSError if the directory or a
    file cannot be written."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, (header, rows) in csv_tables(snapshot, dataset, summary).items():
        paths.append(directory / name)
        write_table(paths[-1], header, rows)
    return paths
