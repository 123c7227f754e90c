"""Saved settings as every QSettings backend hands them back (issue 16): an INI file gives text,
a macOS plist numbers, booleans, lists and data, the Windows registry text and 32-bit numbers;
all give QByteArray for saved bytes and None for what is missing. Each is checked the same way
(gui/saved_settings.py): used when it is a usable value, else the default and one note.

Two kinds of test: values written through QSettings in the INI and the native format (in a
temporary folder, under a test organisation) and read back from the file, as the next start
would; and the typed values a native backend returns that this platform's cannot (a stand-in
backend that returns them as given).
"""

import pytest
from PySide6.QtCore import QByteArray, QSettings

from gui.saved_settings import saved_bytes, saved_dataset, saved_int, saved_setting
from model.settings import SETTINGS
from tests.gui.test_saved_settings import assert_controls_show_what_the_run_uses, start

LR_DEFAULT = SETTINGS["learning_rate"].default


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("settings")


def new_settings(folder, backend: str) -> QSettings:
    """A fresh QSettings on the test's own file (read from disk, as the next start reads)."""
    if backend == "ini":
        return QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
    # The native format in a folder of the test's own (never the user's settings).
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(folder))
    return QSettings(
        QSettings.Format.NativeFormat, QSettings.Scope.UserScope, "SoftmaxLabTest", "Backends"
    )


def written_and_read_back(folder, backend: str, key: str, value):
    settings = new_settings(folder, backend)
    settings.setValue(key, value)
    settings.sync()
    assert settings.status() == QSettings.Status.NoError
    return new_settings(folder, backend)


def saved_in(folder, backend: str, key: str, value):
    """Settings holding `value` under `key`: written to an INI or native file and read back,
    or ("typed") as a plist or the registry returns it."""
    if backend == "typed":
        return TypedBackend(**{key: value})
    return written_and_read_back(folder, backend, key, value)


class TypedBackend:
    """Stands in for a plist or the registry: returns each value with the type it was given."""

    def __init__(self, **values):
        self.values = values

    def value(self, key, default=None):
        return self.values.get(key, default)


# (what was saved, what a start uses); None for "the default, with a note".
LEARNING_RATES = [
    ("0.25", 0.25),  # INI text, a registry string
    (0.25, 0.25),  # a plist real
    (2, 2.0),  # a plist integer, a registry DWORD
    (b"0.25", 0.25),  # data whose text is a number
    (QByteArray(b"0.25"), 0.25),
    (True, None),  # a plist boolean is no learning rate
    ("true", None),  # ... nor INI's text of one
    (["0.1", "0.2"], None),  # a list
    ({"learning_rate": 0.1}, None),  # a dictionary
    ("", None),
    ("1e400", None),  # infinite
    (2**40, None),  # beyond the range (and a registry DWORD)
    (QByteArray(b"\x00\xff"), None),  # bytes that are no number
]


@pytest.mark.parametrize(("saved", "used"), LEARNING_RATES, ids=repr)
@pytest.mark.parametrize("backend", ["ini", "native"])
def test_a_learning_rate_written_and_read_back(qapp, folder, capsys, backend, saved, used):
    settings = written_and_read_back(folder, backend, "learning_rate", saved)
    value = saved_setting(settings, "learning_rate")
    noted = "learning_rate" in capsys.readouterr().err
    if used is None:
        assert value == LR_DEFAULT and noted
    else:
        assert value == used and not noted


@pytest.mark.parametrize(("saved", "used"), LEARNING_RATES, ids=repr)
def test_a_learning_rate_as_a_typed_backend_returns_it(capsys, saved, used):
    value = saved_setting(TypedBackend(learning_rate=saved), "learning_rate")
    noted = "learning_rate" in capsys.readouterr().err
    assert (value, noted) == ((LR_DEFAULT, True) if used is None else (used, False))


def test_nothing_saved_is_the_default_without_a_note(qapp, tmp_path, capsys):
    for settings in (None, TypedBackend(), written_and_read_back(tmp_path, "ini", "seed", None)):
        assert saved_setting(settings, "learning_rate") == LR_DEFAULT
        assert saved_int(settings, "zoom", 0) == 0
        assert saved_bytes(settings, "geometry") is None
        assert saved_dataset(settings) == "mnist"
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize(
    ("saved", "used"),
    [("3", 3), (3, 3), (3.0, 3), ("3.0", 3), ("3.5", None), (True, None), ([1, 2], None)],
    ids=repr,
)
@pytest.mark.parametrize("backend", ["ini", "native", "typed"])
def test_a_whole_number(qapp, folder, capsys, backend, saved, used):
    settings = saved_in(folder, backend, "zoom", saved)
    value = saved_int(settings, "zoom", 0)
    noted = "zoom" in capsys.readouterr().err
    assert (value, noted) == ((0, True) if used is None else (used, False))


@pytest.mark.parametrize(
    ("saved", "kept"),
    [(QByteArray(b"\x01\x02\x00state"), True), ("a text", False), (7, False), ([1], False)],
    ids=repr,
)
@pytest.mark.parametrize("backend", ["ini", "native", "typed"])
def test_saved_window_bytes(qapp, folder, capsys, backend, saved, kept):
    settings = saved_in(folder, backend, "windowState", saved)
    value = saved_bytes(settings, "windowState")
    noted = "windowState" in capsys.readouterr().err
    assert (value == saved if kept else value is None) and noted is not kept


def test_python_bytes_from_a_backend_are_taken_as_saved_bytes(capsys):
    value = saved_bytes(TypedBackend(geometry=b"\x01\x02"), "geometry")
    assert value == QByteArray(b"\x01\x02") and capsys.readouterr().err == ""


@pytest.mark.parametrize(
    ("saved", "used"),
    [
        ("digits", "digits"),
        (" Blobs ", "blobs"),
        ("/home/teacher/mnist.npz", None),  # only built-ins are saved: a file may be gone
        ("a\0b", None),  # a path no system can open (load_dataset raised ValueError on it)
        (QByteArray(b"digits"), None),
        (3, None),
    ],
    ids=repr,
)
@pytest.mark.parametrize("backend", ["ini", "typed"])
def test_the_saved_dataset(qapp, folder, capsys, backend, saved, used):
    settings = saved_in(folder, backend, "dataset", saved)
    value = saved_dataset(settings)
    noted = "dataset" in capsys.readouterr().err
    assert (value, noted) == (("mnist", True) if used is None else (used, False))


def test_a_window_saved_and_started_again_in_the_native_format(qtbot, tmp_path):
    """(test_saved_settings.py does the same with an INI file.)"""
    backend = "native"
    settings = new_settings(tmp_path, backend)
    settings.setValue("dataset", "digits")
    window = start(qtbot, settings)
    window.threshold.set_p(0.3)
    window.speed.set_index(2)
    window.presentation.set_zoom(2)
    window.close()
    again = start(qtbot, new_settings(tmp_path, backend))
    assert again.threshold.p == 0.3 and again.speed.index == 2 and again.presentation.zoom == 2
    assert_controls_show_what_the_run_uses(again)
    again.close()
