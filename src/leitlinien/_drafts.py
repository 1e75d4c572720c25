"""Fast construction of many instances of a frozen attrs class (private).

attrs' frozen ``__init__`` stores each field through ``object.__setattr__``: one C call per
field, which makes a ten-field instance cost several times a plain object. Re-anchoring
builds two such objects for each of tens of thousands of passages, so this is most of its
cost. A *draft* is a plain class with exactly the slots of the frozen class: its fields are
stored by ordinary (specialised) attribute assignment, and then the instance becomes the
frozen class by ``__class__`` assignment, which CPython allows between heap types of the same
layout. The result is indistinguishable from one built by ``__init__``: same type, same
fields, same equality and hash, and just as frozen.

Only classes without validators or converters may be built this way (nothing would run
them), and only with every field set.
"""

from __future__ import annotations

from typing import Any

import attrs


def draft_class(cls: type) -> Any:
    """A plain class whose instances can become `cls` by ``__class__`` assignment, or None.

    `cls` must be a slotted attrs class without a ``__weakref__`` slot (``weakref_slot=False``)
    and without validators or converters. None when this Python refuses the assignment (the
    caller then builds instances the ordinary way).
    """
    fields = attrs.fields(cls)
    if any(f.validator is not None or f.converter is not None for f in fields):
        raise TypeError(f"{cls.__name__} has validators or converters; a draft would skip them")
    slots = getattr(cls, "__slots__", None)
    if slots is None or set(slots) != {f.name for f in fields}:
        return None
    draft = type(f"_{cls.__name__}Draft", (), {"__slots__": tuple(slots)})
    probe = draft()
    try:
        probe.__class__ = cls
    except TypeError:
        return None
    return draft
