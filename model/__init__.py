"""Softmax Lab's model: pure NumPy, no Qt (the GUI only reads what this package computes).

from model import load_dataset, TrainingRun
run = TrainingRun(load_dataset("mnist"), batch_size=32, learning_rate=0.1, random_state=0)
run.step(1000)
run.evaluate()["test_accuracy"]   # about 0.9
"""

from .binary_output import (
    BinaryDecoding,
    BinaryOutputNetwork,
    OutcomeFractions,
    ProbabilitySummary,
    ThresholdSweep,
    binary_code_matrix,
    format_code,
    n_bits_for,
    summarize_probabilities,
)
from .code_regressor import CodeRegressor, code_distance_matrix
from .codes_comparison import CodesComparison, compare_codes_vs_softmax
from .datasets import Dataset, DatasetError, load_dataset
from .drawing import digits_style, draw_segment, mnist_style, preprocess_drawing
from .metrics import confusion_matrix
from .run_file import DatasetMismatch, RunFileError, load_run
from .softmax import SoftmaxClassifier, cross_entropy, logsumexp, softmax, softmax_jacobian
from .training import DivergenceError, KeptState, TrainingRun, TrainingSnapshot

__all__ = [
    "BinaryDecoding",
    "BinaryOutputNetwork",
    "CodeRegressor",
    "CodesComparison",
    "Dataset",
    "DatasetError",
    "DatasetMismatch",
    "DivergenceError",
    "KeptState",
    "OutcomeFractions",
    "ProbabilitySummary",
    "RunFileError",
    "SoftmaxClassifier",
    "ThresholdSweep",
    "TrainingRun",
    "TrainingSnapshot",
    "binary_code_matrix",
    "code_distance_matrix",
    "compare_codes_vs_softmax",
    "confusion_matrix",
    "cross_entropy",
    "digits_style",
    "draw_segment",
    "format_code",
    "load_dataset",
    "load_run",
    "logsumexp",
    "mnist_style",
    "n_bits_for",
    "preprocess_drawing",
    "softmax",
    "softmax_jacobian",
    "summarize_probabilities",
]
