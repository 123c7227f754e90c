"""Training clients for GUI tests: the real server, in this process (no spawn, no pipe)."""

from gui.training_client import TrainingClient
from model import load_dataset
from model.settings import RunSettings


def make_client(dataset="digits", speed=None, **settings) -> TrainingClient:
    """A client of an in-process TrainingServer on `dataset`, playing at `speed` (None: full)."""
    run_settings = RunSettings(dataset=dataset, **settings)
    return TrainingClient.in_process(load_dataset(dataset), run_settings, speed=speed)


def server_run(client: TrainingClient):
    """The TrainingRun behind an in-process client (what the process would hold)."""
    return client._transport.server.run
