"""Softmax Lab's Qt front end: panels that show snapshots of a model.TrainingRun.

One BLAS thread per process, unless the user says otherwise: the window's NumPy calls are
small, and training (in a process of its own, which inherits this environment) multiplies
matrices of at most a few thousand rows, where a second BLAS thread mostly spins and takes a
core from the other process on a two-core laptop. Set before NumPy is first imported.
"""

import os

for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")
