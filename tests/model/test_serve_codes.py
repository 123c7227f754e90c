"""The code model in the training process: the "codes" command, catching up, following, and
the same figures as compare_codes_vs_softmax on the same settings."""

import numpy as np

from model import compare_codes_vs_softmax
from model.codes_comparison import CODE_LEARNING_RATE, CodesFollower
from tests.model.test_serve import SETTINGS, drain


def test_no_code_model_until_asked(served, clock):
    server, receiver = served
    server.handle(("step", 20))
    drain(server, clock)
    assert server.codes is None and receiver.snapshot.codes is None


def test_the_panels_figures_equal_the_comparison_functions(served):
    server, receiver = served
    server.handle(("codes", True))
    server.handle(("train", 150))
    codes = receiver.snapshot.codes
    expected = compare_codes_vs_softmax(
        "digits", 150, SETTINGS.batch_size, (SETTINGS.learning_rate, CODE_LEARNING_RATE),
        SETTINGS.seed,
    )  # fmt: skip
    assert codes.step == codes.softmax_step == codes.run_step == 150 and codes.following
    assert codes.last_code_accuracy == expected.last_code_accuracy
    assert codes.last_softmax_accuracy == expected.last_softmax_accuracy
    assert codes.last_invalid_share == expected.last_invalid_share
    np.testing.assert_array_equal(codes.code_confusion, expected.code_confusion)
    np.testing.assert_array_equal(codes.code_distances, expected.code_distances)
    np.testing.assert_array_equal(codes.softmax_distances, expected.softmax_distances)


def test_switched_on_mid_run_it_catches_up_from_step_0(served, clock):
    server, receiver = served
    server.handle(("step", 120))
    drain(server, clock)
    server.handle(("evaluate",))
    server.handle(("codes", True))
    drain(server, clock)
    codes = receiver.snapshot.codes
    assert codes.step == 120 and codes.following
    along = CodesFollower()  # what a code model there from the start holds
    along.advance(server.run)
    np.testing.assert_array_equal(server.codes.model.W, along.model.W)
    assert codes.eval_steps[0] == 0 and codes.eval_steps[-1] == 120


def test_switched_off_it_waits_and_then_catches_up(served, clock):
    server, receiver = served
    server.handle(("codes", True))
    server.handle(("step", 30))
    drain(server, clock)
    assert server.codes.step == 30
    server.handle(("codes", False))
    server.handle(("step", 40))
    drain(server, clock)
    assert server.codes.step == 30 and server.run.step_count == 70
    server.handle(("codes", True))
    drain(server, clock)
    assert server.codes.step == 70


def test_a_reset_starts_the_code_model_over(served, clock):
    server, receiver = served
    server.handle(("codes", True, 0.8))
    server.handle(("train", 60))
    assert receiver.snapshot.codes.step == 60
    server.handle(("reset", "Reset"))
    drain(server, clock)
    codes = receiver.snapshot.codes
    assert codes.step == 0 and codes.learning_rate == 0.8
    np.testing.assert_array_equal(codes.eval_steps, [0])


def test_a_comparison_is_sent_once_and_kept_by_the_receiver(served, clock):
    server, receiver = served
    server.handle(("codes", True))
    drain(server, clock)
    sent = [m[1].codes for m in receiver.messages if m[0] == "snapshot" and m[1].codes]
    assert len(sent) == 1
    server.publish()  # nothing new
    assert receiver.messages[-1][1].codes is None
    assert receiver.snapshot.codes is sent[0]


def test_a_bad_learning_rate_is_refused(served):
    server, receiver = served
    server.handle(("codes", True, -1.0))
    assert receiver.messages[-1][0] == "error" and "learning rate" in receiver.messages[-1][1]


def test_a_loaded_run_gets_a_code_model_from_the_step_it_was_loaded_at(served, clock, tmp_path):
    server, receiver = served
    server.handle(("step", 30))
    drain(server, clock)
    server.handle(("save", str(tmp_path / "run.npz")))
    server.handle(("load", str(tmp_path / "run.npz")))
    server.handle(("codes", True))
    server.handle(("step", 10))
    drain(server, clock)
    server.handle(("evaluate",))
    drain(server, clock)
    assert "failed" not in receiver.kinds() and "error" not in receiver.kinds()
    codes = receiver.snapshot.codes
    assert codes.start_step == 30 and codes.step == 40 and codes.following
