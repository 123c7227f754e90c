"""Test configuration: Qt runs headless, set before anything imports Qt; logs go to a
temporary folder (never the user's log folder), for this process and every app it starts."""

import atexit
import os
import shutil
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_LOGS = tempfile.mkdtemp(prefix="softmax-lab-test-logs-")
os.environ["SOFTMAX_LAB_LOG_DIR"] = _LOGS  # gui.logs.LOG_DIR_VARIABLE
atexit.register(shutil.rmtree, _LOGS, ignore_errors=True)
