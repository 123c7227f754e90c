"""What am I looking at?: a help text for every panel, its "?" and F1, readable in presentation
mode."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractButton, QApplication

from gui import panel_help
from gui.panel_help import help_for, help_texts, panel_at
from gui.panel_table import PANELS
from tests.gui.clients import module_window


@pytest.fixture(scope="module")
def window(qapp):
    with module_window(size=(1600, 1000)) as window:
        window._arrange_default_layout()
        QApplication.processEvents()
        yield window


@pytest.fixture(autouse=True)
def _card_closed(window):
    yield
    window.help.card.hide()
    window.banner_bar.banner.dismiss()


def test_every_panel_has_three_to_six_sentences_and_a_formula():
    texts = help_texts()
    assert set(texts) == {row.object_name for row in PANELS}  # none missing, none stale
    for name, help_ in texts.items():
        assert 3 <= len(help_.sentences()) <= 6, (name, help_.sentences())
        assert re.search("=|←", help_.formula), name
        assert all(len(line) <= 60 for line in help_.formula.split("\n")), name


def test_sentences_are_counted_as_a_reader_would():
    help_ = panel_help.PanelHelp("One at p = 0.5 here. Two (a_i) there! Three? Yes.", "x = 1")
    assert help_.sentences() == ["One at p = 0.5 here.", "Two (a_i) there!", "Three?", "Yes."]


def test_each_question_mark_shows_its_panels_help(window, qtbot):
    assert set(window.help.buttons) == {row.object_name for row in PANELS}
    for name, button in window.help.buttons.items():
        dock = window.docks[name]
        dock.show()
        dock.raise_()
        QApplication.processEvents()
        panel = dock.widget()
        if name == "TrainingControlsPanel":  # the strip has no title bar: end of the menu bar
            assert window.menuBar().cornerWidget(Qt.Corner.TopRightCorner) is button
        else:  # in the title bar, above the panel, left of the float button
            assert button.geometry().bottom() < panel.geometry().top() + 1
            float_button = dock.findChild(QAbstractButton, "qt_dockwidget_floatbutton")
            assert button.geometry().right() < float_button.geometry().left()
        assert button.isVisible()
        button.click()
        card = window.help.card
        assert card.isVisible() and card.panel is panel
        assert card.text.text() == help_for(panel).text
        assert card.formula.text() == help_for(panel).formula
        assert panel.title in card.title.text()
        # Nothing cut: the card is as tall as its text needs at its width.
        assert card.height() >= card.layout().totalHeightForWidth(card.width())
        card.hide()


def test_f1_shows_the_help_of_the_panel_under_the_mouse(window, qtbot, monkeypatch):
    panel = window.docks["WeightsPanel"].widget()
    window.docks["WeightsPanel"].raise_()
    QApplication.processEvents()
    centre = panel.mapToGlobal(QPoint(20, 20))  # on the (small) offscreen screen
    assert QApplication.primaryScreen().geometry().contains(centre)
    assert panel_at(centre) is panel
    monkeypatch.setattr(panel_help, "pointer", lambda: centre)
    window.activateWindow()  # again: the last card (a popup) took the activation with it
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_F1)
    assert window.help.card.isVisible() and window.help.card.panel is panel


def test_f1_over_no_panel_says_how_to_ask(window, monkeypatch):
    monkeypatch.setattr(panel_help, "pointer", lambda: QPoint(-5000, -5000))
    monkeypatch.setattr(QApplication, "focusWidget", staticmethod(lambda: None))
    window.help.show_for_pointer()
    assert not window.help.card.isVisible()
    banner = window.banner_bar.banner
    assert banner.kind == "info" and "press F1" in banner.text_label.text()


def test_readable_in_presentation_mode(window):
    window.presentation.set_active(True, full_screen=False)
    try:
        QApplication.processEvents()
        panel = window.docks["WeightsPanel"].widget()
        window.help.show_help(panel)
        size = QApplication.font().pointSizeF()
        assert size >= 18
        for label in (window.help.card.text, window.help.card.formula):
            assert label.font().pointSizeF() == size
        button = window.help.buttons["WeightsPanel"]
        assert button.height() >= button.fontMetrics().height()  # the "?" grew with the font
    finally:
        window.help.card.hide()
        window.presentation.set_active(False)
