"""Data files the app ships: the embedded datasets and their credits.

Read them with importlib.resources, so an installed wheel finds them too.
"""

from importlib.resources import files


def resource_path(name: str):
    """Return a Traversable for the shipped file `name` (works from an installed wheel)."""
    return files(__name__).joinpath(name)
