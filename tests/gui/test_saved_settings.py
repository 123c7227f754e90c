"""Start-up survives whatever was saved: every saved value is checked, and the controls and
the run agree on what they start with (issue 9, item 2)."""

import sys

import pytest
from PySide6.QtCore import QSettings

import gui.app
import gui.main_window
from gui.app import build_parser, start_values
from gui.dock_layout import LAYOUT_VERSION
from gui.main_window import MainWindow
from gui.panels.binary_output_panel import BinaryOutputPanel
from gui.panels.loss_panel import LossPanel
from gui.plotting import configure_pyqtgraph
from gui.training_client import TrainingClient
from model import load_dataset
from model.settings import SETTINGS, SPEEDS, RunSettings, check_setting
from tests.gui.clients import server_run

DIGITS = load_dataset("digits")


def saved_file(tmp_path, **values) -> QSettings:
    """An ini file as a user's machine might hold it (values written as text)."""
    path = tmp_path / "settings.ini"
    lines = ["[General]", f"version={LAYOUT_VERSION}", "dataset=digits"]
    lines += [f"{key}={value}" for key, value in values.items()]
    path.write_text("\n".join(lines) + "\n")
    return QSettings(str(path), QSettings.Format.IniFormat)


def start(qtbot, settings, argv=()):
    """What gui.app.main does up to the window, with these saved settings."""
    configure_pyqtgraph()
    values = start_values(build_parser().parse_args(list(argv)), settings, DIGITS.n_train)
    threshold = values.pop("threshold")
    controller = TrainingClient.in_process(DIGITS, RunSettings(dataset="digits", **values))
    window = MainWindow(controller, settings, threshold=threshold)
    qtbot.addWidget(window)
    return window


def assert_controls_show_what_the_run_uses(window):
    run, controls = server_run(window.controller), window.controls
    assert controls.learning_rate.value() == run.learning_rate
    assert controls.learning_rate.spin.valueFromText(controls.learning_rate.spin.text()) == (
        run.learning_rate
    )
    assert controls.batch_size.value() == run.batch_size
    assert controls.seed.value() == window.controller.seed == run.random_state
    assert controls.alpha.value() == run.alpha
    assert window.panel(BinaryOutputPanel).spin.value() == window.panel(BinaryOutputPanel).threshold
    assert window.controller.speed == SPEEDS[controls.speed.value()]


BAD = [
    ("learning_rate", "abc"),
    ("learning_rate", "0"),
    ("learning_rate", "-1"),
    ("learning_rate", "nan"),
    ("learning_rate", "inf"),
    ("learning_rate", "1e9"),
    ("threshold", "nan"),
    ("threshold", "2"),
    ("batch_size", "-5"),
    ("batch_size", "0"),
    ("batch_size", "2.5"),
    ("seed", "-3"),
    ("seed", "2e40"),
    ("alpha", "5"),
    ("alpha", "-1"),
    ("alpha", "nan"),
    ("speed_index", "99"),
    ("speed_index", "-1"),
    ("speed_index", "fast"),
]


@pytest.mark.parametrize(("key", "bad"), BAD)
def test_a_bad_saved_value_falls_back_to_the_default_with_a_note(qtbot, tmp_path, capsys, key, bad):
    window = start(qtbot, saved_file(tmp_path, **{key: bad}))
    try:
        err = capsys.readouterr().err
        lines = [line for line in err.splitlines() if key in line]
        assert len(lines) == 1, err
        default = SETTINGS[key].default
        assert bad in lines[0] and f"default {default:g}" in lines[0]
        used = {
            **window.controls.values(),
            "speed_index": window.speed.index,
            "threshold": window.threshold.p,
        }[key]
        assert used == default
        assert_controls_show_what_the_run_uses(window)
    finally:
        window.close()


def test_settings_are_saved_from_the_models_and_restored_into_them(qtbot, tmp_path):
    settings = saved_file(tmp_path)
    window = start(qtbot, settings)
    window.threshold.set_p(0.3)
    window.speed.set_index(2)
    window.loss_axes.set_x_axis("epochs")
    window.loss_axes.set_log_y(True)
    window.close()
    assert settings.value("dataset") == "digits"
    again = start(qtbot, settings)
    assert again.threshold.p == 0.3
    assert again.panel(BinaryOutputPanel).spin.value() == pytest.approx(0.3)
    assert again.speed.index == 2 and again.controls.speed.value() == 2
    assert again.loss_axes.x_axis == "epochs" and again.panel(LossPanel).log_y_box.isChecked()
    again.close()


@pytest.mark.parametrize(("key", "bad"), [("loss_x_axis", "seconds"), ("loss_log_y", "7")])
def test_a_bad_saved_loss_axis_is_noted_and_ignored(qtbot, tmp_path, capsys, key, bad):
    window = start(qtbot, saved_file(tmp_path, **{key: bad}))
    assert key in capsys.readouterr().err
    assert window.loss_axes.x_axis == "steps" and not window.loss_axes.log_y
    window.close()


@pytest.mark.parametrize("key", ["geometry", "windowState"])
@pytest.mark.parametrize("bad", ["hello", "5"])
def test_a_saved_layout_of_the_wrong_type_is_ignored(qtbot, tmp_path, capsys, key, bad):
    window = start(qtbot, saved_file(tmp_path, **{key: bad}))
    err = capsys.readouterr().err
    assert key in err and bad in err
    window.close()


def test_a_layout_of_the_wrong_type_set_in_memory_is_ignored(qtbot, tmp_path, capsys):
    settings = saved_file(tmp_path)
    settings.setValue("geometry", 5)
    settings.setValue("windowState", "not bytes")
    window = start(qtbot, settings)
    err = capsys.readouterr().err
    assert "geometry" in err and "windowState" in err
    window.close()


def test_values_a_control_cannot_show_exactly_are_what_the_run_uses(qtbot, tmp_path):
    window = start(
        qtbot,
        saved_file(tmp_path, learning_rate="0.123456789", alpha="0.000001", threshold="0.12345"),
    )
    assert_controls_show_what_the_run_uses(window)
    window.close()


def test_a_batch_size_beyond_the_training_set_is_capped_without_a_note(qtbot, tmp_path, capsys):
    window = start(qtbot, saved_file(tmp_path, batch_size="100000"))
    assert server_run(window.controller).batch_size == DIGITS.n_train
    assert_controls_show_what_the_run_uses(window)
    assert "batch_size" not in capsys.readouterr().err
    window.close()


def test_the_command_line_wins_and_is_shown(qtbot, tmp_path):
    argv = ["--learning-rate", "500", "--seed", "2147483647", "--batch-size", "7"]
    window = start(qtbot, saved_file(tmp_path, learning_rate="0.2", seed="4"), argv)
    assert server_run(window.controller).learning_rate == 500.0
    assert window.controller.seed == 2147483647
    assert_controls_show_what_the_run_uses(window)
    window.close()


def test_what_is_saved_after_bad_values_loads_without_a_note(qtbot, tmp_path, capsys):
    bad = dict(BAD[:1] + BAD[6:7] + BAD[8:9] + BAD[12:13] + BAD[14:15] + BAD[17:18])
    settings = saved_file(tmp_path, geometry="hello", **bad)
    window = start(qtbot, settings)
    window.close()  # saves
    capsys.readouterr()
    for name in SETTINGS:
        check_setting(name, settings.value(name))  # every saved number would load
    again = start(qtbot, settings)
    assert capsys.readouterr().err == ""
    again.close()


# ---------------------------------------------------------------- gui.app.main in-process
@pytest.fixture
def keep_excepthook(monkeypatch):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # main() installs its own


def test_main_screenshot_in_process_with_widened_ranges(tmp_path, capsys, keep_excepthook):
    shot = tmp_path / "shot.png"
    argv = ["--dataset", "digits", "--learning-rate", "500", "--seed", "7", "--train-steps", "3"]
    assert gui.app.main([*argv, "--screenshot", str(shot)]) == 0
    assert shot.exists() and "after 3 steps" in capsys.readouterr().out


def test_a_seed_past_the_range_is_a_usage_error_naming_it(capsys):
    with pytest.raises(SystemExit) as exit_info:
        gui.app.main(["--seed", "5000000000", "--screenshot", "never.png"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "usage: softmax-lab" in err and "0 .. 2147483647" in err and "5000000000" in err


def test_a_failure_while_building_the_window_leaves_nothing_running(
    tmp_path, capsys, monkeypatch, keep_excepthook
):
    controllers = []
    real_init, real_shutdown = TrainingClient.__init__, TrainingClient.shutdown

    def init(self, *args, **kwargs):
        real_init(self, *args, **kwargs)
        controllers.append(self)

    def shutdown(self, *args, **kwargs):
        self.shut_down = True
        return real_shutdown(self, *args, **kwargs)

    def broken(*args, **kwargs):
        raise RuntimeError("a panel could not be built")

    monkeypatch.setattr(TrainingClient, "__init__", init)
    monkeypatch.setattr(TrainingClient, "shutdown", shutdown)
    monkeypatch.setattr(gui.main_window, "MainWindow", broken)
    code = gui.app.main(["--dataset", "digits", "--screenshot", str(tmp_path / "x.png")])
    assert code == 1
    assert "a panel could not be built" in capsys.readouterr().err
    (controller,) = controllers
    assert getattr(controller, "shut_down", False)
    assert not controller.alive and not controller._transport.process.is_alive()
