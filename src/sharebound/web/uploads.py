"""What the API and the pages share about an uploaded file: its safe name, its real type, and
the Content-Disposition header that hands it back."""

from __future__ import annotations

import re
import unicodedata
from typing import Any
from urllib.parse import quote

from starlette.datastructures import UploadFile
from starlette.requests import Request

from sharebound.domain.errors import InvalidInput
from sharebound.domain.media_types import (
    ALIASES,
    CSV,
    CSV_DECLARED_AS,
    KNOWN,
    MACRO_TYPES,
    OFFICE_TYPES,
    OTHER,
    STRUCTURED_TYPES,
    TEXT_TYPES,
)
from sharebound.services.files import media_type_seen
from sharebound.services.items import topics_of_text

MAX_NAME_BYTES = 255  # why: the longest name common file systems take, where a downloaded copy lands
MAX_EXTENSION = 16  # why: longer than any real extension (".markdown"); past it, it is part of the name
_PART_HEADER = 4096  # why: python-multipart refuses a part's header line over about 4 KB
_UNSAFE_ASCII = re.compile(r"[^A-Za-z0-9 !#$&'()+,.;=@\[\]^_`{}~-]")  # why: no quote, backslash or %


def safe_filename(name: str) -> str:
    """The last path component, with no control, format or direction-changing characters, at
    most 255 bytes of UTF-8 with its extension kept; never empty, never `.` or `..`."""
    base = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    printable = "".join(c if c.isprintable() else " " if c.isspace() else "" for c in base)
    cleaned = " ".join(printable.split()).rstrip(". ")  # why: Windows drops trailing dots and spaces
    if not cleaned.strip("."):
        return "file"
    return _shorten(cleaned, MAX_NAME_BYTES)


def _shorten(name: str, limit: int) -> str:
    if len(name.encode()) <= limit:
        return name
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem.strip(".") or len(extension) > MAX_EXTENSION:
        stem, extension = name, ""
    else:
        extension = dot + extension
    room = limit - len(extension.encode())
    cut = stem.encode()[:room].decode("utf-8", errors="ignore").rstrip(" .")
    return (cut or "file") + extension


def content_disposition(name: str, disposition: str = "attachment") -> str:
    """A Content-Disposition header for `name` (RFC 6266): the UTF-8 name percent-encoded
    (RFC 5987 `filename*`), and a plain ASCII fallback for clients that know only `filename`."""
    safe = safe_filename(name)
    ascii_name = unicodedata.normalize("NFKD", safe).encode("ascii", errors="ignore").decode()
    fallback = _UNSAFE_ASCII.sub("_", ascii_name).strip()
    stem, dot, extension = fallback.rpartition(".")
    if not (stem if dot else extension).strip("._ "):  # nothing of the name survived in ASCII
        fallback = "download" + dot + (extension if dot else "")
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(safe, safe='')}"


def media_type_of(upload: UploadFile) -> str:
    """The type the content shows. A declared type that the content contradicts is refused;
    among text types (which content alone cannot always tell apart) the declared one wins;
    structured text (JSON, XML, SVG, STEP) is what its content shows, whatever was declared
    as text, since a stamp line would break it."""
    if upload.file.seek(0, 2) == 0:
        raise InvalidInput({"file": "is empty"})
    found = media_type_seen(upload.file, upload.filename)
    declared = (upload.content_type or "").split(";")[0].strip().lower()
    declared = ALIASES.get(declared, declared)
    if found in STRUCTURED_TYPES and (declared in TEXT_TYPES or declared in CSV_DECLARED_AS):
        return found
    if declared in TEXT_TYPES and found in TEXT_TYPES:
        return declared
    if declared in CSV_DECLARED_AS and found in TEXT_TYPES:
        return CSV  # why: a real Excel workbook (.xls) is no text: it is found OTHER and stays so
    if found in MACRO_TYPES:
        return found  # why: the content check refuses it naming its macros, whatever was declared
    if declared in OFFICE_TYPES and found == OTHER and _is_zip(upload):
        return declared  # a broken DOCX, XLSX or PPTX: the content check says what is wrong with it
    if declared in KNOWN and declared != found:
        shown = "not a type we know" if found == OTHER else found
        raise InvalidInput({"file": f"is declared as {declared} but its content is {shown}"})
    return found


def _is_zip(upload: UploadFile) -> bool:
    upload.file.seek(0)
    head = upload.file.read(4)
    upload.file.seek(0)
    return head == b"PK\x03\x04"


def unreadable_body(request: Request, error: BaseException) -> dict[str, str]:
    """What a body the parsers gave up on (a 400 from FastAPI or Starlette) did wrong, by field."""
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        return {"body": "is not valid JSON"}
    cause: BaseException | None = error
    while cause is not None:  # why: Starlette keeps the parser's own reason down the chain
        if "header size" in str(cause):
            return {"file": f"has a name over {_PART_HEADER // 1024} KB: give the file a shorter name"}
        cause = cause.__cause__ or cause.__context__
    return {"body": "is not a multipart form we can read"}


PER_FILE_PREFIX = "per_file."


def per_file_fields(form: Any) -> dict[str, dict[str, object]]:
    """A multi-file upload's per-file changes sent as form fields, one pair per file:
    `per_file.<file name>.classification` and `per_file.<file name>.topics` (topics separated by
    commas). An empty field leaves the whole upload's value; the file name is cleaned as the
    file's own is (`safe_filename`), so it matches the stored file's."""
    found: dict[str, dict[str, object]] = {}
    for key, value in form.multi_items():
        if not key.startswith(PER_FILE_PREFIX) or not isinstance(value, str):
            continue
        name, _, field = key[len(PER_FILE_PREFIX):].rpartition(".")
        if not name or field not in ("classification", "topics") or not value.strip():
            continue
        chosen: object = value.strip() if field == "classification" else topics_of_text(value)
        found.setdefault(safe_filename(name), {})[field] = chosen
    return found
