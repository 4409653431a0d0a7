"""The text of a stored item, page by page, for the content gate: everything the recipient gets.

- PDF (adapters/text_pdf.py): one `Page` per page, numbered; then the annotations, form
  fields, metadata and bookmarks; and every embedded file.
- DOCX (adapters/text_docx.py): the body (tracked changes, deleted text, content controls and
  text boxes included) as one unnumbered page whose lines are numbered (a DOCX has no fixed
  pages); headers, footers, footnotes, endnotes, comments, properties as pages named by
  their part; and every embedded file.
- XLSX, PPTX (adapters/text_office.py): a sheet or a slide a page named after it ("sheet
  “Costs”", "slide 3"), rows and paragraphs a line; formulas as their text; comments, notes,
  headers and footers, drawings, charts, pivot caches, properties as pages named by their
  part; and every embedded file.
- Text, Markdown, CSV, JSON, XML, SVG, STEP (and notes): decoded in their own encoding
  (`adapters.encodings`: UTF-8, UTF-16, Windows-1252...), by line.
- PNG, JPEG: the text of their metadata (PNG text chunks, a JPEG comment, EXIF's image
  description), one item a line: where a stamped copy carries its stamp line. The pixels
  are never decoded.
- Anything else: no reader. The result says so (`unknown`), and the disclosure rule refuses
  it unless the agreement allows unreadable files.

An embedded file is read by its own type (detected from its bytes, checked as an upload is),
to `MAX_DEPTH` files deep, within the same limits as the file that holds it; its pages are
named after it ("embedded file “notes.docx”, footnotes").

Bounded: reading stops after `max_pages` pages or `max_chars` characters, and says so
(`complete=False`). A file that cannot be read (damaged, encrypted) gives no pages and the
reason (`unreadable`); an embedded file that cannot be read gives its reason in `problems`:
the gate then refuses, since it cannot vouch for what it did not read.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from sharebound.adapters import encodings, filetypes
from sharebound.adapters.filetypes import DOCX, PDF, PPTX, XLSX
from sharebound.adapters.text_docx import Attachment, DocxError, read_docx
from sharebound.adapters.text_office import read_office
from sharebound.adapters.text_pdf import PdfUnreadable, read_extras, read_pages
from sharebound.domain.gate import Page
from sharebound.domain.media_types import IMAGE_TYPES, READ_AS_TEXT

# why: 2,000 pages is a very long report; reading more would hold a request for minutes.
MAX_PAGES = 2000
# why: 10 million characters is ~1,700 pages of dense prose; scanning it takes seconds.
MAX_CHARS = 10_000_000
# why: a file in a file in a file; deeper nesting hides, it does not organize
MAX_DEPTH = 3
# why: as large as an upload may be by default; past it an embedded file is refused unread
MAX_EMBEDDED_BYTES = 100 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Limits:
    """How much text the gate reads (settings SHAREBOUND_GATE_MAX_PAGES and _MAX_CHARS)."""

    max_pages: int = MAX_PAGES
    max_chars: int = MAX_CHARS


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True, slots=True)
class Extracted:
    pages: tuple[Page, ...]
    complete: bool = True  # False: a limit stopped the reading before the end
    unreadable: str | None = None  # why the text could not be read at all
    problems: tuple[str, ...] = ()  # why parts of it (embedded files) could not be read
    unknown: tuple[str, ...] = ()  # what it holds that the gate has no reader for, in words

    @property
    def chars(self) -> int:
        return sum(len(p.text) for p in self.pages)


NOTHING = Extracted(())


def extract(content: bytes, media_type: str, *, max_pages: int = MAX_PAGES,
            max_chars: int = MAX_CHARS, depth: int = 0) -> Extracted:
    """The text of `content`, read as `media_type` (its type detected from its content)."""
    if media_type in READ_AS_TEXT:
        return _text(content, max_chars)
    if media_type == PDF:
        return _pdf(content, max_pages, max_chars, depth)
    if media_type == DOCX:
        return _docx(content, max_chars, depth)
    if media_type in (XLSX, PPTX):
        return _office(content, media_type, max_chars, depth)
    if media_type in IMAGE_TYPES:
        return _image(content, max_chars)
    if depth == 0:
        return Extracted((), unknown=(f"{media_type} files",))
    return NOTHING


EXIF_DESCRIPTION = 0x010E  # why: EXIF's ImageDescription tag


def _image(content: bytes, max_chars: int) -> Extracted:
    from PIL import Image  # why: imported when needed

    texts: list[str] = []
    try:
        with Image.open(io.BytesIO(content)) as image:  # reads the headers, decodes no pixel
            for key, value in image.info.items():
                if isinstance(value, str):  # PNG text chunks read before the pixels
                    texts.append(value)
                elif key == "comment" and isinstance(value, bytes):
                    texts.append(value.decode("utf-8", errors="replace"))
            described = image.getexif().get(EXIF_DESCRIPTION)
            if isinstance(described, str) and described not in texts:
                texts.append(described)
    except Exception:  # why: the upload checks decoded it whole; metadata we cannot read is none
        return NOTHING
    text = "\n".join(t for part in texts for t in part.splitlines())
    return Extracted((Page(text[:max_chars]),), complete=len(text) <= max_chars) if text else NOTHING


def _text(content: bytes, max_chars: int) -> Extracted:
    text = encodings.decode_or_replace(content)
    complete = len(text) <= max_chars
    return Extracted((Page(text[:max_chars]),), complete=complete)


def _pdf(content: bytes, max_pages: int, max_chars: int, depth: int) -> Extracted:
    try:
        pages, complete = read_pages(content, max_pages, max_chars)
        extras, attachments = read_extras(content, MAX_EMBEDDED_BYTES)
    except PdfUnreadable as error:
        return Extracted((), unreadable=str(error))
    return _with_embedded(pages + extras, complete, attachments, max_pages, max_chars, depth)


def _docx(content: bytes, max_chars: int, depth: int) -> Extracted:
    try:
        pages, attachments, complete = read_docx(content, max_chars)
    except (DocxError, zipfile.BadZipFile, OSError, ValueError, KeyError, RuntimeError) as error:
        # why so many kinds: zipfile and lxml raise each of these on a damaged package
        detail = str(error) if isinstance(error, DocxError) else type(error).__name__
        return Extracted((), unreadable=f"the DOCX is damaged ({detail})")
    return _with_embedded(pages, complete, attachments, MAX_PAGES, max_chars, depth)


def _office(content: bytes, media_type: str, max_chars: int, depth: int) -> Extracted:
    try:
        pages, attachments, complete = read_office(content, media_type, max_chars)
    except (DocxError, zipfile.BadZipFile, OSError, ValueError, KeyError, RuntimeError) as error:
        detail = str(error) if isinstance(error, DocxError) else type(error).__name__
        word = "XLSX" if media_type == XLSX else "PPTX"
        return Extracted((), unreadable=f"the {word} is damaged ({detail})")
    return _with_embedded(pages, complete, attachments, MAX_PAGES, max_chars, depth)


def _with_embedded(pages: list[Page], complete: bool, attachments: list[Attachment],
                   max_pages: int, max_chars: int, depth: int) -> Extracted:
    """`pages` and the text of each attached file, read by its own type within what is
    left of the limits."""
    found = list(pages)
    problems: list[str] = []
    unknown: list[str] = []
    for attached in attachments:
        chars = sum(len(p.text) for p in found)
        numbered = sum(1 for p in found if p.number is not None)
        if chars >= max_chars or numbered >= max_pages:
            complete = False
            break
        label = f"the embedded file \u201c{attached.name}\u201d ({attached.where})"
        read = _attached(attached, label, max_pages - numbered, max_chars - chars, depth + 1)
        if read is None:
            continue
        if read.unreadable is not None:
            problems.append(f"{label}: {read.unreadable}")
        problems += read.problems
        unknown += read.unknown
        complete = complete and read.complete
        prefix = f"embedded file \u201c{attached.name}\u201d"
        found += [Page(p.text, p.number, f"{prefix}, {p.part}" if p.part else prefix)
                  for p in read.pages]
    return Extracted(tuple(found), complete, problems=tuple(problems), unknown=tuple(unknown))


def _attached(attached: Attachment, label: str, max_pages: int, max_chars: int,
              depth: int) -> Extracted | None:
    """An attached file's text; None for a picture the gate has no reader for (it reads
    pictures' metadata, never their pixels)."""
    if len(attached.data) > MAX_EMBEDDED_BYTES:
        return Extracted((), unreadable=f"it is larger than {MAX_EMBEDDED_BYTES // 1_048_576} MB")
    media_type = filetypes.detect(io.BytesIO(attached.data))
    if media_type not in filetypes.KNOWN:
        if attached.picture:
            return None
        return Extracted((), unknown=(f"{label}, of type {media_type}",))
    if depth > MAX_DEPTH:
        return Extracted((), unreadable=f"it is nested more than {MAX_DEPTH} files deep")
    problem = filetypes.problem_with(attached.data, media_type)
    if problem is not None:
        return Extracted((), unreadable=f"it {problem}")
    return extract(attached.data, media_type, max_pages=max_pages, max_chars=max_chars, depth=depth)
