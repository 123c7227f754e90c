"""softmax-lab --export DIR in a fresh process: every panel's files, and CSV numbers equal to
a headless TrainingRun's with the same seed and settings."""

import csv
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PySide6.QtGui import QImage

from gui.app import main
from gui.export_files import FORMATS
from model import TrainingRun, confusion_matrix, load_dataset
from model.binary_output import BinaryOutputNetwork
from model.export_csv import CSV_FILES
from tests.gui.test_app import run_app

STEPS, SEED, LEARNING_RATE, BATCH_SIZE = 45, 3, 0.3, 20
PANEL_FILES = ("controls", "weights", "loss", "jacobian", "sample", "binary-net", "confusion",
               "draw", "codes")  # fmt: skip


def table(path) -> tuple[list[str], list[list[str]]]:
    """The header and the rows, as text."""
    with open(path, newline="", encoding="utf-8") as file:
        rows = list(csv.reader(file))
    return rows[0], rows[1:]


def floats(rows, start=0) -> np.ndarray:
    return np.array([[float(v) for v in row[start:]] for row in rows])


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("export")
    out = tmp_path / "handout"
    result = run_app(
        "--dataset", "digits", "--train-steps", str(STEPS), "--seed", str(SEED),
        "--learning-rate", str(LEARNING_RATE), "--batch-size", str(BATCH_SIZE),
        "--export", str(out), tmp_path=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert f"in {out} after {STEPS} steps" in result.stdout
    return out


@pytest.fixture(scope="module")
def headless():
    """The same run without any GUI: what the training process does for --train-steps
    (model.serve's "train": evaluate at step 0, then after every quarter epoch)."""
    digits = load_dataset("digits")
    run = TrainingRun(digits, batch_size=BATCH_SIZE, learning_rate=LEARNING_RATE,
                      random_state=SEED, evaluate_each_epoch=False)  # fmt: skip
    run.evaluate()
    left, chunk = STEPS, max(1, run.steps_per_epoch // 4)
    while left:
        left -= run.step(min(chunk, left))
        run.evaluate()
    return run, digits


def test_every_panel_and_table_is_written(exported):
    expected = {fmt.file_name(stem) for stem in PANEL_FILES for fmt in FORMATS}
    assert {path.name for path in exported.iterdir()} == expected | set(CSV_FILES)
    for stem in PANEL_FILES:
        one, two = (QImage(str(exported / f.file_name(stem))) for f in FORMATS[:2])
        assert not one.isNull() and two.size() == one.size() * 2
        root = ET.parse(exported / FORMATS[2].file_name(stem)).getroot()
        assert root.get("viewBox") == f"0 0 {one.width()} {one.height()}"


def test_the_loss_and_evaluations_equal_a_headless_run(exported, headless):
    run, _ = headless
    header, rows = table(exported / "minibatch_loss.csv")
    steps, losses = run.losses.view()
    assert len(rows) == STEPS
    np.testing.assert_array_equal(floats(rows), np.column_stack([steps, losses]))
    header, rows = table(exported / "evaluations.csv")
    logged = run.evaluations.view()
    np.testing.assert_array_equal(floats(rows), np.column_stack([logged[h] for h in header]))


def test_weights_confusion_and_sweep_equal_a_headless_run(exported, headless):
    run, digits = headless
    _, rows = table(exported / "weights.csv")
    np.testing.assert_array_equal(floats(rows, 2)[:, 0], run.classifier.b)
    np.testing.assert_array_equal(floats(rows, 3), run.classifier.W)
    A = run.classifier.predict_proba(digits.X_test)
    _, rows = table(exported / "confusion_matrix.csv")
    counts = confusion_matrix(digits.y_test, A.argmax(axis=1), digits.n_classes)
    np.testing.assert_array_equal(floats(rows, 1), counts)
    _, rows = table(exported / "threshold_sweep.csv")
    sweep = BinaryOutputNetwork(digits.n_classes).sweep(A, digits.y_test)
    expected = np.column_stack([sweep.thresholds, sweep.correct, sweep.wrong, sweep.none_fired,
                                sweep.several_fired])  # fmt: skip
    np.testing.assert_array_equal(floats(rows)[:, :5], expected)
    assert (floats(rows)[:, 5] == sweep.argmax_accuracy).all()


def test_an_export_folder_that_cannot_be_made_fails_before_training(tmp_path, capsys):
    blocker = tmp_path / "a file"
    blocker.write_text("")
    assert main(["--dataset", "digits", "--export", str(blocker / "out")]) == 1
    error = capsys.readouterr().err
    assert "could not export to" in error and str(blocker) in error
