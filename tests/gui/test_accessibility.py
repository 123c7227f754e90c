"""Every control has an accessible name equal to its label (issue 9, item 4)."""

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QSlider,
)

from gui.main_window import MainWindow
from gui.panels.binary_output_panel import BinaryOutputPanel
from gui.panels.sample_panel import SamplePanel
from gui.plotting import configure_pyqtgraph
from tests.gui.clients import make_client


def test_every_control_has_an_accessible_name_and_form_labels_match(qtbot, tmp_path):
    configure_pyqtgraph()
    controller = make_client()
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    window = MainWindow(controller, settings)
    qtbot.addWidget(window)
    window.show()
    try:
        kinds = (QAbstractSpinBox, QSlider, QComboBox, QAbstractButton)
        controls = [
            w
            for w in window.findChildren(object)
            if isinstance(w, kinds) and not w.objectName().startswith("qt_")  # Qt's own
        ]
        assert len(controls) >= 15
        nameless = [
            f"{type(w).__name__} {getattr(w, 'text', lambda: '')()!r}"
            for w in controls
            if not w.accessibleName().strip()
        ]
        assert nameless == []
        labels = window.controls.labels
        for text, label in labels.items():
            assert label.text() == text and label.buddy().accessibleName() == text
        assert len(labels) == 6
        for button in (window.controls.play_button, window.controls.reset_button):
            assert button.accessibleName() == button.text()
        assert window.panel(BinaryOutputPanel).spin.accessibleName() == "Threshold p"
        assert window.panel(SamplePanel).navigation.index_spin.accessibleName() == "Test sample #"
        assert window.controls.learning_rate.spin.accessibleName() == "Learning rate"
    finally:
        window.close()
