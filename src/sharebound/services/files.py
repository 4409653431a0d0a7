"""What an entry point may ask about an uploaded file before a use case takes it."""

from __future__ import annotations

from typing import BinaryIO

from sharebound.adapters.filetypes import detect


def media_type_seen(file: BinaryIO, name: str | None = None) -> str:
    """The media type that `file`'s bytes show (and its `name`, where they are ambiguous;
    seekable; its position is kept at 0)."""
    return detect(file, name)
