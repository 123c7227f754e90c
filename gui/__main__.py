"""`python -m gui` does what the `softmax-lab` command does; the bundle's entry point too
(gui.app.main calls multiprocessing.freeze_support() first)."""

import sys

from gui.app import main

if __name__ == "__main__":
    sys.exit(main())
