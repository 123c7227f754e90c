"""Smoke test of a built bundle (docs/release/softmax-lab.spec): it starts, says its version,
renders --screenshot offscreen, and its training process (the bundle's own program, started
by spawn through freeze_support) answers the handshake and trains.

    python docs/release/smoke_test_bundle.py [dist/softmax-lab]

Exits 0 and prints what it checked, or 1 and what failed. Logs and the picture go to a
temporary folder (never the user's). Not part of the test suite: building takes minutes.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))
from model.version import __version__  # noqa: E402

STEPS = 50
TIMEOUT = 300  # seconds; a first start unpacks nothing (a folder bundle) but loads Qt


def program(folder: Path) -> Path:
    name = "softmax-lab.exe" if sys.platform == "win32" else "softmax-lab"
    return folder / name


def run(exe: Path, *args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(exe), *args], capture_output=True, text=True, timeout=TIMEOUT, env=env
    )


def main(argv: list[str]) -> int:
    folder = Path(argv[1] if len(argv) > 1 else ROOT / "dist" / "softmax-lab")
    exe = program(folder)
    if not exe.exists():
        print(f"no bundle at {exe}: build it with pyinstaller docs/release/softmax-lab.spec")
        return 1
    problems = []
    with tempfile.TemporaryDirectory(prefix="softmax-lab-smoke-") as tmp:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", SOFTMAX_LAB_LOG_DIR=tmp)
        env.pop("PYTHONPATH", None)  # the bundle must need nothing from the checkout

        version = run(exe, "--version", env=env)
        said = version.stdout.strip()
        print(f"--version: {said!r}")
        if version.returncode != 0 or said != f"softmax-lab {__version__}":
            problems.append(f"--version said {said!r} (exit {version.returncode})")

        picture = Path(tmp) / "bundle.png"
        started = time.perf_counter()
        shot = run(
            exe,
            "--dataset",
            "digits",
            "--train-steps",
            str(STEPS),
            "--screenshot",
            str(picture),
            env=env,
        )
        seconds = time.perf_counter() - started
        print(f"--screenshot: exit {shot.returncode} in {seconds:.1f} s: {shot.stdout.strip()}")
        if shot.returncode != 0 or not picture.exists() or picture.stat().st_size < 10_000:
            problems.append(f"no screenshot (exit {shot.returncode}): {shot.stderr[-2000:]}")
        elif f"after {STEPS} steps" not in shot.stdout:
            problems.append(f"the training process did not train {STEPS} steps: {shot.stdout}")

        log = Path(tmp) / "softmax-lab.log"
        text = log.read_text(encoding="utf-8") if log.exists() else ""
        ready = [line for line in text.splitlines() if "training process ready" in line]
        print(f"log: {ready[0] if ready else 'no handshake line'}")
        if not ready or f"Softmax Lab {__version__}" not in ready[0]:
            problems.append(f"no handshake from the bundle's training process in the log:\n{text}")
    for problem in problems:
        print(f"FAILED: {problem}")
    print("bundle smoke test:", "FAILED" if problems else "passed")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
