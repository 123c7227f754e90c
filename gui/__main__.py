"""`python -m gui` does what the `softmax-lab` command does."""

import sys

from gui.app import main

# The guard matters: the training process (spawn) imports this module again as __mp_main__.
if __name__ == "__main__":
    sys.exit(main())
