"""What the API and the pages share about an uploaded file: its safe name and its real type."""

from __future__ import annotations

from starlette.datastructures import UploadFile

from sharebound.adapters.filetypes import KNOWN, OTHER, TEXT_TYPES, detect
from sharebound.domain.errors import InvalidInput


def safe_filename(name: str) -> str:
    """The last path component, printable, at most 255 characters."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(c for c in base if c.isprintable()).strip() or "file"
    return cleaned[-255:]


def media_type_of(upload: UploadFile) -> str:
    """The type the content shows. A declared type that the content contradicts is refused;
    among text types (which content alone cannot always tell apart) the declared one wins."""
    found = detect(upload.file)
    declared = (upload.content_type or "").split(";")[0].strip().lower()
    if declared in TEXT_TYPES and found in TEXT_TYPES:
        return declared
    if declared in KNOWN and declared != found:
        shown = "not a type we know" if found == OTHER else found
        raise InvalidInput({"file": f"is declared as {declared} but its content is {shown}"})
    return found
