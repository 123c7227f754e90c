"""A training process that fails to start never hangs the window (issue 16): it fails to import,
exits at once, never answers its handshake, speaks another protocol, or ends while its pipe
stays open; each becomes one failed() message the window shows with a Restart button.

Real spawned processes (that is what is tested), small ones: the failing targets import
little, and a hang is given up after a one-second handshake timeout.
"""

import functools
import sys

import pytest

from gui.training_client import TrainingClient
from gui.transports import InProcessTransport, ProcessTransport
from model.serve import PROTOCOL_VERSION
from model.settings import RunSettings
from tests.gui import broken_training_module, failing_children

PATIENCE = 60.0  # seconds: a loaded machine may be slow to spawn; nothing waits this long
SETTINGS = RunSettings(dataset="blobs")


def client_of(blobs, target, ready_timeout=PATIENCE):
    """A client whose training process runs `target` instead of model.serve.serve."""
    make = functools.partial(ProcessTransport, target=target)
    return TrainingClient(blobs, SETTINGS, transport=make, ready_timeout=ready_timeout)


def failure_of(client) -> str:
    """The failed() message of a client whose process fails to start (collected as the
    window's timer would, without an event loop)."""
    messages = []
    client.failed.connect(messages.append)
    client.wait_until(lambda: not client.alive, PATIENCE)
    client.shutdown()
    assert len(messages) == 1 and client.failure in messages[0]
    assert not client.ready and "Restart" in messages[0]
    return messages[0]


@pytest.mark.parametrize(
    "target, said",
    [
        (broken_training_module.serve, "it exited with code 1"),
        (failing_children.exit_at_once, "it exited with code 3"),
    ],
    ids=["fails to import", "exits at once"],
)
def test_a_process_that_ends_before_its_handshake_is_reported(qtbot, blobs, target, said):
    message = failure_of(client_of(blobs, target))
    assert message.startswith("The training process ended unexpectedly") and said in message


def test_a_process_that_never_answers_is_given_up_after_the_timeout(qtbot, blobs):
    client = client_of(blobs, failing_children.never_answer, ready_timeout=1.0)
    process = client._transport.process
    message = failure_of(client)
    assert message.startswith("The training process did not start: no answer within 1 s.")
    process.join(PATIENCE)
    assert process.exitcode is not None  # ended, not left hanging


def test_a_process_of_another_protocol_is_refused(qtbot, blobs):
    client = client_of(blobs, failing_children.answer_in_another_protocol)
    message = failure_of(client)
    assert f"speaks protocol {PROTOCOL_VERSION + 1}, this window {PROTOCOL_VERSION}" in message


@pytest.mark.skipif(sys.platform == "win32", reason="needs os.fork")
def test_a_process_that_ends_with_its_pipe_held_open_is_seen_by_its_state(qtbot, blobs):
    client = client_of(blobs, failing_children.exit_leaving_the_pipe_open)
    message = failure_of(client)  # the grandchild ends when shutdown closes the pipe
    assert "it exited with code 4" in message


def test_restart_after_a_failed_start_starts_a_working_process(qtbot, blobs):
    """The same client, its transport now the real one: Restart gives a ready process."""
    client = client_of(blobs, failing_children.exit_at_once)
    failure_of(client)
    client._make_transport = InProcessTransport  # what a repaired install would start
    client.restart()
    assert client.wait_until(lambda: client.ready, PATIENCE) and client.alive
    client.shutdown()


def test_the_window_shows_a_failed_start_with_restart(qtbot, blobs):
    from gui.main_window import MainWindow

    client = client_of(blobs, broken_training_module.serve)
    window = MainWindow(client, None)
    qtbot.addWidget(window)
    client.wait_until(lambda: not client.alive, PATIENCE)
    banner = window.banner_bar.banner
    assert banner.has_message and banner.kind == "error"
    assert "Training stopped" in banner.title_label.text()
    assert "exited with code 1" in banner.text_label.text()
    assert banner.action_button.text() == window.controls.restart_button.text()
    window.close()


def test_a_screenshot_without_a_training_process_fails_with_a_note(
    qtbot, monkeypatch, tmp_path, capsys
):
    """--screenshot of a process that never started says so and exits 1 (it saved a picture
    of the untrained model and exited 0)."""
    import gui.app
    import gui.training_client
    from gui import logs

    class Broken(TrainingClient):
        def __init__(self, dataset, settings, **kwargs):
            make = functools.partial(ProcessTransport, target=failing_children.exit_at_once)
            super().__init__(dataset, settings, transport=make, **kwargs)

    monkeypatch.setattr(gui.training_client, "TrainingClient", Broken)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # main() installs its own
    picture = tmp_path / "never.png"
    try:
        code = gui.app.main(["--dataset", "blobs", "--screenshot", str(picture)])
    finally:
        logs.stop_logging()
    assert code == 1 and not picture.exists()
    err = capsys.readouterr().err
    assert "no screenshot: The training process ended unexpectedly: it exited with code 3" in err
