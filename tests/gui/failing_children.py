"""Training processes that fail to start, each in its own way, for tests/gui/test_process_start.py.

Each is a target for gui.transports.ProcessTransport(settings, target=...), called in the
spawned process as model.serve.serve would be: target(connection, settings).
"""

import os
import time

from model.serve import PROTOCOL_VERSION


def exit_at_once(connection, settings) -> None:
    """A process that ends before it says anything (as a crash in a native library would)."""
    os._exit(3)


def never_answer(connection, settings) -> None:
    """A process that hangs before its handshake (a frozen import, a dialog nobody sees)."""
    time.sleep(600)


def answer_in_another_protocol(connection, settings) -> None:
    """A training process of another version of the app (a mixed install)."""
    connection.send(("ready", {"protocol": PROTOCOL_VERSION + 1, "pid": os.getpid()}))
    connection.recv()  # until the window ends it


def exit_leaving_the_pipe_open(connection, settings) -> None:
    """A process that ends while a child of its own keeps the pipe open: no end of file
    reaches the window, only the process's state says it is gone (POSIX only: fork)."""
    if os.fork() == 0:  # the grandchild holds the pipe until the window closes its end
        try:
            connection.recv()
        finally:
            os._exit(0)
    os._exit(4)
