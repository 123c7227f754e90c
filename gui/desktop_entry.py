"""`softmax-lab --install-desktop-entry` / `--uninstall-desktop-entry`: the app in the desktop's
launcher, per platform.

- Linux (and other freedesktop systems): a .desktop file in $XDG_DATA_HOME/applications and
  the icon in $XDG_DATA_HOME/icons/hicolor (XDG_DATA_HOME defaults to ~/.local/share).
- Windows: a Start-menu shortcut (.lnk) with the app's icon, made through PowerShell's
  WScript.Shell (no extra Python package); if that cannot run, precise steps to make it by hand.
- macOS: nothing to install for the app bundle (it goes in Applications); for a pip or pipx
  install, what to do instead.

No Qt here: it runs before (and without) a display.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from resources import ICON_NAME, ICON_SIZES, icon_png_name, resource_path

APP_ID = ICON_NAME  # the command, the .desktop file and the icon share one name
APP_NAME = "Softmax Lab"
COMMENT = "Watch a softmax classifier learn handwritten digits, live"
#: The largest image a Windows .ico holds.
ICO_MAX = 256
#: Characters that make a freedesktop Exec argument need quotes (Desktop Entry spec, "Exec key").
_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


@dataclass
class Outcome:
    """What the command did: the files it wrote or removed, and what to tell the user."""

    ok: bool
    lines: list[str] = field(default_factory=list)
    paths: list[Path] = field(default_factory=list)

    def report(self, out=None) -> int:
        """Print the lines (to stdout); the command's exit status."""
        for line in self.lines:
            print(line, file=out or sys.stdout)
        return 0 if self.ok else 1


# ---------------------------------------------------------------------------- how to start it
def launch_command(executable: str = sys.executable, which=shutil.which) -> list[str]:
    """The command that starts the app: the installed `softmax-lab` script, else this Python
    running the gui package (`python -m gui`)."""
    script = which(APP_ID)
    if script:
        return [str(Path(script).resolve())]
    return [executable, "-m", "gui"]


def windowed_python(executable: str = sys.executable) -> str:
    """On Windows, pythonw.exe beside python.exe starts the app without a console window."""
    candidate = Path(executable).with_name("pythonw.exe")
    return str(candidate) if candidate.exists() else executable


# ---------------------------------------------------------------------------- freedesktop
def data_home(environ: Mapping[str, str]) -> Path:
    """$XDG_DATA_HOME, or ~/.local/share where it is unset, empty or not absolute (the spec
    says a relative path is to be ignored)."""
    value = environ.get("XDG_DATA_HOME", "")
    if value and Path(value).is_absolute():
        return Path(value)
    home = environ.get("HOME") or str(Path.home())
    return Path(home) / ".local" / "share"


def desktop_path(environ: Mapping[str, str]) -> Path:
    return data_home(environ) / "applications" / f"{APP_ID}.desktop"


def icon_paths(environ: Mapping[str, str]) -> dict[str, Path]:
    """Shipped icon file name -> where the hicolor theme wants it."""
    hicolor = data_home(environ) / "icons" / "hicolor"
    paths = {f"{APP_ID}.svg": hicolor / "scalable" / "apps" / f"{APP_ID}.svg"}
    for size in ICON_SIZES:
        paths[icon_png_name(size)] = hicolor / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
    return paths


def exec_quote(argument: str) -> str:
    """One argument of a desktop entry's Exec key, quoted where the spec asks, with the
    string-value escape of backslashes on top."""
    if argument and not (_RESERVED & set(argument)):
        return argument
    quoted = "".join("\\" + c if c in '"`$\\' else c for c in argument)
    return ('"' + quoted + '"').replace("\\", "\\\\")


def desktop_entry(command: list[str]) -> str:
    """The text of the .desktop file that starts `command`."""
    return "\n".join(
        [
            "[Desktop Entry]",
            "Type=Application",
            "Version=1.4",  # the newest version desktop-file-validate 0.26 knows
            f"Name={APP_NAME}",
            "GenericName=Machine learning demonstration",
            f"Comment={COMMENT}",
            f"Exec={' '.join(exec_quote(part) for part in command)}",
            f"TryExec={command[0]}",
            f"Icon={APP_ID}",
            "Terminal=false",
            "StartupNotify=true",
            # One main category (two would list it twice in some menus) and a related one.
            "Categories=Education;ArtificialIntelligence;",
            "Keywords=softmax;MNIST;neural network;machine learning;gradient descent;",
            "",
        ]
    )


def install_freedesktop(environ: Mapping[str, str], command: list[str]) -> Outcome:
    written = []
    for name, target in icon_paths(environ).items():
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(resource_path(name).read_bytes())
        written.append(target)
    entry = desktop_path(environ)
    entry.parent.mkdir(parents=True, exist_ok=True)
    entry.write_text(desktop_entry(command), encoding="utf-8")
    written.insert(0, entry)
    lines = [
        f"Wrote {entry}",
        f"and the icon in {len(written) - 1} sizes under {data_home(environ) / 'icons/hicolor'}.",
        f"{APP_NAME} is now in the desktop's application launcher (a few desktops show it after"
        " the next login). Remove it with: softmax-lab --uninstall-desktop-entry",
    ]
    return Outcome(True, lines, written)


def uninstall_freedesktop(environ: Mapping[str, str]) -> Outcome:
    paths = [desktop_path(environ), *icon_paths(environ).values()]
    return _remove(paths, f"no {APP_NAME} launcher entry in {data_home(environ)}")


# ---------------------------------------------------------------------------- Windows
def start_menu_folder(environ: Mapping[str, str]) -> Path:
    """The user's Start-menu programs: %APPDATA%\\Microsoft\\Windows\\Start Menu\\Programs."""
    appdata = environ.get("APPDATA") or str(Path.home() / "AppData" / "Roaming")
    return Path(appdata) / "Microsoft" / "Windows" / "Start Menu" / "Programs"


def shortcut_path(environ: Mapping[str, str]) -> Path:
    return start_menu_folder(environ) / f"{APP_NAME}.lnk"


def ico_path(environ: Mapping[str, str]) -> Path:
    local = environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
    return Path(local) / APP_ID / f"{APP_ID}.ico"


def ico_bytes(pngs: list[tuple[int, bytes]]) -> bytes:
    """A Windows .ico holding PNG images ((size, png bytes), sizes up to 256; Vista and later
    read PNG entries)."""
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = len(header) + 16 * len(pngs)
    entries, data = b"", b""
    for size, png in pngs:
        side = 0 if size >= ICO_MAX else size  # 0 means 256 in an ICONDIRENTRY
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset + len(data))
        data += png
    return header + entries + data


def _ps_quote(text: str) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def shortcut_script(link: Path, target: str, arguments: str, icon: Path) -> str:
    """The PowerShell that makes the Start-menu shortcut through WScript.Shell."""
    return "; ".join(
        [
            "$shell = New-Object -ComObject WScript.Shell",
            f"$link = $shell.CreateShortcut({_ps_quote(link)})",
            f"$link.TargetPath = {_ps_quote(target)}",
            f"$link.Arguments = {_ps_quote(arguments)}",
            f"$link.WorkingDirectory = {_ps_quote(Path.home())}",
            f"$link.IconLocation = {_ps_quote(str(icon) + ',0')}",
            f"$link.Description = {_ps_quote(COMMENT)}",
            "$link.Save()",
        ]
    )


def install_windows(environ, executable: str, run: Callable) -> Outcome:
    icon = ico_path(environ)
    icon.parent.mkdir(parents=True, exist_ok=True)
    pngs = [
        (size, resource_path(icon_png_name(size)).read_bytes())
        for size in ICON_SIZES
        if size <= ICO_MAX
    ]
    icon.write_bytes(ico_bytes(pngs))
    link = shortcut_path(environ)
    target, arguments = windowed_python(executable), "-m gui"
    script = shortcut_script(link, target, arguments, icon)
    problem = _run_powershell(run, script)
    if problem is None and link.exists():
        return Outcome(True, [f"Added {APP_NAME} to the Start menu: {link}"], [link, icon])
    return Outcome(
        False,
        [
            f"Could not make the Start-menu shortcut ({problem or 'PowerShell made no file'}).",
            "Make it by hand:",
            "  1. Right-click the desktop, choose New > Shortcut.",
            f'  2. As the location, enter:  "{target}" {arguments}',
            f"  3. Name it {APP_NAME} and finish.",
            f"  4. Right-click it > Properties > Change Icon..., and choose {icon}",
            f"  5. Move the shortcut into {start_menu_folder(environ)}",
        ],
        [icon],
    )


def _run_powershell(run: Callable, script: str) -> str | None:
    """None if the script ran, else why not."""
    command = ["powershell", "-NoProfile", "-NonInteractive", "-Command", script]
    try:
        result = run(command, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as error:
        return f"PowerShell did not run: {error}"
    if result.returncode != 0:
        return f"PowerShell said: {(result.stderr or result.stdout).strip()[:300]}"
    return None


def uninstall_windows(environ) -> Outcome:
    return _remove(
        [shortcut_path(environ), ico_path(environ)], f"no {APP_NAME} shortcut in the Start menu"
    )


# ---------------------------------------------------------------------------- macOS
def macos_note(command: list[str]) -> Outcome:
    return Outcome(
        True,
        [
            "On macOS there is no launcher entry to install:",
            f"- the app bundle ({APP_NAME}.app) is its own launcher: drag it into Applications;",
            f"- installed with pip or pipx, start it from Terminal: {' '.join(command)}",
            "  (to get a Dock icon for it, make an Automator 'Application' that runs that"
            " command, save it in Applications, and keep it in the Dock).",
        ],
    )


# ---------------------------------------------------------------------------- the commands
def install(
    platform: str = sys.platform,
    environ: Mapping[str, str] = os.environ,
    executable: str = sys.executable,
    run: Callable = subprocess.run,
    which=shutil.which,
) -> Outcome:
    """Install the launcher entry of this platform (see the module's docstring)."""
    if platform.startswith("win"):
        return install_windows(environ, executable, run)
    command = launch_command(executable, which)
    if platform == "darwin":
        return macos_note(command)
    return install_freedesktop(environ, command)


def uninstall(platform: str = sys.platform, environ: Mapping[str, str] = os.environ) -> Outcome:
    if platform.startswith("win"):
        return uninstall_windows(environ)
    if platform == "darwin":
        return Outcome(True, ["On macOS nothing was installed: remove the app from Applications."])
    return uninstall_freedesktop(environ)


def _remove(paths: list[Path], nothing: str) -> Outcome:
    removed = []
    for path in paths:
        try:
            path.unlink()
            removed.append(path)
        except FileNotFoundError:
            pass
    if not removed:
        return Outcome(True, [f"Nothing to remove: {nothing}."])
    more = f" and {len(removed) - 1} more file(s) beside it" if len(removed) > 1 else ""
    return Outcome(True, [f"Removed {removed[0]}{more}."], removed)
