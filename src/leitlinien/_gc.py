"""A pause of Python's cycle collector around allocation-heavy work (private)."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the duration of the block.

    A diff or a re-anchoring run allocates hundreds of thousands of small objects that form
    no reference cycles; every full collection they trigger walks the host's whole heap (two
    parsed 5 MB documents are millions of objects), which costs more than the work itself.
    Reference counting still frees everything as usual; the collector resumes afterwards if
    it was running before.
    """
    was_enabled = gc.isenabled()
    if was_enabled:
        gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
