"""Plot lines in an SVG that draw the same in every program, not only in browsers.

A plot's items are painted in data coordinates with pens of a fixed width on screen, and Qt's
SVG generator writes that as a scaled group (transform="matrix(22.8,0,0,22.8,...)") whose
shapes carry vector-effect="non-scaling-stroke". Programs without that SVG 1.2 feature (cairo,
librsvg before 2.52, slide programs) scale the 3 px outline of a row of J to a 68 px black bar.
Here the group's transform is worked into the coordinates of its shapes, so a stroke width
means pixels with or without vector-effect (what pyqtgraph's SVGExporter meant to do in
correctCoordinates, which fails on Qt 6's "Z" path commands, pyqtgraph issue 3485).

Only groups made entirely of shapes this module can rewrite are changed: paths of absolute
M, L, C, Q and Z commands, rects, lines, polylines, polygons, and circles and ellipses under
a transform without rotation. Anything else keeps its transform (and draws as before).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
NON_SCALING = "non-scaling-stroke"

_MATRIX = re.compile(r"^\s*matrix\(([^)]*)\)\s*$")
_PATH_TOKEN = re.compile(r"[A-Za-z]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


class Affine:
    """x' = a x + c y + e, y' = b x + d y + f (SVG's matrix(a, b, c, d, e, f))."""

    def __init__(self, a: float, b: float, c: float, d: float, e: float, f: float):
        self.a, self.b, self.c, self.d, self.e, self.f = a, b, c, d, e, f

    def __call__(self, x: float, y: float) -> tuple[float, float]:
        return self.a * x + self.c * y + self.e, self.b * x + self.d * y + self.f

    @property
    def rotates(self) -> bool:
        return self.b != 0 or self.c != 0


def _fmt(value: float) -> str:
    return format(value, ".7g")


def _pairs(numbers: list[float]) -> list[tuple[float, float]]:
    return list(zip(numbers[::2], numbers[1::2], strict=True))


def _mapped(m: Affine, numbers: list[float]) -> list[str]:
    """Pairs of numbers as points mapped by `m`, written "x,y"."""
    return [f"{_fmt(x)},{_fmt(y)}" for x, y in (m(*p) for p in _pairs(numbers))]


def _points(m: Affine, text: str) -> str:
    return " ".join(_mapped(m, [float(v) for v in _NUMBER.findall(text)]))


def _path(m: Affine, d: str) -> str | None:
    """The path data `d` with every point mapped by `m`; None if it uses other commands."""
    out, numbers, command = [], [], None

    def flush() -> bool:
        if len(numbers) % 2:
            return False
        out.extend(_mapped(m, numbers))
        numbers.clear()
        return True

    for token in _PATH_TOKEN.findall(d):
        if token.isalpha():
            if token not in "MLCQZ" or not flush():
                return None
            command = token
            out.append(token)
        elif command is None or command == "Z":
            return None
        else:
            numbers.append(float(token))
    return " ".join(out) if flush() else None


def _baked(m: Affine, shape: ET.Element) -> dict[str, str] | None:
    """The attributes that draw `shape` in its group's parent coordinates, or None."""
    tag, get = shape.tag.removeprefix(f"{{{SVG}}}"), shape.get
    try:
        if tag == "path":
            d = _path(m, get("d", ""))
            return None if d is None else {"d": d}
        if tag in ("polyline", "polygon"):
            return {"points": _points(m, get("points", ""))}
        if tag == "line":
            x1, y1 = m(float(get("x1", 0)), float(get("y1", 0)))
            x2, y2 = m(float(get("x2", 0)), float(get("y2", 0)))
            return {"x1": _fmt(x1), "y1": _fmt(y1), "x2": _fmt(x2), "y2": _fmt(y2)}
        if tag == "rect" and not m.rotates and not get("rx") and not get("ry"):
            x, y = float(get("x", 0)), float(get("y", 0))
            (x1, y1), (x2, y2) = m(x, y), m(x + float(get("width")), y + float(get("height")))
            return {"x": _fmt(min(x1, x2)), "y": _fmt(min(y1, y2)),
                    "width": _fmt(abs(x2 - x1)), "height": _fmt(abs(y2 - y1))}  # fmt: skip
        if tag in ("circle", "ellipse") and not m.rotates:
            rx = float(get("rx") or get("r"))
            ry = float(get("ry") or get("r"))
            cx, cy = m(float(get("cx", 0)), float(get("cy", 0)))
            return {"cx": _fmt(cx), "cy": _fmt(cy), "rx": _fmt(abs(m.a) * rx),
                    "ry": _fmt(abs(m.d) * ry), "__tag__": "ellipse"}  # fmt: skip
    except (TypeError, ValueError):  # a missing or unreadable number: leave it as it is
        return None
    return None


def _matrix(group: ET.Element) -> Affine | None:
    match = _MATRIX.match(group.get("transform", ""))
    if match is None:
        return None
    values = [float(v) for v in _NUMBER.findall(match.group(1))]
    return Affine(*values) if len(values) == 6 else None


def bake_non_scaling_strokes(svg: bytes) -> bytes:
    """`svg` (as Qt's generator writes it) with scaled groups of fixed-width strokes worked
    into their shapes' coordinates; see the module."""
    ET.register_namespace("", SVG)
    ET.register_namespace("xlink", XLINK)
    root = ET.fromstring(svg)
    for group in root.iter(f"{{{SVG}}}g"):
        m = _matrix(group)
        shapes = list(group)
        if m is None or not any(s.get("vector-effect") == NON_SCALING for s in shapes):
            continue
        baked = [_baked(m, shape) for shape in shapes]
        if any(b is None for b in baked) or any(len(s) for s in shapes):
            continue  # something here cannot be rewritten: the group keeps its transform
        for shape, attributes in zip(shapes, baked, strict=True):
            tag = attributes.pop("__tag__", None)
            if tag is not None:
                shape.tag = f"{{{SVG}}}{tag}"
                shape.attrib.pop("r", None)
            shape.attrib.update(attributes)
            shape.attrib.pop("vector-effect", None)
        del group.attrib["transform"]
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
