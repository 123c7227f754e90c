"""PySide6-Essentials 6.12.0 on Python 3.11 aborts after ~2,000 Signal.emit() calls.

("Fatal Python error: bool_dealloc": each emit dropped a reference to True.) pyproject.toml
excludes that release for Python < 3.12; this test makes sure whatever PySide6 is installed
survives 10,000 emits, so an upgrade cannot bring the crash back unnoticed. It runs in a
subprocess because the failure is an interpreter abort, which would take pytest down with it.
"""

import subprocess
import sys

SCRIPT = r"""
import os
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtCore import QCoreApplication, QObject, Signal

class Emitter(QObject):
    ticked = Signal(bool)
    counted = Signal(int)

app = QCoreApplication([])
received = []
emitter = Emitter()
emitter.ticked.connect(lambda flag: received.append(flag))
emitter.counted.connect(lambda n: None)
for i in range(10_000):
    emitter.ticked.emit(True)
    emitter.counted.emit(i)
print("emitted", len(received))
"""


def test_ten_thousand_signal_emits_exit_cleanly():
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "emitted 10000" in result.stdout
