"""The one error stamping raises: the file cannot be stamped (encrypted, damaged)."""

from __future__ import annotations


class StampError(Exception):
    """The file cannot be stamped or shown; the message says why, in words a person understands."""
