"""Data files the app ships: the embedded datasets and their credits, the panels' help texts
and the icon.

Read them with importlib.resources, so an installed wheel finds them too.
"""

from importlib.resources import files


def resource_path(name: str):
    """Return a Traversable for the shipped file `name` (works from an installed wheel)."""
    return files(__name__).joinpath(name)


#: The icon: an SVG and PNGs rendered from it (docs/make_icons.py) at these sizes.
ICON_NAME = "softmax-lab"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def icon_png_name(size: int) -> str:
    return f"{ICON_NAME}-{size}.png"
