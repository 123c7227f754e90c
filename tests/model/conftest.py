"""Fixtures the training-server tests share (test_serve.py, test_serve_codes.py)."""

import pytest

from model.serve import TrainingServer
from tests.model.test_serve import SETTINGS, FakeClock, Receiver


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def served(clock):
    """A server on SETTINGS, its first snapshot published, and what it sent."""
    receiver = Receiver()
    server = TrainingServer(SETTINGS, receiver, clock=clock)
    server.publish()
    return server, receiver
