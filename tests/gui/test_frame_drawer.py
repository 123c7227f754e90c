"""FrameDrawer: a panel per turn of the event loop, the worker held meanwhile, paced frames."""

import pytest
from PySide6.QtCore import QObject, QTimer

from gui.controller import TrainingController
from gui.frame_drawer import FrameDrawer
from model import load_dataset


class FakeController:
    """Records hold_for_drawing calls; plays at full speed unless told otherwise."""

    def __init__(self):
        self.held = False
        self.playing = True
        self.speed = None

    def hold_for_drawing(self, hold: bool) -> None:
        self.held = hold


class RecordingPanel:
    def __init__(self, name, log, controller, fail=False):
        self.name, self.log, self.controller, self.fail = name, log, controller, fail

    def show_frame(self, frame):
        self.log.append((self.name, frame, self.controller.held))
        if self.fail:
            raise RuntimeError("drawing failed")


@pytest.fixture
def setup(qtbot):
    controller = FakeController()
    owner = QObject()
    drawer = FrameDrawer(controller, 33, lambda: False, owner)
    drawer.timer = QTimer(owner)
    drawer.timer.setInterval(33)
    log = []
    panels = [RecordingPanel(name, log, controller) for name in "abc"]
    yield controller, drawer, log, panels
    drawer.abandon()


def test_finish_draws_every_panel_while_the_worker_is_held(setup):
    controller, drawer, log, panels = setup
    drawer.begin("frame 1", panels)
    assert controller.held and drawer.busy
    drawer.finish()
    assert log == [("a", "frame 1", True), ("b", "frame 1", True), ("c", "frame 1", True)]
    assert not controller.held and not drawer.busy


def test_continue_later_draws_one_panel_per_turn_of_the_event_loop(setup, qtbot):
    controller, drawer, log, panels = setup
    drawer.begin("frame 1", panels)
    drawer.continue_later()
    assert [name for name, _, _ in log] == ["a"]  # the rest waits for the event loop
    qtbot.waitUntil(lambda: not drawer.busy)
    assert [name for name, _, _ in log] == ["a", "b", "c"] and not controller.held


def test_a_new_frame_abandons_the_rest_of_the_old_one(setup):
    controller, drawer, log, panels = setup
    drawer.begin("frame 1", panels)
    drawer.draw_next()
    drawer.begin("frame 2", panels)
    drawer.finish()
    assert [(name, frame) for name, frame, _ in log] == [
        ("a", "frame 1"),
        ("a", "frame 2"),
        ("b", "frame 2"),
        ("c", "frame 2"),
    ]
    assert not controller.held


def test_a_failing_panel_releases_the_worker(setup):
    controller, drawer, log, panels = setup
    panels[1].fail = True
    drawer.begin("frame 1", panels)
    with pytest.raises(RuntimeError):
        drawer.finish()
    assert not controller.held and not drawer.busy


def test_frames_are_spaced_out_only_at_full_speed(setup):
    controller, drawer, _, _ = setup
    drawer.frame_seconds = 0.03
    drawer.set_interval()
    assert drawer.timer.interval() == round(1000 * 0.03 / drawer.full_speed_drawing_share)
    controller.speed = 100.0  # a paced speed: the worker mostly sleeps
    drawer.set_interval()
    assert drawer.timer.interval() == 33
    controller.speed, controller.playing = None, False
    drawer.set_interval()
    assert drawer.timer.interval() == 33
    controller.playing, drawer.full_speed_drawing_share = True, None
    drawer.set_interval()
    assert drawer.timer.interval() == 33


def test_steps_asked_for_are_all_done_however_often_drawing_holds_the_worker(qtbot):
    controller = TrainingController(load_dataset("digits"), batch_size=16, seed=2)
    try:
        controller.step(3000)
        done = 0
        for _ in range(20):  # holds cut chunks short; their steps must stay pending
            controller.hold_for_drawing(True)
            controller.hold_for_drawing(False)
            qtbot.waitUntil(lambda d=done: controller.latest_snapshot.step > d or d == 3000)
            done = controller.latest_snapshot.step
        qtbot.waitUntil(lambda: controller.latest_snapshot.step == 3000, timeout=20_000)
        qtbot.waitUntil(lambda: controller.idle)
        assert controller.run.step_count == 3000
    finally:
        controller.hold_for_drawing(False)
        assert controller.shutdown(2000)
