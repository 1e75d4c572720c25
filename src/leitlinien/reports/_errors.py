"""The reports' error type (private; it lives in `leitlinien.errors`)."""

from leitlinien.errors import ReportError

__all__ = ["ReportError"]
