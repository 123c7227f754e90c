"""`softmax-lab --install-desktop-entry` / `--uninstall-desktop-entry` on Linux (written,
valid, removed), and the Windows and macOS branches with the platform monkeypatched."""

from __future__ import annotations

import configparser
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from gui import desktop_entry
from gui.app import main
from gui.desktop_entry import exec_quote, ico_bytes, install, uninstall
from resources import ICON_SIZES

REQUIRED_KEYS = {"Type", "Name", "Exec", "Icon"}


@pytest.fixture
def home(tmp_path, monkeypatch):
    """An empty home and data folder, for the app's command line too."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path


def entry_of(path: Path) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return dict(parser["Desktop Entry"])


def test_linux_install_writes_a_valid_entry_and_uninstall_removes_it(home, capsys):
    assert main(["--install-desktop-entry"]) == 0  # no display needed, no window made
    entry = home / "data" / "applications" / "softmax-lab.desktop"
    keys = entry_of(entry)
    assert REQUIRED_KEYS <= set(keys) and keys["Type"] == "Application"
    assert keys["Name"] == "Softmax Lab" and keys["Icon"] == "softmax-lab"
    assert keys["Terminal"] == "false" and keys["Categories"].endswith(";")
    program = keys["Exec"].split()[0]
    assert Path(program).is_absolute() and shutil.which(program)  # it starts something real
    hicolor = home / "data" / "icons" / "hicolor"
    assert (hicolor / "scalable" / "apps" / "softmax-lab.svg").is_file()
    for size in ICON_SIZES:
        png = (hicolor / f"{size}x{size}" / "apps" / "softmax-lab.png").read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        assert struct.unpack(">II", png[16:24]) == (size, size)
    validator = shutil.which("desktop-file-validate")
    if validator:
        result = subprocess.run([validator, str(entry)], capture_output=True, text=True)
        assert result.returncode == 0 and result.stdout == "", result.stdout
    assert f"Wrote {entry}" in capsys.readouterr().out

    assert main(["--uninstall-desktop-entry"]) == 0
    assert not entry.exists() and not any(p.is_file() for p in (home / "data").rglob("*"))
    assert "Removed" in capsys.readouterr().out
    assert main(["--uninstall-desktop-entry"]) == 0
    assert "Nothing to remove" in capsys.readouterr().out


@pytest.mark.skipif(not shutil.which("desktop-file-validate"), reason="no desktop-file-utils")
def test_the_validator_would_notice_a_broken_entry(tmp_path):
    """The validation above is a real check: the same file without its Name fails it."""
    env = {"XDG_DATA_HOME": str(tmp_path)}
    install(platform="linux", environ=env)
    entry = desktop_entry.desktop_path(env)
    entry.write_text(entry.read_text().replace("Name=Softmax Lab\n", ""))
    assert subprocess.run(["desktop-file-validate", str(entry)], capture_output=True).returncode


def test_data_home_defaults_to_local_share():
    assert desktop_entry.data_home({"HOME": "/home/t"}) == Path("/home/t/.local/share")
    # The spec: a relative XDG_DATA_HOME is invalid and ignored.
    relative = {"HOME": "/home/t", "XDG_DATA_HOME": "data"}
    assert desktop_entry.data_home(relative) == Path("/home/t/.local/share")


def test_exec_quoting_follows_the_spec():
    assert exec_quote("/usr/bin/softmax-lab") == "/usr/bin/softmax-lab"
    assert exec_quote("/opt/my apps/python") == '"/opt/my apps/python"'
    # $ is escaped inside the quotes, and every backslash once more as a string value.
    assert exec_quote("/a$b") == '"/a\\\\$b"'


def test_without_the_script_it_starts_python_on_the_gui_package():
    assert desktop_entry.launch_command("/py/bin/python3", which=lambda name: None) == [
        "/py/bin/python3", "-m", "gui",
    ]  # fmt: skip


def windows_env(tmp_path):
    return {"APPDATA": str(tmp_path / "Roaming"), "LOCALAPPDATA": str(tmp_path / "Local")}


def test_windows_makes_a_start_menu_shortcut_with_powershell(tmp_path):
    env, calls = windows_env(tmp_path), []
    link = tmp_path / "Roaming" / "Microsoft" / "Windows" / "Start Menu" / "Programs"
    link = link / "Softmax Lab.lnk"

    def powershell(command, **kwargs):  # what WScript.Shell would do: save the link
        calls.append(command)
        link.parent.mkdir(parents=True)
        link.write_bytes(b"L\0\0\0")
        return subprocess.CompletedProcess(command, 0, "", "")

    outcome = install(platform="win32", environ=env, executable=r"C:\Py\python.exe", run=powershell)
    assert outcome.ok and outcome.report() == 0 and str(link) in outcome.lines[0]
    (command,) = calls
    assert command[:2] == ["powershell", "-NoProfile"]
    script = command[-1]
    assert f"CreateShortcut('{link}')" in script and "$link.Save()" in script
    assert "TargetPath = 'C:\\Py\\python.exe'" in script and "Arguments = '-m gui'" in script
    icon = tmp_path / "Local" / "softmax-lab" / "softmax-lab.ico"
    assert f"IconLocation = '{icon},0'" in script
    # The .ico: a valid header and one PNG entry per size up to 256.
    data = icon.read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    sizes = [s for s in ICON_SIZES if s <= 256]
    assert (reserved, kind, count) == (0, 1, len(sizes))
    for i, size in enumerate(sizes):
        width, _, _, _, _, bits, length, offset = struct.unpack(
            "<BBBBHHII", data[6 + 16 * i : 22 + 16 * i]
        )
        assert width == size % 256 and bits == 32
        assert data[offset : offset + 8] == b"\x89PNG\r\n\x1a\n" and offset + length <= len(data)

    assert uninstall(platform="win32", environ=env).ok
    assert not link.exists() and not icon.exists()


def test_windows_without_powershell_says_how_to_do_it_by_hand(tmp_path, capsys):
    def missing(command, **kwargs):
        raise FileNotFoundError(2, "No such file or directory", "powershell")

    env = windows_env(tmp_path)
    outcome = install(platform="win32", environ=env, executable=r"C:\Py\python.exe", run=missing)
    assert outcome.report() == 1
    text = capsys.readouterr().out
    assert "Could not make the Start-menu shortcut (PowerShell did not run" in text
    assert '"C:\\Py\\python.exe" -m gui' in text and "New > Shortcut" in text
    assert str(tmp_path / "Roaming" / "Microsoft" / "Windows" / "Start Menu" / "Programs") in text
    assert "softmax-lab.ico" in text


def test_windows_powershell_error_is_reported(tmp_path):
    def refused(command, **kwargs):
        return subprocess.CompletedProcess(command, 1, "", "Access is denied.")

    outcome = install(platform="win32", environ=windows_env(tmp_path), run=refused)
    assert not outcome.ok and "PowerShell said: Access is denied." in outcome.lines[0]


def test_macos_says_what_to_do_and_writes_nothing(tmp_path):
    env = {"HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data")}
    outcome = install(platform="darwin", environ=env, which=lambda name: "/usr/local/bin/x")
    assert outcome.ok and outcome.paths == []
    text = "\n".join(outcome.lines)
    assert "Applications" in text and "/usr/local/bin/x" in text
    assert not (tmp_path / "data").exists()
    assert uninstall(platform="darwin", environ=env).ok


def test_ico_of_256_writes_zero_for_its_size():
    data = ico_bytes([(256, b"\x89PNG-256")])
    assert data[6] == 0 and data[7] == 0 and data.endswith(b"\x89PNG-256")
