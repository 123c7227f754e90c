"""Small input widgets the panels share."""

from __future__ import annotations

import math

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDoubleSpinBox, QHBoxLayout, QSlider, QWidget


class LogSpinBox(QDoubleSpinBox):
    """A spin box whose arrows multiply or divide by a constant factor (a log scale)."""

    def __init__(self, minimum: float, maximum: float, steps_per_decade: int = 10, parent=None):
        super().__init__(parent)
        self.setDecimals(max(0, -math.floor(math.log10(minimum))) + 1)
        self.setRange(minimum, maximum)
        self._factor = 10 ** (1 / steps_per_decade)

    def stepBy(self, steps: int) -> None:  # noqa: N802 - Qt's name
        value = self.value() * self._factor**steps
        # Round to 3 significant digits so the arrows land on readable values (0.1, 0.126, ...).
        value = float(f"{value:.3g}")
        self.setValue(min(max(value, self.minimum()), self.maximum()))


class LogSlider(QWidget):
    """A log-scale slider with a LogSpinBox beside it, kept in sync; emits value_changed."""

    value_changed = Signal(float)

    def __init__(self, minimum: float, maximum: float, value: float, parent=None):
        super().__init__(parent)
        self._log_min, self._log_max = math.log10(minimum), math.log10(maximum)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, 1000)
        self.spin = LogSpinBox(minimum, maximum)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.spin)
        self.spin.setValue(value)
        self.slider.setValue(self._to_slider(value))
        self.slider.valueChanged.connect(self._slider_moved)
        self.spin.valueChanged.connect(self._spin_changed)

    def value(self) -> float:
        return self.spin.value()

    def setValue(self, value: float) -> None:  # noqa: N802 - reads like Qt's widgets
        self.spin.setValue(value)

    def setToolTip(self, text: str) -> None:  # noqa: N802
        super().setToolTip(text)
        self.slider.setToolTip(text)
        self.spin.setToolTip(text)

    def _to_slider(self, value: float) -> int:
        frac = (math.log10(value) - self._log_min) / (self._log_max - self._log_min)
        return round(1000 * min(max(frac, 0.0), 1.0))

    def _slider_moved(self, position: int) -> None:
        value = 10 ** (self._log_min + position / 1000 * (self._log_max - self._log_min))
        self.spin.setValue(float(f"{value:.3g}"))

    def _spin_changed(self, value: float) -> None:
        self.slider.blockSignals(True)  # the slider follows; it must not round the value back
        self.slider.setValue(self._to_slider(value))
        self.slider.blockSignals(False)
        self.value_changed.emit(value)
