"""The one place Softmax Lab's version is written: pyproject.toml, `softmax-lab --version`,
the About box, the training process's start handshake and saved files all read it.

A release bumps it here, adds its section to docs/CHANGELOG.md and tags the commit v<version>
(docs/release/checklist.md).
"""

__version__ = "0.1.0"
