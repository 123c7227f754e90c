"""The "Codes vs softmax" panel: it asks for the code model while on screen, shows the
comparison's own numbers, says when it is catching up, and fits at the desk and on a projector."""

from dataclasses import replace

import numpy as np
import pytest
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QApplication

from gui.formatting import percent
from gui.frame import Frame
from gui.panels.codes_panel import FIGURES, CodesPanel
from model import compare_codes_vs_softmax
from model.codes_comparison import CODE_LEARNING_RATE
from tests.gui.clients import make_client, server_run
from tests.gui.test_no_text_cut_off import trained_window
from tests.gui.text_fit import clipped_texts

STEPS = 120


class RecordingClient:
    """Stands in for the TrainingClient: notes what the panel asks of the training process."""

    def __init__(self):
        self.asked = []

    def set_codes_comparison(self, on):
        self.asked.append(on)


@pytest.fixture(scope="module")
def trained():
    """A digits run trained STEPS with the code model beside it, through the real server, and
    the comparison function's answer for the same settings."""
    client = make_client("digits")
    client.set_codes_comparison(True)
    client._transport.server.handle(("train", STEPS))
    client.poll()
    settings = client.settings
    expected = compare_codes_vs_softmax(
        "digits", STEPS, settings.batch_size, (settings.learning_rate, CODE_LEARNING_RATE),
        settings.seed,
    )  # fmt: skip
    yield client, expected
    client.shutdown()


@pytest.fixture
def panel(qtbot, trained):
    client, _ = trained
    panel = CodesPanel(RecordingClient())
    qtbot.addWidget(panel)
    panel.resize(900, 700)
    panel.show()
    panel.show_frame(Frame(client.latest_snapshot, client.dataset))
    return panel


def test_the_panels_numbers_are_the_comparisons(panel, trained):
    _, expected = trained
    codes = panel.codes
    assert codes.step == STEPS and codes.following
    assert codes.last_code_accuracy == expected.last_code_accuracy
    np.testing.assert_array_equal(codes.code_confusion, expected.code_confusion)
    heading = panel.heading.text()
    for value in (expected.last_code_accuracy, expected.last_softmax_accuracy,
                  expected.last_invalid_share):  # fmt: skip
        assert percent(value) in heading
    assert percent(expected.code_error_shares[1]) in panel.captions["distances"].text()
    assert percent(expected.pair_shares[1]) in panel.captions["distances"].text()
    # The figures hold the same numbers (the server evaluates at its own steps, four an epoch).
    x, y = panel.accuracy.code_curve.getData()
    np.testing.assert_array_equal(x, codes.eval_steps)
    assert x[0] == 0 and x[-1] == STEPS and y[-1] == expected.last_code_accuracy
    bars = panel.distances.bars["code model errors"].opts["height"]
    np.testing.assert_allclose(bars, expected.code_error_shares[1:])
    C = expected.n_classes
    invalid = expected.code_confusion[:, C:].sum(axis=1)
    for i in range(C):
        for j in (0, i, C - 1):
            assert panel.confusion.texts.text(i, j) == f"{expected.code_confusion[i, j]:,}"
        assert panel.confusion.texts.text(i, C) == f"{invalid[i]:,}"  # the ✗ column


def test_the_cost_matrix_is_written_out_and_cost_1_outlined(panel):
    assert panel.cost.texts.text(0, 7) == "3" and panel.cost.texts.text(0, 1) == "1"
    assert panel.cost.texts.text(9, 6) == "4"
    # 15 unordered pairs of digits 1 bit apart: 30 cells outlined in each matrix.
    for matrix in (panel.cost, panel.confusion):
        assert matrix.outlines.path().elementCount() == 30 * 5  # a closed rectangle: 5 points


def test_on_screen_it_asks_for_the_code_model_and_off_screen_it_stops(panel):
    assert panel.client.asked[-1] is True
    panel.hide()
    assert panel.client.asked[-1] is False


def test_catching_up_says_so(panel, trained):
    client, _ = trained
    late = replace(client.latest_snapshot.codes, following=False, run_step=5000)
    panel.show_frame(Frame(replace(client.latest_snapshot, codes=late), client.dataset))
    assert "Catching up" in panel.heading.text() and "5,000" in panel.heading.text()
    panel.show_frame(Frame(replace(client.latest_snapshot, codes=None), client.dataset))
    assert "starts when this panel is shown" in panel.heading.text()


def test_a_small_panel_shows_two_figures_at_a_time(panel):
    panel.resize(480, 300)
    QApplication.processEvents()
    assert panel.height_needed(grid=True, captions=True) > panel.height()
    assert not panel.grid_mode, panel.size()
    assert panel.accuracy.isVisible() and not panel.confusion.isVisible()
    panel.page_buttons.button(1).click()
    assert panel.confusion.isVisible() and panel.cost.isVisible()
    assert not panel.accuracy.isVisible()
    panel.resize(480, 200)  # no room for the sentences: they are the figures' tooltips
    QApplication.processEvents()
    assert not panel.captions["confusion"].isVisible()
    assert panel.confusion.toolTip() == panel.captions["confusion"].text() != ""
    panel.resize(1000, 800)
    QApplication.processEvents()
    assert panel.grid_mode and all(f.isVisible() for f in panel.figures.values())


def cramped(panel) -> list[str]:
    """What the panel squeezes: a text or figure reaching below the panel or a sentence lower
    than its lines (the last line "(sheet 2.1)" was cut at 1600x1000), a matrix's rows lower
    than their labels (0-9 ran into each other)."""
    problems = []
    for name in FIGURES:
        for widget in (panel.titles[name], panel.figures[name], panel.captions[name]):
            if widget.isVisible():
                bottom = widget.mapTo(panel, widget.rect().bottomLeft()).y()
                if bottom > panel.height():
                    problems.append(f"{name}: {type(widget).__name__} reaches {bottom} px, "
                                    f"below the panel's {panel.height()}")  # fmt: skip
        caption = panel.captions[name]
        if caption.isVisible() and caption.height() < caption.heightForWidth(caption.width()):
            problems.append(f"{name}'s sentence has {caption.height()} px of "
                            f"{caption.heightForWidth(caption.width())}")  # fmt: skip
    for name in ("cost", "confusion"):
        matrix = panel.figures[name]
        if matrix.isVisible():
            row = matrix.plot.vb.height() / matrix.shape[0]
            font = matrix.plot.getAxis("left").style["tickFont"]
            if QFontMetricsF(font).height() > 1.1 * row:
                problems.append(f"{name}: rows of {row:.1f} px, labels "
                                f"{QFontMetricsF(font).height():.1f} px high")  # fmt: skip
    return problems


@pytest.mark.parametrize(
    "dataset, size, presentation",
    [("digits", (1280, 720), False), ("mnist", (1280, 720), True),
     ("blobs", (1920, 1080), True), ("mnist", (1600, 1000), False),
     ("mnist", (1280, 800), True)],
    ids=["digits-1280x720-desk", "mnist-1280x720-presentation", "blobs-1920x1080-presentation",
         "mnist-1600x1000-desk", "mnist-1280x800-presentation"],
)  # fmt: skip
def test_in_a_window_the_code_model_follows_and_no_text_is_cut_off(
    qtbot, dataset, size, presentation
):
    with trained_window(qtbot, dataset, size, presentation) as window:
        client = window.controller
        assert not client.codes_comparison  # a tab behind the binary network
        window.docks["CodesPanel"].raise_()
        QApplication.processEvents()
        assert client.codes_comparison  # on screen: it catches up with the 200 steps trained
        qtbot.waitUntil(lambda: (client.poll() or True) and client.latest_snapshot.codes
                        is not None and client.latest_snapshot.codes.following)  # fmt: skip
        panel = window.panel(CodesPanel)
        problems = []
        for page in (0, 1):
            panel.set_page(page)
            window.redraw()
            for _ in range(3):
                qtbot.wait(1)
            window.grab()
            problems += [f"page {page}: {p}" for p in clipped_texts(window)]
            problems += [f"page {page}: {p}" for p in cramped(panel)]
        assert problems == [], "\n".join(problems)
        assert panel.codes.step == server_run(client).step_count == 200
        window.docks["BinaryOutputPanel"].raise_()  # the code model's tab goes behind
        QApplication.processEvents()
        assert not client.codes_comparison


def test_the_captions_follow_the_numbers(panel, trained):
    # At step 0 (the reviewer's numbers) the panel drew the sheet's conclusions all the same.
    from tests.gui.test_codes_sentences import CHEAP, POORER, comparison

    client, _ = trained
    step0 = comparison(step=0, code=0.089, softmax=0.096,
                       code_distances=(890, 2860, 3600, 2000, 656),
                       softmax_distances=(960, 3000, 3600, 2000, 440), invalid=3000)  # fmt: skip
    panel.show_frame(Frame(replace(client.latest_snapshot, codes=step0), client.dataset))
    assert POORER not in panel.captions["accuracy"].text()
    assert CHEAP not in panel.captions["distances"].text()
    assert "Too early to tell" in panel.captions["accuracy"].text()
    loaded = comparison(step=5200, start_step=5000, code=0.60, softmax=0.91)
    panel.show_frame(Frame(replace(client.latest_snapshot, codes=loaded), client.dataset))
    assert POORER not in panel.captions["accuracy"].text()
    assert "uneven" in panel.captions["accuracy"].text() and "uneven" in panel.heading.text()
    panel.show_frame(Frame(replace(client.latest_snapshot, codes=comparison()), client.dataset))
    assert POORER in panel.captions["accuracy"].text()
    assert CHEAP in panel.captions["distances"].text()


def test_looking_back_shows_the_curves_until_the_step_viewed_and_says_the_rest_is_live(
    panel, trained
):
    # Before, the panel stayed live while every other panel showed the past step.
    client, _ = trained
    live = client.latest_snapshot.codes
    k = int(live.eval_steps[2]) + 1  # between two evaluations
    panel.show_frame(Frame(client.latest_snapshot, client.dataset, viewing_step=k))
    x, y = panel.accuracy.code_curve.getData()
    np.testing.assert_array_equal(x, live.eval_steps[:3])
    np.testing.assert_array_equal(y, live.code_accuracy[:3])
    note = f"live (step {STEPS:,}), not step {k:,}"
    heading = panel.heading.text()
    assert f"Looking back at step {k:,}" in heading and note in heading
    assert percent(live.code_accuracy[2]) in heading
    assert percent(live.softmax_accuracy[2]) in heading
    assert percent(live.code_accuracy[2]) in panel.captions["accuracy"].text()
    for name in ("distances", "confusion"):
        assert note in panel.titles[name].text()
        assert panel.captions[name].text().startswith(note.capitalize())
    # The distances and confusion are still the last evaluation's (all that is held).
    np.testing.assert_allclose(panel.distances.bars["code model errors"].opts["height"],
                               live.code_error_shares[1:])  # fmt: skip
    # Back to live: all of it, no note.
    panel.show_frame(Frame(client.latest_snapshot, client.dataset))
    x, _ = panel.accuracy.code_curve.getData()
    np.testing.assert_array_equal(x, live.eval_steps)
    assert "live (" not in panel.heading.text() and "live (" not in panel.titles["confusion"].text()
    # Viewing the step of the last evaluation, or later: everything is that step's.
    panel.show_frame(Frame(client.latest_snapshot, client.dataset, viewing_step=STEPS))
    assert "Looking back" not in panel.heading.text()


def test_each_bars_share_is_written_above_the_bars_of_its_distance(panel, trained):
    # It was written just above the code model's bar, over the taller bars beside it.
    from tests.gui.test_codes_sentences import comparison

    client, _ = trained
    codes = comparison(code_distances=(7000, 1500, 750, 600, 150))  # 25 % at 2: pairs 40 %
    panel.show_frame(Frame(replace(client.latest_snapshot, codes=codes), client.dataset))
    QApplication.processEvents()
    bars = panel.distances
    tallest = np.max([codes.softmax_error_shares, codes.code_error_shares, codes.pair_shares],
                     axis=0)[1:]  # fmt: skip
    top = bars.plot.vb.viewRange()[1][1]
    for label, group in zip(bars.code_labels, tallest, strict=True):
        box = label.mapRectToView(label.boundingRect())
        assert min(box.top(), box.bottom()) >= group  # above every bar of its distance
        assert max(box.top(), box.bottom()) <= top + 1e-9  # and inside the plot
