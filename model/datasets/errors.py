"""The one exception the dataset loaders raise for bad input."""


class DatasetError(ValueError):
    """A dataset could not be loaded; the message names the file and what is wrong."""
