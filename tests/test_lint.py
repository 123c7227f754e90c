"""ruff is configured in pyproject.toml and the tree is clean."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_ruff_is_clean():
    if shutil.which("ruff") is None and not _module_available("ruff"):
        pytest.skip("ruff is not installed (it comes with the test extras)")
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", str(ROOT)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-1000:]


def _module_available(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None
