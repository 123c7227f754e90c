"""`python -m gui` does what the `softmax-lab` command does."""

import sys

from gui.app import main

sys.exit(main())
