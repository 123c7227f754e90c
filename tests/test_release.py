"""One version, read everywhere (issue 16): pyproject.toml, --version, the changelog, the
training process's handshake; and the README's quick starts for every system."""

import re
from pathlib import Path

import pytest

from gui.app import build_parser
from model.serve import TrainingServer
from model.settings import RunSettings
from model.version import __version__

ROOT = Path(__file__).resolve().parents[1]


def test_the_version_is_a_release_number():
    assert re.fullmatch(r"\d+\.\d+\.\d+", __version__)


def test_pyproject_reads_the_version_from_model_version():
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"] and "version" in project["project"]["dynamic"]
    attr = project["tool"]["setuptools"]["dynamic"]["version"]["attr"]
    assert attr == "model.version.__version__"


def test_version_option(capsys):
    with pytest.raises(SystemExit) as stopped:
        build_parser().parse_args(["--version"])
    assert stopped.value.code == 0 and capsys.readouterr().out == f"softmax-lab {__version__}\n"


def test_the_changelog_has_a_section_for_this_version():
    changelog = (ROOT / "docs" / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.search(rf"^## {re.escape(__version__)}\b", changelog, re.MULTILINE)


def test_the_handshake_carries_the_versions():
    import platform

    import numpy as np

    server = TrainingServer(RunSettings(dataset="blobs"), lambda message: None)
    kind, info = server.ready_message()
    assert kind == "ready" and info["version"] == __version__
    assert info["python"] == platform.python_version() and info["numpy"] == np.__version__


def test_the_readme_has_a_quick_start_for_windows_and_pipx():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert ". .venv/bin/activate" in readme and ".venv\\Scripts\\Activate.ps1" in readme
    assert "pipx install" in readme
    assert "pyinstaller --noconfirm docs/release/softmax-lab.spec" in readme


@pytest.mark.parametrize(
    "path",
    [
        "docs/release/softmax-lab.spec",
        "docs/release/smoke_test_bundle.py",
        "docs/release/checklist.md",
        "docs/architecture.md",
        "docs/teaching.md",
    ],
)
def test_the_release_files_exist(path):
    assert (ROOT / path).is_file()
