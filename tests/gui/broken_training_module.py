"""A training process whose module does not import in the child, as a broken install's would
(a missing library, a frozen build without freeze_support); imports fine in the test process,
which must pickle `serve` by reference."""

import sys

# A spawned process unpickles its target (importing this module) before multiprocessing knows
# its parent, and with sys.argv already set to its parent's; its own command line says.
if "--multiprocessing-fork" in sys.orig_argv:
    raise ImportError("simulated broken install: a library of the training process is missing")


def serve(connection, settings) -> None:
    """Never reached in a child."""
