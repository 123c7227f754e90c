"""Data files the app ships: the embedded datasets and their credits (read with importlib.resources)."""

from importlib.resources import files


def resource_path(name: str):
    """Return a Traversable for the shipped file `name` (works from an installed wheel)."""
    return files(__name__).joinpath(name)
