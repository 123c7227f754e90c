"""The CSV tables: columns, exact numbers read back, and hand-worked confusion and sweep values."""

import csv

import numpy as np
import pytest

from model import TrainingRun, load_dataset, softmax, summarize_probabilities
from model.export_csv import CSV_FILES, confusion_table, sweep_table, write_csv_files, write_table


def read(path) -> tuple[list[str], list[list[str]]]:
    with open(path, newline="", encoding="utf-8") as file:
        rows = list(csv.reader(file))
    return rows[0], rows[1:]


def numbers(rows, start: int = 0) -> np.ndarray:
    return np.array([[float(v) for v in row[start:]] for row in rows])


@pytest.fixture(scope="module")
def digits():
    return load_dataset("digits")


@pytest.fixture(scope="module")
def written(digits, tmp_path_factory):
    """A run of 30 steps, evaluated at 0 and 30, and its CSV files."""
    run = TrainingRun(digits, batch_size=16, learning_rate=0.2, random_state=4)
    run.evaluate()
    run.step(30)
    run.evaluate()
    A = run.classifier.predict_proba(digits.X_test)
    summary = summarize_probabilities(A, digits.y_test)
    directory = tmp_path_factory.mktemp("csv") / "new folder"
    paths = write_csv_files(directory, run.snapshot(), digits, summary)
    return run, A, {path.name: path for path in paths}


def test_every_file_is_written(written):
    _, _, paths = written
    assert list(paths) == list(CSV_FILES)
    assert all(path.stat().st_size > 0 for path in paths.values())


def test_minibatch_losses_read_back_bit_for_bit(written):
    run, _, paths = written
    header, rows = read(paths["minibatch_loss.csv"])
    assert header == ["step", "minibatch_loss"]
    assert [row[0] for row in rows] == [str(step) for step in range(1, 31)]  # whole steps
    steps, losses = run.losses.view()
    np.testing.assert_array_equal(numbers(rows), np.column_stack([steps, losses]))


def test_evaluations_match_the_run_and_an_independent_accuracy(written, digits):
    run, _, paths = written
    header, rows = read(paths["evaluations.csv"])
    assert header == ["step", "epoch", "train_loss", "train_accuracy", "test_loss", "test_accuracy"]
    table = numbers(rows)
    logged = run.evaluations.view()
    for i, name in enumerate(header):
        np.testing.assert_array_equal(table[:, i], logged[name])
    assert table[:, 0].tolist() == [0, 30]
    # The last test accuracy, worked out here from W and b.
    z = digits.X_test.astype(np.float64) @ run.classifier.W.T + run.classifier.b
    assert table[-1, 5] == np.mean(z.argmax(axis=1) == digits.y_test)


def test_weights_and_biases_are_one_row_per_class(written, digits):
    run, _, paths = written
    header, rows = read(paths["weights.csv"])
    D = digits.n_features
    assert header[:4] == ["class", "name", "b", "w_0"] and header[-1] == f"w_{D - 1}"
    assert [row[1] for row in rows] == list(digits.class_names)
    np.testing.assert_array_equal(numbers(rows, 2)[:, 0], run.classifier.b)
    np.testing.assert_array_equal(numbers(rows, 3), run.classifier.W)


def test_confusion_matrix_of_the_run(written, digits):
    _, A, paths = written
    header, rows = read(paths["confusion_matrix.csv"])
    assert header == ["true \\ predicted", *digits.class_names]
    counts = numbers(rows, 1)
    assert counts.sum(axis=1).tolist() == np.bincount(digits.y_test).tolist()
    assert np.trace(counts) == np.sum(A.argmax(axis=1) == digits.y_test)


def test_confusion_matrix_by_hand():
    header, rows = confusion_table([0, 1, 1, 0], [0, 0, 1, 2], ("cat", "dog", "owl"))
    assert header == ["true \\ predicted", "cat", "dog", "owl"]
    assert rows[0][0] == "cat"
    assert [list(map(int, row[1:])) for row in rows] == [[1, 1, 0], [0, 1, 0], [1, 0, 0]]


def test_threshold_sweep_by_hand():
    # Row 0 decodes right at p = 0.5, row 1 wrongly, in row 2 no unit passes 0.5. At p = 0.3
    # row 2's 0.4 and 0.35 both fire; at p = 0 every unit fires.
    A = np.array([[0.7, 0.2, 0.1], [0.6, 0.25, 0.15], [0.4, 0.35, 0.25]])
    header, rows = sweep_table(summarize_probabilities(A, np.array([0, 1, 2])), 3)
    assert header[0] == "threshold_p" and len(rows) == 101
    by_p = {round(row[0], 2): row[1:] for row in rows}
    third = 1 / 3
    np.testing.assert_allclose(by_p[0.5], [third, third, third, 0, third])
    np.testing.assert_allclose(by_p[0.3], [third, third, 0, third, third])
    np.testing.assert_allclose(by_p[0.0], [0, 0, 0, 1, third])
    np.testing.assert_allclose(np.array([row[1:5] for row in rows]).sum(axis=1), 1.0)


def test_sweep_file_matches_its_rows(written, digits):
    _, A, paths = written
    header, rows = read(paths["threshold_sweep.csv"])
    expected = sweep_table(summarize_probabilities(A, digits.y_test), digits.n_classes)
    assert header == expected[0]
    np.testing.assert_array_equal(numbers(rows), np.array(expected[1], dtype=float))


def test_non_finite_numbers_are_written_as_python_reads_them(tmp_path):
    # A diverged run's losses.
    write_table(tmp_path / "t.csv", ["a", "b", "c"], [[float("nan"), -np.inf, np.int64(3)]])
    _, rows = read(tmp_path / "t.csv")
    assert rows == [["nan", "-inf", "3"]]
    assert np.isnan(float(rows[0][0])) and float(rows[0][1]) == -np.inf


def test_a_folder_that_cannot_be_made_raises_oserror(written, tmp_path, digits):
    run, _, _ = written
    blocker = tmp_path / "a file"
    blocker.write_text("not a folder")
    summary = summarize_probabilities(softmax(np.zeros((3, 10))), np.array([0, 1, 2]))
    with pytest.raises(OSError):
        write_csv_files(blocker / "csv", run.snapshot(), digits, summary)


def test_a_snapshot_with_a_codes_comparison_adds_its_tables(written, digits, tmp_path):
    from dataclasses import replace

    from model import compare_codes_vs_softmax
    from model.export_csv import CODES_CSV_FILES

    run, A, _ = written
    codes = compare_codes_vs_softmax(digits, 30, 16, (0.2, 0.5), 4, evaluations=3)
    summary = summarize_probabilities(A, digits.y_test)
    paths = write_csv_files(tmp_path, replace(run.snapshot(), codes=codes), digits, summary)
    assert [path.name for path in paths] == list(CSV_FILES) + list(CODES_CSV_FILES)
    _, rows = read(tmp_path / "codes_accuracy.csv")
    columns = (codes.eval_steps, codes.code_accuracy, codes.softmax_accuracy, codes.invalid_share)
    np.testing.assert_array_equal(numbers(rows), np.column_stack(columns))
    _, rows = read(tmp_path / "codes_errors_by_distance.csv")
    assert [row[2] for row in rows] == ["1", "2", "3", "4", "invalid"]
    np.testing.assert_array_equal(numbers(rows[:-1])[:, 3], codes.code_distances[1:])
