"""Offsets in code points (Python) and UTF-16 code units (JavaScript), converted exactly (private).

A character outside the Basic Multilingual Plane (an emoji, U+1F600) is one code point but two
UTF-16 code units (a surrogate pair). An offset that falls between the two halves of a pair
names no character boundary and is an `AnchorError`.
"""

from __future__ import annotations

import bisect
from typing import Literal

from leitlinien.errors import AnchorError

__all__ = ["UNITS", "OffsetUnit", "Utf16Index", "code_point_offset", "utf16_offset"]

OffsetUnit = Literal["code-point", "utf-16"]
"""How a `TextPositionSelector` counts: Python code points or UTF-16 code units."""

UNITS: tuple[OffsetUnit, ...] = ("code-point", "utf-16")


def _check(value: object, field: str, limit: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise AnchorError(
            f"{field} must be an int (got {type(value).__name__}: {value!r})",
            field=field,
            value=value,
        )
    if not 0 <= value <= limit:
        raise AnchorError(
            f"{field} must be between 0 and {limit} (got {value!r})", field=field, value=value
        )
    return value


def _inside_pair(value: int) -> AnchorError:
    return AnchorError(
        f"utf16_offset must fall on a character boundary (got {value!r}, which splits a "
        "surrogate pair)",
        field="utf16_offset",
        value=value,
    )


def utf16_offset(text: str, code_point_offset: int) -> int:
    """Return the UTF-16 offset of a code-point offset in `text`.

    >>> utf16_offset("a😀b", 2)
    3
    """
    _check(code_point_offset, "code_point_offset", len(text))
    return code_point_offset + sum(1 for ch in text[:code_point_offset] if ord(ch) > 0xFFFF)


def code_point_offset(text: str, utf16_offset: int) -> int:
    """Return the code-point offset of a UTF-16 offset in `text`.

    `AnchorError` if the offset is out of range or splits a surrogate pair.

    >>> code_point_offset("a😀b", 3)
    2
    """
    total = len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)
    _check(utf16_offset, "utf16_offset", total)
    units = count = 0
    for ch in text:
        if units >= utf16_offset:
            break
        units += 2 if ord(ch) > 0xFFFF else 1
        count += 1
    if units != utf16_offset:
        raise _inside_pair(utf16_offset)
    return count


class Utf16Index:
    """Convert many offsets of one text between code points and UTF-16 code units.

    Built once in one pass over `text`; each conversion is a binary search over the positions
    of the text's astral characters, so it costs O(log k) for k such characters.

    >>> index = Utf16Index("😀 und 🎉")
    >>> index.to_utf16(6), index.to_code_point(7)
    (7, 6)
    """

    __slots__ = ("_astral", "_astral16", "code_points", "utf16_length")

    def __init__(self, text: str) -> None:
        self._astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]
        # Where each astral character starts, counted in UTF-16 units.
        self._astral16 = [i + k for k, i in enumerate(self._astral)]
        self.code_points = len(text)
        self.utf16_length = len(text) + len(self._astral)

    def to_utf16(self, code_point_offset: int) -> int:
        """Return the UTF-16 offset of a code-point offset; `AnchorError` if out of range."""
        _check(code_point_offset, "code_point_offset", self.code_points)
        return code_point_offset + bisect.bisect_left(self._astral, code_point_offset)

    def to_code_point(self, utf16_offset: int) -> int:
        """Return the code-point offset of a UTF-16 offset.

        `AnchorError` if it is out of range or splits a surrogate pair.
        """
        _check(utf16_offset, "utf16_offset", self.utf16_length)
        k = bisect.bisect_left(self._astral16, utf16_offset)
        if k and self._astral16[k - 1] + 1 == utf16_offset:
            raise _inside_pair(utf16_offset)
        return utf16_offset - k

    def convert(self, offset: int, unit: OffsetUnit) -> int:
        """Return a code-point offset as counted in `unit`."""
        if unit == "utf-16":
            return self.to_utf16(offset)
        return _check(offset, "code_point_offset", self.code_points)

    def parse(self, offset: int, unit: OffsetUnit) -> int:
        """Return the code-point offset of an offset counted in `unit`."""
        if unit == "utf-16":
            return self.to_code_point(offset)
        return _check(offset, "code_point_offset", self.code_points)
