"""softmax-lab --export DIR in a fresh process: every panel's files, and CSV numbers equal to
a headless TrainingRun's with the same seed and settings."""

import csv
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PySide6.QtGui import QImage

from gui.app import main
from gui.export_files import FORMATS
from gui.panels.codes_figures import CODE_COLOR
from model import TrainingRun, confusion_matrix, load_dataset
from model.binary_output import BinaryOutputNetwork
from model.codes_comparison import CODE_LEARNING_RATE, compare_codes_vs_softmax
from model.export_csv import CODES_CSV_FILES, CSV_FILES
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
    tables = set(CSV_FILES) | set(CODES_CSV_FILES)
    assert {path.name for path in exported.iterdir()} == expected | tables
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


def test_the_codes_tables_equal_the_comparison_function_and_the_picture_is_drawn(exported):
    # The code model trained beside the run: before, it never ran for an export (codes.png
    # said "The code model starts when this panel is shown" over empty figures).
    expected = compare_codes_vs_softmax("digits", STEPS, BATCH_SIZE,
                                        (LEARNING_RATE, CODE_LEARNING_RATE), SEED)  # fmt: skip
    header, rows = table(exported / "codes_accuracy.csv")
    assert header == ["step", "code_model_accuracy", "softmax_accuracy",
                      "code_model_invalid_share"]  # fmt: skip
    values = floats(rows)
    # The export evaluates four times an epoch, the function at its own steps: the steps both
    # evaluated at (0 and the last at least) have the same figures.
    common, mine, theirs = np.intersect1d(values[:, 0], expected.eval_steps, return_indices=True)
    assert common[0] == 0 and common[-1] == STEPS == expected.step
    columns = (expected.code_accuracy, expected.softmax_accuracy, expected.invalid_share)
    np.testing.assert_array_equal(values[mine, 1:], np.column_stack(columns)[theirs])
    header, rows = table(exported / "codes_errors_by_distance.csv")
    by_bits = floats(rows[:-1])
    assert (by_bits[:, :2] == STEPS).all() and list(by_bits[:, 2]) == [1, 2, 3, 4]
    np.testing.assert_array_equal(by_bits[:, 3], expected.code_distances[1:])
    np.testing.assert_array_equal(by_bits[:, 4], expected.code_error_shares[1:])
    np.testing.assert_array_equal(by_bits[:, 5], expected.softmax_distances[1:])
    np.testing.assert_array_equal(by_bits[:, 6], expected.softmax_error_shares[1:])
    np.testing.assert_array_equal(by_bits[:, 7], expected.pair_shares[1:])
    invalid = rows[-1]
    assert invalid[2] == "invalid"
    assert int(invalid[3]) == expected.code_confusion[:, expected.n_classes :].sum()
    assert float(invalid[4]) == expected.invalid_error_share
    # The picture: the code model's curve and bars drawn in its colour (the empty panel has
    # its colour only in the title's key, a few hundred pixels).
    image = QImage(str(exported / "codes.png")).convertToFormat(QImage.Format.Format_RGB888)
    pixels = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), -1)
    pixels = pixels[:, : 3 * image.width()].reshape(image.height(), image.width(), 3)
    near = np.abs(pixels.astype(int) - np.array(CODE_COLOR)).sum(axis=2) < 30
    assert near.sum() > 1000


def test_an_export_folder_that_cannot_be_made_fails_before_training(tmp_path, capsys):
    blocker = tmp_path / "a file"
    blocker.write_text("")
    assert main(["--dataset", "digits", "--export", str(blocker / "out")]) == 1
    error = capsys.readouterr().err
    assert "could not export to" in error and str(blocker) in error
