"""``python -m leitlinien``: the `leitlinien` command."""

from __future__ import annotations

import sys

from leitlinien.cli import main

if __name__ == "__main__":
    sys.exit(main())
