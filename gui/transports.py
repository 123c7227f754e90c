"""How the GUI reaches a TrainingServer: in its own spawned process, or in-process for tests.

Both offer the same five calls: `send(command)`, `receive()` (every message that has arrived,
never waiting), `exit_description()`, `kill()` (end it now, without waiting) and
`close(timeout)`. A transport whose server is gone delivers ("gone",) as its last message.
"""

from __future__ import annotations

import collections
import multiprocessing
import sys
import threading
import time

from model.serve import SWITCH_INTERVAL, TrainingServer, serve
from model.settings import RunSettings

#: The in-process server trains at most this long per receive() (one turn of the GUI's poll).
IN_PROCESS_WORK_SECONDS = 0.008
#: A process that has ended (its sentinel is ready) and whose pipe has not closed this long
#: after (a process it started holds the pipe open) is reported gone anyway.
EXIT_GRACE_SECONDS = 1.0


class ProcessTransport:
    """A training process (spawn start method, so no Qt state is inherited) and a reader
    thread that collects its messages, so the GUI thread never waits on the pipe.

    The pipe's end tells that the process is gone; the process's own state tells it too when
    the pipe does not (a child of the process holding it open). That is `is_alive()`, which
    waits on the process handle (its sentinel) on Windows and asks waitpid on POSIX: there the
    sentinel is a pipe, and a child holding the pipe would hold that one as well.

    `target` is model.serve.serve; tests give processes that fail to start in their own ways.
    """

    def __init__(self, settings: RunSettings, target=serve):
        context = multiprocessing.get_context("spawn")
        self._connection, theirs = context.Pipe()
        self.process = context.Process(
            target=target, args=(theirs, settings), name="softmax-lab-training", daemon=True
        )
        self.process.start()
        theirs.close()  # the child's end: once the child is gone, our reads end with EOF
        self._inbox: collections.deque = collections.deque()
        self._gone = False  # ("gone",) has been delivered
        self._ended_at: float | None = None  # when the sentinel was first seen ready
        # The reader takes each snapshot in pieces, waiting for the GIL after each while the
        # GUI thread draws in Python: short turns let a snapshot in within a frame.
        sys.setswitchinterval(min(sys.getswitchinterval(), SWITCH_INTERVAL))
        self._reader = threading.Thread(target=self._read, name="training-reader", daemon=True)
        self._reader.start()

    def _read(self) -> None:
        try:
            while True:
                self._inbox.append(self._connection.recv())
        except (EOFError, OSError):
            self._inbox.append(("gone",))

    def send(self, command: tuple) -> None:
        try:
            self._connection.send(command)
        except (OSError, ValueError):  # the process is gone: the reader reports it
            pass

    def receive(self) -> list[tuple]:
        messages = []
        while self._inbox:
            messages.append(self._inbox.popleft())
        if messages and messages[-1][0] == "gone":
            self._gone = True
        elif not (self._gone or messages) and self._ended_quietly():
            self._gone = True
            messages.append(("gone",))
        return messages

    def _ended_quietly(self) -> bool:
        """The process has ended and its pipe has stayed open EXIT_GRACE_SECONDS since."""
        if self._ended_at is None:
            if self.process.is_alive():
                return False
            self._ended_at = time.monotonic()
        return time.monotonic() - self._ended_at > EXIT_GRACE_SECONDS

    def kill(self) -> None:
        """End the process now; its end is delivered as ("gone",) as for any other end."""
        self.process.kill()

    def exit_description(self) -> str:
        self.process.join(0.5)  # the pipe closes as the process dies; its code follows
        code = self.process.exitcode
        if code is None:
            return "it stopped answering"
        if code < 0:
            return f"it was killed by signal {-code}"
        return f"it exited with code {code}"

    def close(self, timeout: float = 1.0) -> bool:
        """Ask the process to stop, and make sure it has within `timeout` seconds."""
        self.send(("shutdown",))
        self.process.join(timeout)
        clean = not self.process.is_alive()
        if not clean:
            self.process.kill()
            self.process.join(timeout)
        self._connection.close()
        return clean


class InProcessTransport:
    """The same server in this process, worked a few milliseconds per receive(): the GUI's
    tests get the real messages without a process, deterministic and quick to start."""

    def __init__(self, settings: RunSettings):
        self._inbox: collections.deque = collections.deque()
        self._closed = False
        try:
            self.server = TrainingServer(settings, self._inbox.append)
        except Exception as error:  # noqa: BLE001 - as the process reports it
            self.server = None
            self._inbox.append(("failed", f"The training process stopped: {error}", ""))
            self._inbox.append(("gone",))
            return
        self._inbox.append(self.server.ready_message())
        self.server.publish()

    def send(self, command: tuple) -> None:
        if self.server is not None and not self._closed:
            self.server.handle(command)

    def receive(self) -> list[tuple]:
        if self.server is not None and not self._closed:
            deadline = time.perf_counter() + IN_PROCESS_WORK_SECONDS
            while self.server.work() == 0 and time.perf_counter() < deadline:
                pass
        messages = []
        while self._inbox:
            messages.append(self._inbox.popleft())
        return messages

    def kill(self) -> None:
        """Behave as a killed process would (for tests of the GUI's fault handling)."""
        self._closed = True
        self._inbox.append(("gone",))

    def exit_description(self) -> str:
        return "it was killed by signal 9" if self._closed else "it stopped answering"

    def close(self, timeout: float = 1.0) -> bool:
        self._closed = True
        return True
