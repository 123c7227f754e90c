"""Dataset loaders: the built-in "mnist", "digits" and "blobs", and the user's IDX or .npz files.

Pure NumPy (no Qt). Every loader returns a `Dataset` of read-only float32 rows in [0, 1] and
int64 labels, or raises `DatasetError` naming the file and what is wrong with it.
"""

from .builtin import BUILTIN_DATASETS
from .dataset import DIGIT_CLASS_NAMES, FASHION_CLASS_NAMES, Dataset, split_indices
from .errors import DatasetError
from .idx import read_idx_images, read_idx_labels
from .loader import load_dataset
from .scaling import INPUT_SCALES, input_factor, input_scale_name, input_scale_words

__all__ = [
    "BUILTIN_DATASETS",
    "DIGIT_CLASS_NAMES",
    "FASHION_CLASS_NAMES",
    "INPUT_SCALES",
    "Dataset",
    "DatasetError",
    "input_factor",
    "input_scale_name",
    "input_scale_words",
    "load_dataset",
    "read_idx_images",
    "read_idx_labels",
    "split_indices",
]
