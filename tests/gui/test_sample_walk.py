"""SampleSelection's walk (a set of samples Previous and Next stay inside) alone, and as the
sample inspector shows it: the note, its Leave button, and every other way of leaving."""

import pytest
from PySide6.QtCore import Qt

from gui.frame import Frame
from gui.panels.sample_panel import SamplePanel
from gui.selection import SampleSelection
from model import TrainingRun, load_dataset

CELL = [40, 7, 23, 90]  # given unsorted: the walk goes in test-set order


# ---------------------------------------------------------------- the model alone
def test_a_walk_selects_its_first_sample_and_steps_inside_it_wrapping_around(qtbot):
    selection = SampleSelection(100, index=5)
    with qtbot.waitSignals([selection.changed, selection.walk_changed]):
        selection.set_walk(CELL, "true 8 → predicted 4", "its samples at step 300")
    assert selection.index == 7 and selection.walk_position == 0
    assert list(selection.walk.indices) == [7, 23, 40, 90] and len(selection.walk) == 4
    visited = []
    for _ in range(5):
        selection.step(+1)
        visited.append(selection.index)
    assert visited == [23, 40, 90, 7, 23]
    selection.step(-1)
    selection.step(-1)
    assert selection.index == 90 and selection.walk_position == 3


def test_without_a_walk_step_moves_to_the_neighbour_and_stops_at_the_ends():
    selection = SampleSelection(10, index=8)
    selection.step(+1)
    selection.step(+1)
    assert selection.index == 9
    selection.set_index(0)
    selection.step(-1)
    assert selection.index == 0


@pytest.mark.parametrize("leave", ["clear_walk", "set_index", "set_index_same", "new_dataset"])
def test_every_other_choice_of_sample_leaves_the_walk(qtbot, leave):
    selection = SampleSelection(100)
    selection.set_walk(CELL, "cell")
    with qtbot.waitSignal(selection.walk_changed):
        if leave == "clear_walk":
            selection.clear_walk()
        elif leave == "set_index":
            selection.set_index(55)  # an index typed, Random, Next misclassified
        elif leave == "set_index_same":
            selection.set_index(selection.index)  # chosen, even if it is where we are
        else:
            selection.set_n_samples(50)
    assert selection.walk is None and selection.walk_position is None
    selection.step(+1)  # the neighbour again, not the walk's next
    assert selection.index == (56 if leave == "set_index" else 8)


def test_a_walk_needs_samples_that_exist():
    selection = SampleSelection(10)
    with pytest.raises(ValueError, match="at least one"):
        selection.set_walk([], "empty cell")
    with pytest.raises(ValueError, match="0..9"):
        selection.set_walk([3, 10], "too far")
    assert selection.walk is None


# ---------------------------------------------------------------- in the sample inspector
@pytest.fixture
def inspector(qtbot):
    dataset = load_dataset("digits")
    snapshot = TrainingRun(dataset, random_state=0).snapshot()
    selection = SampleSelection(dataset.n_test)
    panel = SamplePanel(selection)
    qtbot.addWidget(panel)
    panel.set_dataset(dataset)
    panel.resize(360, 700)
    panel.show()
    qtbot.waitExposed(panel)
    panel.show_frame(Frame(snapshot, dataset, selection.index))
    return panel, selection


def click(qtbot, button):
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_the_inspector_shows_the_walk_and_its_buttons_stay_inside_it(qtbot, inspector):
    panel, selection = inspector
    navigation = panel.navigation
    note = navigation.walk_note
    assert not note.isVisible()
    selection.set_walk(CELL, "true 8 → predicted 4", "its samples at step 300")
    assert note.isVisible()
    assert note.label.text() == "in cell true 8 → predicted 4 (1 of 4; its samples at step 300)"
    assert "when it was clicked" in note.label.toolTip()
    click(qtbot, navigation.next_button)
    click(qtbot, navigation.next_button)
    assert selection.index == 40 and navigation.index_spin.value() == 40
    assert note.label.text().startswith("in cell true 8 → predicted 4 (3 of 4")
    click(qtbot, navigation.previous_button)
    click(qtbot, navigation.previous_button)
    click(qtbot, navigation.previous_button)
    assert selection.index == 90  # wrapped round to the last of the cell
    assert "in the cell" in navigation.next_button.toolTip()
    click(qtbot, note.leave_button)
    assert selection.walk is None and not note.isVisible()
    click(qtbot, navigation.next_button)
    assert selection.index == 91
    assert "in the cell" not in navigation.next_button.toolTip()


@pytest.mark.parametrize("how", ["typed", "random", "misclassified"])
def test_typing_an_index_random_or_next_misclassified_leaves_the_cell(qtbot, inspector, how):
    panel, selection = inspector
    navigation = panel.navigation
    selection.set_walk(CELL, "cell")
    if how == "typed":
        navigation.index_spin.setValue(12)
    elif how == "random":
        click(qtbot, navigation.random_button)
    else:
        click(qtbot, navigation.misclassified_button)
    assert selection.walk is None and not navigation.walk_note.isVisible()


def test_a_drawing_and_a_walk_make_way_for_each_other(qtbot):
    """Merged from two panels at once: a drawing is no sample of a confusion-matrix cell, and
    choosing a cell's sample (or stepping) leaves the drawing."""
    import numpy as np

    selection = SampleSelection(100)
    selection.set_walk([10, 20, 30], "true 8 → predicted 4")
    selection.set_drawn(np.zeros(64), label=3)
    assert selection.walk is None and selection.drawn is not None
    selection.set_walk([10, 20, 30], "true 8 → predicted 4")
    assert selection.drawn is None and selection.index == 10
    selection.set_drawn(np.zeros(64))
    selection.step(+1)
    assert selection.drawn is None and selection.walk is None and selection.index == 11
