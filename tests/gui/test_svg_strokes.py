"""Scaled groups of fixed-width strokes worked into their shapes' coordinates, by hand."""

import xml.etree.ElementTree as ET

import pytest

from gui.svg_strokes import bake_non_scaling_strokes

NS = "{http://www.w3.org/2000/svg}"
HEAD = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'


def baked(body: str) -> ET.Element:
    return ET.fromstring(bake_non_scaling_strokes(f"{HEAD}{body}</svg>".encode()))


def numbers(text: str) -> list[float]:
    return [float(v) for v in text.replace(",", " ").split() if v not in "MLCQZ"]


def test_a_scaled_group_is_worked_into_its_shapes():
    # x' = 10 x + 100, y' = -5 y + 50: a plot's data coordinates, y up.
    root = baked(
        '<g stroke-width="3" transform="matrix(10,0,0,-5,100,50)">'
        '<rect vector-effect="non-scaling-stroke" x="1" y="2" width="3" height="4"/>'
        '<path vector-effect="non-scaling-stroke" d="M0,0 L1,1 C2,0 3,0 4,2 Z "/>'
        '<polyline vector-effect="non-scaling-stroke" points="0,0 1,2"/>'
        '<ellipse vector-effect="non-scaling-stroke" cx="1" cy="1" rx="0.5" ry="2"/>'
        '<line vector-effect="non-scaling-stroke" x1="0" y1="0" x2="2" y2="1"/>'
        "</g>"
    )
    group = root.find(f"{NS}g")
    assert "transform" not in group.attrib and group.get("stroke-width") == "3"
    rect, path, polyline, ellipse, line = list(group)
    # Corners (1, 2) -> (110, 40) and (4, 6) -> (140, 20).
    assert [rect.get(k) for k in ("x", "y", "width", "height")] == ["110", "20", "30", "20"]
    assert path.get("d").split()[0] == "M" and path.get("d").split()[-1] == "Z"
    assert numbers(path.get("d")) == [100, 50, 110, 45, 120, 50, 130, 50, 140, 40]
    assert numbers(polyline.get("points")) == [100, 50, 110, 40]
    assert [ellipse.get(k) for k in ("cx", "cy", "rx", "ry")] == ["110", "45", "5", "10"]
    assert [line.get(k) for k in ("x1", "y1", "x2", "y2")] == ["100", "50", "120", "45"]
    assert not any(shape.get("vector-effect") for shape in group)


@pytest.mark.parametrize(
    "shape",
    [
        '<text x="0" y="0">a label</text>',  # text is no stroke to fix: the group keeps all
        '<path vector-effect="non-scaling-stroke" d="M0,0 A1,1 0 0 1 2,2"/>',  # arcs: not read
        '<rect vector-effect="non-scaling-stroke" x="0" y="0" width="1" height="1" rx="1"/>',
    ],
)
def test_a_group_with_anything_else_is_left_as_it_was(shape):
    body = (
        '<g transform="matrix(10,0,0,10,0,0)">'
        '<path vector-effect="non-scaling-stroke" d="M0,0 L1,1"/>'
        f"{shape}</g>"
    )
    group = baked(body).find(f"{NS}g")
    assert group.get("transform") == "matrix(10,0,0,10,0,0)"
    assert group.find(f"{NS}path").get("d") == "M0,0 L1,1"


def test_a_circle_under_rotation_and_groups_without_fixed_strokes_are_untouched():
    root = baked(
        '<g transform="matrix(0,1,-1,0,0,0)">'
        '<circle vector-effect="non-scaling-stroke" cx="1" cy="1" r="1"/></g>'
        '<g transform="matrix(2,0,0,2,0,0)"><rect x="0" y="0" width="1" height="1"/></g>'
    )
    first, second = root.findall(f"{NS}g")
    assert first.get("transform") and first.find(f"{NS}circle").get("r") == "1"
    assert second.get("transform") and second.find(f"{NS}rect").get("width") == "1"
