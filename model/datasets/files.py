"""Read a whole data file into memory, gunzipping it when its bytes say it is gzip."""

from __future__ import annotations

import gzip
import os
import zlib
from pathlib import Path

from .errors import DatasetError

GZIP_MAGIC = b"\x1f\x8b"


def display_name(source) -> str:
    """The name error messages use: the path as given, or a packaged resource's file name."""
    if isinstance(source, (str, os.PathLike)):
        return os.fspath(source)
    return source.name  # an importlib.resources Traversable


def read_raw_bytes(source) -> bytes:
    """The bytes of a path or a Traversable (from `resources.resource_path`); never empty."""
    name = display_name(source)
    path = Path(source) if isinstance(source, (str, os.PathLike)) else source
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DatasetError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise DatasetError(f"{name}: is a folder, expected a file") from None
    except PermissionError:
        raise DatasetError(f"{name}: permission denied") from None
    except OSError as exc:
        raise DatasetError(f"{name}: could not be read ({exc.strerror or exc})") from None
    if not raw:
        raise DatasetError(f"{name}: file is empty (0 bytes)")
    return raw


def read_file_bytes(source) -> bytes:
    """The bytes of a file, decompressed if they start with the gzip magic 1f 8b."""
    raw = read_raw_bytes(source)
    name = display_name(source)
    if raw.startswith(GZIP_MAGIC):
        try:
            data = gzip.decompress(raw)
        # BadGzipFile is an OSError; a cut-off stream raises EOFError; bad deflate data zlib.error.
        except (OSError, EOFError, zlib.error) as exc:
            raise DatasetError(f"{name}: corrupt gzip data ({exc})") from None
        if not data:
            raise DatasetError(f"{name}: file is empty (its gzip data decompresses to 0 bytes)")
        return data
    if name.lower().endswith(".gz"):
        raise DatasetError(f"{name} is named .gz but is not gzip data")
    return raw
