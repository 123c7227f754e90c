"""Small input widgets the panels share."""

from __future__ import annotations

import math
import re

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QDoubleSpinBox, QHBoxLayout, QSlider, QWidget

#: What can still become a number while it is typed: digits, a point, an exponent, a sign.
_PARTIAL_NUMBER = re.compile(r"[-+]?\d*\.?\d*(?:[eE][-+]?\d*)?")


class LogSpinBox(QDoubleSpinBox):
    """A spin box whose arrows multiply or divide by a constant factor (a log scale).

    It shows values without trailing zeros (0.126, 1000, 0.0001), accepts typed exponents
    (1e-3), and a typed value outside the range is moved into it visibly: `clamped(typed,
    used)` is emitted so the owner can say so, instead of Qt refusing the keystroke.
    """

    clamped = Signal(float, float)

    def __init__(self, minimum: float, maximum: float, steps_per_decade: int = 10, parent=None):
        super().__init__(parent)
        self.setDecimals(max(0, -math.floor(math.log10(minimum))) + 1)
        self.setRange(minimum, maximum)
        self._factor = 10 ** (1 / steps_per_decade)
        # The widest value the arrows reach (3 significant digits, at the smallest decade).
        self._widest = self.textFromValue(float(f"{minimum * 1.26:.3g}"))

    def textFromValue(self, value: float) -> str:  # noqa: N802 - Qt's name
        text = f"{value:.{self.decimals()}f}"
        return text.rstrip("0").rstrip(".") if "." in text else text

    def valueFromText(self, text: str) -> float:  # noqa: N802 - Qt's name
        try:
            return float(text.strip())
        except ValueError:
            return self.value()

    def validate(self, text: str, pos: int):
        typed = text.strip()
        if not _PARTIAL_NUMBER.fullmatch(typed):
            return QValidator.State.Invalid, text, pos
        try:
            value = float(typed)
        except ValueError:  # "", "-", "1e": on the way to a number
            return QValidator.State.Intermediate, text, pos
        if self.minimum() <= value <= self.maximum():
            return QValidator.State.Acceptable, text, pos
        return QValidator.State.Intermediate, text, pos  # fixup() clamps it, and says so

    def fixup(self, text: str) -> str:
        try:
            value = float(text.strip())
        except ValueError:
            return text  # not a number: Qt puts the last value back
        if not math.isfinite(value):
            return text
        used = min(max(value, self.minimum()), self.maximum())
        if used != value:
            self.clamped.emit(value, used)
        return self.textFromValue(used)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return self._widen(super().sizeHint())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return self._widen(super().minimumSizeHint())

    def _widen(self, hint: QSize) -> QSize:
        # Qt sizes the box for the minimum and maximum only; "0.00013" is wider than both.
        metrics = self.fontMetrics()
        ends = (self.textFromValue(self.minimum()), self.textFromValue(self.maximum()))
        extra = metrics.horizontalAdvance(self._widest) - max(map(metrics.horizontalAdvance, ends))
        return QSize(hint.width() + max(0, extra), hint.height())

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
