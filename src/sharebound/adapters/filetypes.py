"""What a file is, from its content, never from its name: PDF, PNG, JPEG, DOCX, and text
(CSV, Markdown, plain). Anything else is `application/octet-stream`."""

from __future__ import annotations

import csv
import re
import zipfile
from typing import BinaryIO

PDF, PNG, JPEG = "application/pdf", "image/png", "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEXT, MARKDOWN, CSV = "text/plain", "text/markdown", "text/csv"
OTHER = "application/octet-stream"
TEXT_TYPES = frozenset({TEXT, MARKDOWN, CSV})
KNOWN = frozenset({PDF, PNG, JPEG, DOCX, *TEXT_TYPES})

SAMPLE = 64 * 1024  # why: enough to judge text; a file's head is what the magic numbers are in
_MARKDOWN = re.compile(r"^(#{1,6} \S|[-*+] \S|\d+\. \S|```|> \S)|\[[^\]]+\]\([^)]+\)", re.MULTILINE)


def detect(file: BinaryIO) -> str:
    """The media type of `file` (seekable), judged from its bytes; the position is kept at 0."""
    file.seek(0)
    head = file.read(SAMPLE)
    file.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        return DOCX if _is_docx(file) else OTHER
    text = _text(head)
    if text is None:
        return OTHER
    if _is_csv(text):
        return CSV
    return MARKDOWN if _MARKDOWN.search(text) else TEXT


def _is_docx(file: BinaryIO) -> bool:
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        file.seek(0)
    return {"[Content_Types].xml", "word/document.xml"} <= names


def _text(head: bytes) -> str | None:
    if b"\x00" in head:
        return None
    try:
        return head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start >= len(head) - 3:  # why: the sample may cut a character in two
            return head[:error.start].decode("utf-8")
        return None


def _is_csv(text: str) -> bool:
    lines = [line for line in text.splitlines()[:20] if line.strip()]
    if len(lines) < 2:
        return False
    try:
        dialect = csv.Sniffer().sniff("\n".join(lines), delimiters=",;\t")
    except csv.Error:
        return False
    widths = {len(row) for row in csv.reader(lines, dialect)}
    return len(widths) == 1 and widths.pop() > 1
