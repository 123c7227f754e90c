"""What the binary output network makes of one sample, and of the test set, in words.

Pure functions (no Qt) so tests can feed them hand-made probability vectors. The cases follow
docs/math.md section 4: exactly one unit fires (right or wrong), none fires (d = 0...0
silently reads as class 0), several fire (d is a sum of codes: no valid code, or the code of
a class that did not fire).
"""

from __future__ import annotations

import numpy as np

from model import BinaryOutputNetwork, OutcomeFractions, format_code

#: One colour per outcome, shared by the verdict, the stats and the sweep curves. Dark enough to
#: read on white from the back of a room.
OUTCOME_COLORS = {
    "correct": "#1b7a2e",
    "wrong": "#c41e1e",
    "none": "#0063a6",
    "several": "#c77700",
}
#: Words for each outcome, as the legend and the stats say them.
OUTCOME_NAMES = {
    "correct": "decoded right",
    "wrong": "one fired, wrong",
    "none": "none fired",
    "several": "several fired",
}

KINDS = ("correct", "wrong", "none", "several")


def class_label(i: int, class_names) -> str:
    """Class i as a student reads it: '7' for digits, '2 = C' where names are not the indices."""
    name = str(class_names[i])
    return name if name == str(i) else f"{i} = {name}"


def _noun(class_names) -> str:
    digits = all(str(name) == str(i) for i, name in enumerate(class_names))
    return "digit" if digits and len(class_names) <= 10 else "class"


def _units(indices) -> str:
    """'units 3 and 5' or 'units 1, 2 and 4'."""
    names = [str(int(i)) for i in indices]
    return "units " + (", ".join(names[:-1]) + " and " + names[-1])


def msb_first(d) -> str:
    """A sum of codes, most significant component first like every code shown: '(0, 1, 1, 2)'."""
    return "(" + ", ".join(str(int(v)) for v in np.asarray(d).ravel()[::-1]) + ")"


def code_text(d, value: int, n_classes: int) -> str:
    """The output d in one line: 'd = 0111 (MSB first) = 7', or why it names no class."""
    d = np.asarray(d).ravel()
    if np.any(d >= 2):
        return f"d = {msb_first(d)} (MSB first): no valid code"
    code = format_code(d)
    if value >= n_classes:
        return f"d = {code} (MSB first) = {value}: no class has this code"
    return f"d = {code} (MSB first) = {value}"


def verdict(
    a, y: int, network: BinaryOutputNetwork, class_names, word: str = "true"
) -> tuple[str, str]:
    """(text, kind) for one sample: a (C probabilities), true class y, the network's threshold
    (`word`: what y is, "true" or, for a drawing, "intended").

    kind is one of "correct", "wrong", "none", "several".
    """
    decoding = network.decode(np.asarray(a, dtype=float))
    h, d = decoding.hidden[0], decoding.outputs[0]
    value, y = int(decoding.value[0]), int(y)
    fired = np.flatnonzero(h)

    def label(i):
        return class_label(int(i), class_names)

    if fired.size == 1:
        i = int(fired[0])
        if i == y:
            return f"decodes to {label(i)} (correct)", "correct"
        return f"decodes to {label(i)}, but the {word} class is {label(y)} (wrong)", "wrong"

    if fired.size == 0:
        zeros = format_code(d)
        if y == 0:
            return f"no unit fired: reads as {zeros} = {label(0)}: right only by accident", "none"
        return f"no unit fired: reads as {zeros} = {label(0)}, silently wrong", "none"

    units = _units(fired)
    if np.any(d >= 2):
        return f"{units} fired: d = {msb_first(d)} (MSB first) is no valid code", "several"
    code = format_code(d)
    if value >= network.n_classes:
        return f"{units} fired: d reads as {code} = {value}, a code no class has", "several"
    text = f"{units} fired: d reads as {code} = {label(value)}"
    if value in fired:
        # Unit 0's code is all zeros, so it adds nothing to the sum of codes.
        text += f" (unit 0 adds nothing: its code is {format_code(np.zeros_like(d))})"
    else:
        other = "a third" if fired.size == 2 else "another"  # a class that did not fire
        text += f", a valid code of {other} {_noun(class_names)}"
    if value == y:
        text += ": right only by accident"
    return text, "several"


def outcome_summary(
    outcomes: OutcomeFractions, n_samples: int, threshold: float, short: bool = False
) -> str:
    """Rich text: the four outcome fractions over the test set beside the argmax accuracy
    (`short`: without the preamble, for a compact panel; the sweep plot's axis says p)."""
    parts = {
        "correct": outcomes.correct,
        "wrong": outcomes.wrong,
        "none": outcomes.none_fired,
        "several": outcomes.several_fired,
    }
    def nobreak(words: str) -> str:  # an entry wraps as a whole, never inside
        return words.replace(" ", "&nbsp;")

    entries = "&nbsp;&nbsp; ".join(
        f"<span style='color:{OUTCOME_COLORS[k]}'>━━</span>&nbsp;{nobreak(OUTCOME_NAMES[k])}"
        f"&nbsp;<b>{parts[k]:.1%}</b>"
        for k in KINDS
    )
    # The same marks as the sweep plot's curves, so this line doubles as its legend.
    argmax = nobreak(f"vs. ╍╍ softmax argmax accuracy <b>{outcomes.argmax_accuracy:.1%}</b>")
    if short:
        argmax = nobreak(f"╍╍ argmax <b>{outcomes.argmax_accuracy:.1%}</b>")
        return f"<b>Test set:</b>&nbsp; {entries}&nbsp;&nbsp; {argmax}"
    return (
        f"<b>Test set ({n_samples:,} samples) at p = {threshold:.3f}:</b>&nbsp;&nbsp; {entries}"
        f"&nbsp;&nbsp; {argmax} (the upper bound)"
    )
