"""Comments on passages of a version: kinds, channels, threads, moderation and responses."""

from __future__ import annotations

import enum

__all__ = ["Channel"]


class Channel(enum.StrEnum):
    """How a piece of input reached the city."""

    ONLINE = "online"
    WORKSHOP = "workshop"
    EMAIL = "email"
    LETTER = "letter"
    PHONE = "phone"
    OTHER = "other"
