"""The settings of a training run, their allowed ranges, and one way to check any value of them.

One table (`SETTINGS`) is the truth for every place a value enters: the command line, the saved
settings, the controls' ranges and the training process. `check_setting(name, raw)` turns a raw
value (a string from a file, a float from a widget) into the setting's type, or raises
`SettingError` saying what is wrong and what is allowed, so an absurd value is refused the same
way wherever it comes from. Pure Python (no Qt, no NumPy needed).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields, replace

__all__ = [
    "SETTINGS",
    "SPEEDS",
    "DEFAULT_SPEED_INDEX",
    "RunSettings",
    "SettingError",
    "SettingRange",
    "check_setting",
    "checked_or_default",
    "clamped",
]

#: Steps per second for each position of the speed control; None is "as fast as possible".
SPEEDS: tuple[float | None, ...] = (1, 2, 5, 10, 20, 50, 100, 300, 1000, None)
#: 50 steps/s: the first epoch of mnist (250 steps at batch 32) takes 5 s and is drawn in
#: about 150 distinct frames at 30 frames a second, so a class sees the templates form (at
#: full speed the epoch is over in about a second).
DEFAULT_SPEED_INDEX = SPEEDS.index(50)


#: The input scalings a run may use (model/datasets/scaling.py says what each does; this module
#: stays free of NumPy, so the names are repeated here and a test checks they agree).
INPUT_SCALE_NAMES = ("unit", "raw")


class SettingError(ValueError):
    """A setting's value is of the wrong type or outside its range; the message says which."""


@dataclass(frozen=True)
class SettingRange:
    """An allowed interval [low, high] of a number; `kind` is int or float."""

    kind: type
    low: float
    high: float
    default: float
    what: str

    def check(self, name: str, raw) -> float | int:
        if isinstance(raw, bool):
            raise SettingError(f"{name} must be a number, got {raw!r}")
        try:
            value = float(raw) if not isinstance(raw, int) else raw
        except (TypeError, ValueError):
            raise SettingError(f"{name} must be a number ({self.what}), got {raw!r}") from None
        if isinstance(value, float) and not math.isfinite(value):
            raise SettingError(f"{name} must be a finite number ({self.what}), got {raw!r}")
        if self.kind is int:
            if isinstance(value, float) and not value.is_integer():
                raise SettingError(f"{name} must be a whole number ({self.what}), got {raw!r}")
            value = int(value)
        if not self.low <= value <= self.high:
            raise SettingError(f"{name} must lie in {self.what}, got {raw!r}")
        return self.kind(value)


#: Every setting a run has, with the range every input path enforces.
SETTINGS: dict[str, SettingRange] = {
    # Up to 1000: cross-entropy's gradient is bounded, so even 10 trains mnist fine; from about
    # 100 the loss curve is visibly wild and with any L2 (lr * alpha > 2) the weights blow up.
    "learning_rate": SettingRange(float, 1e-4, 1000.0, 0.1, "1e-4 .. 1000"),
    # The dataset caps it further (at most its training-set size: full-batch descent).
    "batch_size": SettingRange(int, 1, 1_000_000, 32, "1 .. the training-set size"),
    "seed": SettingRange(int, 0, 2**31 - 1, 0, "0 .. 2147483647"),
    "alpha": SettingRange(float, 0.0, 1.0, 0.0, "0 .. 1"),
    "threshold": SettingRange(float, 0.0, 1.0, 0.5, "0 .. 1"),
    "speed_index": SettingRange(
        int, 0, len(SPEEDS) - 1, DEFAULT_SPEED_INDEX, f"0 .. {len(SPEEDS) - 1}"
    ),
}


def check_setting(name: str, raw):
    """`raw` as the checked value of setting `name`; raises SettingError if it is not allowed."""
    return SETTINGS[name].check(name, raw)


def checked_or_default(name: str, raw, source: str = "saved") -> tuple[float | int, str | None]:
    """`raw` checked, or the setting's default and a one-line note saying what was refused.

    For values that must not stop the app (saved settings): the note names the setting, the
    refused value and the default used instead; it is None when `raw` is allowed.
    """
    try:
        return check_setting(name, raw), None
    except SettingError as error:
        default = SETTINGS[name].default
        return default, f"{source} {name} ignored ({error}); using the default {default:g}"


def clamped(name: str, value: float, what: str | None = None) -> tuple[float, str | None]:
    """`value` moved into the range of setting `name`, and a note for the user if it moved.

    `what` is the name the user sees ("learning rate"); the note reads "learning rate 5000 is
    above the maximum 1000; using 1000".
    """
    allowed = SETTINGS[name]
    what = what or name.replace("_", " ")
    if value > allowed.high:
        return (
            allowed.high,
            f"{what} {value:g} is above the maximum {allowed.high:g}; using {allowed.high:g}",
        )
    if value < allowed.low:
        return (
            allowed.low,
            f"{what} {value:g} is below the minimum {allowed.low:g}; using {allowed.low:g}",
        )
    return value, None


@dataclass(frozen=True)
class RunSettings:
    """What a training run is made from. dataset: a built-in name or a file path.

    `model` names the classifier ("softmax", the sheet's; kept as a field so a second kind of
    model can be asked for by the same messages). `input_scale` names how X is scaled before
    training ("unit": pixels / 255 into [0, 1]; "raw": the 0-255 pixel values, lesson 3's
    classic mistake; see model/datasets/scaling.py).
    """

    dataset: str = "mnist"
    learning_rate: float = 0.1
    batch_size: int = 32
    seed: int = 0
    alpha: float = 0.0
    model: str = "softmax"
    input_scale: str = "unit"

    def checked(self) -> RunSettings:
        """A copy with every number checked against SETTINGS (raises SettingError)."""
        values = {
            f.name: check_setting(f.name, getattr(self, f.name))
            for f in fields(self)
            if f.name in SETTINGS
        }
        if self.model != "softmax":
            raise SettingError(f"model must be 'softmax', got {self.model!r}")
        if self.input_scale not in INPUT_SCALE_NAMES:
            raise SettingError(
                f"input_scale must be one of {list(INPUT_SCALE_NAMES)}, got {self.input_scale!r}"
            )
        return replace(self, **values)

    def with_(self, **changes) -> RunSettings:
        """A copy with `changes`, checked."""
        return replace(self, **changes).checked()
