"""model/ is pure NumPy: importing it must not import Qt, pyqtgraph or the GUI."""

import ast
import subprocess
import sys
from pathlib import Path

FORBIDDEN = ("PySide6", "pyqtgraph", "gui", "PyQt5", "PyQt6", "shiboken6")
MODEL_DIR = Path(__file__).resolve().parents[2] / "model"


def test_importing_model_loads_no_qt():
    code = (
        "import sys, model, model.datasets, model.training, model.binary_output, model.serve; "
        f"print([m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r}])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_no_model_source_file_imports_qt_or_gui():
    offenders = []
    for path in MODEL_DIR.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            else:
                continue
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in FORBIDDEN]
    assert offenders == []
