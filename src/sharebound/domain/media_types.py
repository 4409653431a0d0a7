"""The media types Sharebound knows, one name each, for the upload checks, the stamps and
the content gate alike. Anything else is `OTHER`: stored and disclosed, never stamped."""

from __future__ import annotations

PDF, PNG, JPEG = "application/pdf", "image/png", "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEXT, MARKDOWN, CSV = "text/plain", "text/markdown", "text/csv"
OTHER = "application/octet-stream"
TEXT_TYPES = frozenset({TEXT, MARKDOWN, CSV})
IMAGE_TYPES = frozenset({PNG, JPEG})
KNOWN = frozenset({PDF, DOCX, *IMAGE_TYPES, *TEXT_TYPES})
