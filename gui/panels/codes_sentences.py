"""The Codes vs softmax panel's sentences, written from the comparison's numbers (no Qt here).

A sentence states the sheet's conclusion only when the numbers shown support it: the code model
clearly behind the softmax (a code is a poorer target); the share of its errors one bit off
clearly above both the share of digit pairs one bit apart and the softmax's (training pulls
mistakes to cheap codes). Otherwise it says what is seen and what to watch for. A code model
that started later than the softmax (a run loaded from a file) is not judged against it: the
comparison is uneven.
"""

from __future__ import annotations

import math

from gui.formatting import percent
from model import CodesComparison

#: The code model's own steps before a verdict (the softmax and the code model are close for
#: the first hundred steps or so on mnist and digits).
STEPS_TO_JUDGE = 200
#: Errors of the code model on the test set before their distances are read as a pattern.
ERRORS_TO_JUDGE = 50
#: "Clearly behind": the softmax's test accuracy at least this much higher.
ACCURACY_GAP = 0.03
#: "Clearly above": the share of errors 1 bit off at least this much above the pairs' share and
#: the softmax's.
DISTANCE_MARGIN = 0.10
INVALID_COLUMN = "✗"
TOO_EARLY = "Too early to tell: train a few hundred steps"


def trained_steps(codes: CodesComparison) -> int:
    """The code model's own steps at its last evaluation."""
    return codes.step - codes.start_step


def uneven(codes: CodesComparison) -> bool:
    """The code model started later than the softmax (a run loaded from a file)."""
    return codes.start_step > 0


def early(codes: CodesComparison) -> bool:
    return trained_steps(codes) < STEPS_TO_JUDGE


def code_errors(codes: CodesComparison) -> int:
    return int(codes.code_distances[1:].sum())


def pulls_to_cheap_codes(codes: CodesComparison) -> bool:
    """The code model's errors gather at distance 1, clearly more than chance and the softmax."""
    if early(codes) or code_errors(codes) < ERRORS_TO_JUDGE:
        return False
    share = codes.code_error_shares[1]
    return (share >= codes.pair_shares[1] + DISTANCE_MARGIN
            and share >= codes.softmax_error_shares[1] + DISTANCE_MARGIN)  # fmt: skip


def accuracy_sentence(codes: CodesComparison) -> str:
    code, softmax = codes.last_code_accuracy, codes.last_softmax_accuracy
    if uneven(codes):
        return (f"The code model reaches {percent(code)} after {trained_steps(codes):,} steps of "
                f"its own, the softmax {percent(softmax)} after {codes.step:,}: the comparison "
                "is uneven (the code model started with the loaded run); start a new run to "
                "compare the two.")
    said = f"The code model reaches {percent(code)}, the softmax {percent(softmax)}"
    if early(codes):
        return f"{said} after {codes.step:,} steps. {TOO_EARLY} and watch which falls behind."
    gap = softmax - code
    if gap >= ACCURACY_GAP:
        return f"{said}: a code is a poorer target."
    if gap <= -ACCURACY_GAP:
        return (f"{said}: here the code model is ahead, not what the sheet predicts; watch "
                "whether it stays ahead as training goes on.")
    return f"{said}: level so far; watch whether a gap opens as training goes on."


def distances_sentence(codes: CodesComparison) -> str:
    share, pairs = codes.code_error_shares[1], codes.pair_shares[1]
    softmax = codes.softmax_error_shares[1]
    errors = code_errors(codes)
    said = (f"{percent(share)} of the code model's errors are 1 bit off, against "
            f"{percent(pairs)} of all pairs (softmax {percent(softmax)})")  # fmt: skip
    if codes.softmax_step != codes.step:
        said += f"; the softmax's errors are from step {codes.softmax_step:,}"
    if errors == 0:
        return "The code model makes no errors on the test set yet: nothing to count."
    if early(codes) or errors < ERRORS_TO_JUDGE:
        return f"{said}. {TOO_EARLY} and watch whether the code model's share climbs above both."
    if pulls_to_cheap_codes(codes):
        verdict = "training pulls mistakes to cheap codes"
        if uneven(codes) or codes.softmax_step != codes.step:
            verdict += " (beside a softmax trained longer: uneven)"
        return f"{said}: {verdict}."
    if share < pairs + DISTANCE_MARGIN:
        return (f"{said}: no more than errors spread evenly over the digits would give; watch "
                "whether the code model's share climbs as training goes on.")
    return (f"{said}: above the pairs' share, but not clearly above the softmax's; not yet a "
            "sign of the squared error.")


def confusion_sentence(codes: CodesComparison) -> str:
    if code_errors(codes) == 0:
        return "Outlined: the cells where a mistake costs 1; no mistakes yet."
    if pulls_to_cheap_codes(codes):
        said = "Its mistakes gather in the outlined cells (cost 1)"
    else:
        said = ("Outlined: the cells where a mistake costs 1; watch whether its mistakes "
                "gather there")
    if 2**codes.n_bits <= codes.n_classes:
        return f"{said}: every output is some class's code, so no error shows."
    invalid = codes.invalid_error_share
    if not math.isfinite(invalid):
        return f"{said}."
    few = "Only " if invalid < 0.5 else ""
    rest = (": the rest are silent, the valid code of a wrong class (sheet 2.1)"
            if invalid < 1 else "")  # fmt: skip
    share = f"{few}{percent(invalid)} of its mistakes are invalid codes ({INVALID_COLUMN})"
    return f"{said}. {share}{rest}."


def sentences(codes: CodesComparison) -> dict[str, str]:
    """The captions of the accuracy, distances and confusion figures."""
    return {
        "accuracy": accuracy_sentence(codes),
        "distances": distances_sentence(codes),
        "confusion": confusion_sentence(codes),
    }
