"""The command line: argparse errors, and --screenshot end to end in a fresh process."""

import os
import subprocess
import sys

import numpy as np
import pytest
from PySide6.QtGui import QImage

from gui.app import SCREENSHOT_SIZE, build_parser


def run_app(*args, tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env["SOFTMAX_LAB_SETTINGS"] = str(tmp_path / "settings.ini")
    return subprocess.run(
        [sys.executable, "-m", "gui", *args],
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
    )


def image_array(path) -> np.ndarray:
    image = QImage(str(path)).convertToFormat(QImage.Format.Format_RGB32)
    buffer = np.frombuffer(image.constBits(), dtype=np.uint8)
    return buffer.reshape(image.height(), image.bytesPerLine())[:, : 4 * image.width()].copy()


def test_parser_accepts_the_documented_options():
    args = build_parser().parse_args(
        [
            "--dataset",
            "digits",
            "--seed",
            "3",
            "--learning-rate",
            "0.5",
            "--batch-size",
            "64",
            "--train-steps",
            "10",
            "--threshold",
            "0.3",
            "--screenshot",
            "x.png",
            "--presentation",
        ]
    )
    assert (args.dataset, args.seed, args.learning_rate, args.batch_size) == ("digits", 3, 0.5, 64)
    assert (args.train_steps, args.threshold, args.screenshot) == (10, 0.3, "x.png")
    assert args.presentation


@pytest.mark.parametrize(
    "argv",
    [
        ["--learning-rate", "abc"],
        ["--learning-rate", "5000"],
        ["--learning-rate", "nan"],
        ["--seed", "5000000000"],  # past what the seed box holds (it aborted the app)
        ["--batch-size", "0"],
        ["--threshold", "1.5"],
        ["--seed", "-1"],
        ["--bogus"],
    ],
)
def test_bad_arguments_get_argparse_usage_and_exit_2(argv, capsys):
    with pytest.raises(SystemExit) as exit_info:
        build_parser().parse_args(argv)
    assert exit_info.value.code == 2
    assert "usage: softmax-lab" in capsys.readouterr().err


def test_a_missing_dataset_path_is_a_usage_error(tmp_path):
    result = run_app(
        "--dataset",
        str(tmp_path / "nowhere.npz"),
        "--screenshot",
        str(tmp_path / "x.png"),
        tmp_path=tmp_path,
    )
    assert result.returncode == 2
    assert "nowhere.npz" in result.stderr and "Traceback" not in result.stderr


def test_screenshot_end_to_end(tmp_path):
    shot = tmp_path / "shot.png"
    result = run_app(
        "--dataset",
        "digits",
        "--train-steps",
        "50",
        "--threshold",
        "0.3",
        "--screenshot",
        str(shot),
        tmp_path=tmp_path,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert shot.exists()
    image = QImage(str(shot))
    assert (image.width(), image.height()) == SCREENSHOT_SIZE
    pixels = image_array(shot)
    assert pixels.std() > 10  # not one flat colour
    assert len(np.unique(pixels.reshape(-1, 4)[::97], axis=0)) > 50  # plots, text, colours
    assert "after 50 steps" in result.stdout and "p = 0.3" in result.stdout
    assert "Traceback" not in result.stderr


def test_presentation_screenshot_exits_cleanly(tmp_path):
    # Closing while in presentation mode used to re-lay out the docks during teardown and
    # crash the interpreter at exit (segfault, three runs in four).
    shot = tmp_path / "presentation.png"
    result = run_app(
        "--dataset",
        "digits",
        "--train-steps",
        "20",
        "--presentation",
        "--screenshot",
        str(shot),
        tmp_path=tmp_path,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert QImage(str(shot)).width() == SCREENSHOT_SIZE[0]


# ---------------------------------------------------------------- no display (issue 9, item 8)
def test_no_display_on_linux_is_said_plainly_before_qt_starts(monkeypatch, capsys):
    import gui.app

    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(sys, "platform", "linux")

    def too_far(*args):  # main() loads the data only after it has made the QApplication
        raise AssertionError("main() went on to start Qt")

    monkeypatch.setattr(gui.app, "load_dataset", too_far)
    assert gui.app.main(["--dataset", "digits"]) == 1
    err = capsys.readouterr().err
    assert "no display found" in err
    assert "QT_QPA_PLATFORM=offscreen softmax-lab --screenshot out.png" in err
    assert "xcb" not in err


@pytest.mark.parametrize(
    ("environ", "platform", "refused"),
    [
        ({}, "linux", True),
        ({"DISPLAY": ":0"}, "linux", False),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", False),
        ({"QT_QPA_PLATFORM": "offscreen"}, "linux", False),
        ({"DISPLAY": ""}, "linux", True),
        ({}, "darwin", False),
        ({}, "win32", False),
    ],
)
def test_no_display_is_only_refused_on_linux_without_any_display(environ, platform, refused):
    from gui.app import no_display

    assert (no_display(environ, platform) is not None) == refused


def test_screenshot_size_is_checked(capsys):
    import pytest

    from gui.app import build_parser

    assert build_parser().parse_args(["--size", "1280x720"]).size == (1280, 720)
    for bad, says in (("1280", "WIDTHxHEIGHT"), ("axb", "WIDTHxHEIGHT"), ("12x7", "640x480")):
        with pytest.raises(SystemExit):
            build_parser().parse_args(["--size", bad])
        assert says in capsys.readouterr().err


def test_parser_takes_a_lesson_by_name_or_file():
    assert build_parser().parse_args(["--lesson", "3"]).lesson == "3"
    assert build_parser().parse_args(["--lesson", "my/lesson.toml"]).lesson == "my/lesson.toml"
    assert build_parser().parse_args([]).lesson is None
    from gui.lesson_file import read_lessons
    from resources import resource_path
    from tests.gui.test_lesson_file import PANELS

    n = len(read_lessons(resource_path("lessons.toml"), PANELS))
    assert f"(1 .. {n}," in " ".join(build_parser().format_help().split())
