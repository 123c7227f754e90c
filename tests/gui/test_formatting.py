"""Numbers stay short whatever their size (issue 9, item 5)."""

import pytest

from gui.formatting import compact, percent


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.3255, "0.3255"),
        (2.302585, "2.303"),
        (12.5, "12.50"),
        (1234.5, "1234"),
        (0.0, "0"),
        (0.001234, "0.001234"),
        (7.02e73, "7.0e+73"),
        (-3.1e-7, "-3.1e-07"),
        (1e308 * 10, "inf"),
        (float("nan"), "nan"),
    ],
)
def test_compact(value, text):
    assert compact(value) == text


def test_compact_never_grows_long():
    for exponent in range(-300, 308, 7):
        for value in (10.0**exponent, -(10.0**exponent), 3.7 * 10.0**exponent):
            assert len(compact(value)) <= 10, value


def test_percent():
    assert percent(0.888) == "88.8%" and percent(float("nan")) == "-"
