"""A recipient's copies: the download (stamped where the terms ask, else streamed from the
blob), and view only (pages rendered on the server with the stamp baked in, one page per
request, however long the document; each page sent is counted in `page_views`).

Stamping runs outside any transaction: the rules decide in a read transaction, the file is
stamped into a spool file (`adapters/spool.py`: hashed as it is written, on disk above a few
MiB, never whole in memory), then one write transaction decides again (a revocation in between
wins) and records the access and the copy (who, when, copy id, SHA-256 of the stamped file)
with its event. The response streams the spool and closes it.
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import BinaryIO, cast

from sharebound.adapters import encodings, stamping
from sharebound.adapters.spool import Spool
from sharebound.adapters.stamping import StampError, office_view
from sharebound.adapters.stamping.docx_view import DocxView, read_docx_view
from sharebound.adapters.stamping.images import stamped_png
from sharebound.adapters.stamping.office_view import SheetView, SlideView
from sharebound.adapters.stamping.page_cache import OUTLINES, PAGES
from sharebound.adapters.stamping.pdf import cut_pages, page_outline
from sharebound.adapters.stamping.render import render_cut_page
from sharebound.domain.audit import partnership_log
from sharebound.domain.decisions import Decision, Reason
from sharebound.domain.disclosures import AccessRecord, Disclosure
from sharebound.domain.errors import InvalidInput, NotFound, Refused
from sharebound.domain.events import DisclosureAccessed
from sharebound.domain.ids import new_id
from sharebound.domain.items import ItemKind
from sharebound.domain.limits import (
    MAX_VIEW_PAGE,
    MAX_VIEW_SHEET_COLUMNS,
    MAX_VIEW_SHEET_ROWS,
    MAX_VIEW_SLIDE_PICTURES,
)
from sharebound.domain.media_types import PPTX, READ_AS_TEXT, XLSX
from sharebound.domain.orgs import Person
from sharebound.domain.representatives import decide_reshare_access
from sharebound.domain.rules import decide_access
from sharebound.domain.stamps import (
    DOCX,
    IMAGE_TYPES,
    PDF,
    CopyRecord,
    Stamp,
    can_stamp,
    new_copy_id,
    parse_copy_id,
    stamp_text,
    why_unstampable,
)
from sharebound.domain.terms import Action
from sharebound.services.common import actor, record
from sharebound.services.disclosures import demanded_at, guest_reshare, record_access_in, visible_disclosure
from sharebound.services.metrics import timed
from sharebound.services.unit_of_work import UnitOfWork

VIEW_DPI = 110  # why: sharp on a laptop screen, about 150 KB a page as PNG
VIEW_WINDOW = 50  # why: page placeholders in one HTML page; scrolling (or a link) adds the next
CUT_AHEAD = 8  # why: pages cut at one opening of the PDF: the reader scrolls on to the next ones
MAX_VIEW_TEXT = 2 * 1024 * 1024  # why: bytes of text shown in a page; more would choke a browser


@dataclass(frozen=True)
class Download:
    """What the recipient gets: the stamped copy in `spool` (an open temporary file, rewound;
    whoever sends it closes it), or the original streamed from `path` (a plaintext file) or
    from `opener` (a sealed blob, decrypted as it streams)."""

    filename: str
    media_type: str
    copy_id: str | None
    spool: BinaryIO | None = None
    sha256: str | None = None  # of the stamped copy, as recorded
    path: Path | None = None
    opener: Callable[[], BinaryIO] | None = None

    @property
    def content(self) -> bytes | None:
        """The stamped copy read whole (for tests and small copies; a response streams the
        spool instead); None when the original is given."""
        if self.spool is None:
            return None
        self.spool.seek(0)
        data = self.spool.read()
        self.spool.seek(0)
        return data

    def close(self) -> None:
        """Free the stamped copy's temporary file (the response does, once it is sent)."""
        if self.spool is not None:
            self.spool.close()


@dataclass(frozen=True)
class Viewing:
    """What view only shows of a file: page images (PDF, image), stamped lines (text), the
    document's paragraphs, tables, headers and footers (DOCX), tables (XLSX) or slides' text
    and pictures (PPTX, the pictures as page images)."""

    copy_id: str
    media_type: str
    pages: int = 0  # page images at /disclosures/{id}/pages/{n}.png?copy=..., all of them
    page_width: int = 0  # pixels of the first page at VIEW_DPI: the placeholders' shape
    page_height: int = 0
    start: int = 1  # the first page this HTML page lays out (VIEW_WINDOW of them)
    lines: tuple[str, ...] = field(default=())  # escaped by the template, never raw HTML
    document: DocxView | None = None  # a DOCX; every string escaped by the template
    sheets: tuple[SheetView, ...] = field(default=())  # an XLSX's tables, escaped likewise
    slides: tuple[SlideView, ...] = field(default=())  # a PPTX's slides
    stamp_line: str = ""
    mark: str = ""  # the stamp's few words, laid over a DOCX as a watermark
    problem: str | None = None  # why the file cannot be shown (encrypted, damaged, other type)

    @property
    def window_end(self) -> int:
        """The last page laid out in this HTML page."""
        return min(self.pages, self.start + VIEW_WINDOW - 1)

    @property
    def next_start(self) -> int | None:
        return self.window_end + 1 if self.window_end < self.pages else None

    @property
    def previous_start(self) -> int | None:
        return max(1, self.start - VIEW_WINDOW) if self.start > 1 else None


@dataclass(frozen=True)
class _Allowed:
    person: Person
    disclosure: Disclosure
    media_type: str
    filename: str
    stamp: Stamp | None  # None: the original is given (own org, or terms without watermarks)


def download_disclosure(uow: UnitOfWork, actor_id: str, disclosure_id: str,
                        ip: str | None = None) -> Download:
    """The recipient's copy, stamped with their name where the terms ask (with the
    discloser's watermark template, which may name `ip`, the downloader's address); recorded."""
    with uow.reading():
        allowed = _allowed(uow, actor_id, disclosure_id, "download", ip=ip)
        person, disclosure = allowed.person, allowed.disclosure
        plain = original_download(uow, disclosure.item_sha256, disclosure.discloser,
                                  allowed.filename, allowed.media_type)
    if person.org == disclosure.discloser:
        return plain
    if allowed.stamp is None:
        with uow:
            recheck_access(uow, person, disclosure, "download")
            record_access_in(uow, person, disclosure, "download", uow.clock())
            uow.commit()
        return plain
    stamped, sha256 = _stamped(uow, disclosure, allowed)
    try:
        with uow:
            recheck_access(uow, person, disclosure, "download")
            _record_copy(uow, person, disclosure, "download", allowed, sha256)
            uow.commit()
    except BaseException:
        stamped.close()
        raise
    return Download(allowed.filename, allowed.media_type, allowed.stamp.copy_id,
                    spool=stamped, sha256=sha256)


def _stamped(uow: UnitOfWork, disclosure: Disclosure, allowed: _Allowed) -> tuple[BinaryIO, str]:
    """The stamped copy written into a spool file (hashed as it is written): the file, rewound,
    and its SHA-256. Refused when the file cannot carry the stamp the terms ask for."""
    assert allowed.stamp is not None
    with Spool(uow.spool_dir) as spool:
        try:
            with uow.blobs.open(disclosure.item_sha256, org=disclosure.discloser) as source, \
                    timed("stamp"):
                stamping.stamp_into(source, allowed.media_type, allowed.stamp, cast(BinaryIO, spool))
        except StampError as error:
            raise Refused(Decision((Reason("watermark", "schedule.watermark_downloads",
                                           f"the agreement asks for watermarked downloads and {error}"),))
                          ) from error
        stamped, sha256, _size = spool.finish()
    return stamped, sha256


def check_download(uow: UnitOfWork, actor_id: str, disclosure_id: str) -> None:
    """Raise `Refused` (or `NotFound`) unless the person may download the disclosure now, with
    the stamp the terms ask for; records nothing."""
    with uow.reading():
        _allowed(uow, actor_id, disclosure_id, "download")


def original_download(uow: UnitOfWork, sha256: str, org: str, filename: str,
                      media_type: str) -> Download:
    """The original as it is stored: its plaintext file where there is one, else an opener
    that streams it (never read whole into memory)."""
    path = uow.blobs.local_path(sha256, org=org)
    if path is not None:
        return Download(filename, media_type, None, path=path)
    blobs = uow.blobs
    return Download(filename, media_type, None, opener=lambda: blobs.open(sha256, org=org))


def open_view(uow: UnitOfWork, actor_id: str, disclosure_id: str, ip: str | None = None) -> Viewing:
    """View only, for a recipient: what the page shows of the file, stamped; recorded."""
    with uow.reading():
        allowed = _allowed(uow, actor_id, disclosure_id, "view", always_stamp=True, ip=ip)
        if allowed.person.org == allowed.disclosure.discloser:
            raise NotFound("disclosure", disclosure_id)  # why: the discloser reads the original
    assert allowed.stamp is not None
    viewing = _viewing(uow, allowed)
    with uow:
        recheck_access(uow, allowed.person, allowed.disclosure, "view")
        _record_copy(uow, allowed.person, allowed.disclosure, "view", allowed, None)
        uow.commit()
    return viewing


def reopen_view(uow: UnitOfWork, actor_id: str, disclosure_id: str, copy_id: str,
                start: int = 1, ip: str | None = None) -> Viewing:
    """The same view's copy again, laid out from page `start`: the next pages of a long
    document without JavaScript. No new copy, nothing recorded (the pages count as they are
    sent). NotFound unless the copy is the person's view of this disclosure. `ip`: the address
    that asks, for a watermark template that prints it."""
    with uow.reading():
        person = actor(uow, actor_id)
        disclosure = visible_disclosure(uow, person, disclosure_id)
        recheck_access(uow, person, disclosure, "view")
        copy = view_copy(uow, person, disclosure, copy_id)
        allowed = _Allowed(person, disclosure, copy.media_type, "",
                           _stamp(uow, person, disclosure, copy.copy_id, copy.at, ip))
    viewing = _viewing(uow, allowed)
    if viewing.pages and not 1 <= start <= viewing.pages:
        raise NotFound("page", str(start))
    return replace(viewing, start=start) if viewing.pages else viewing


def page_image(uow: UnitOfWork, actor_id: str, disclosure_id: str, copy_id: str, number: int,
               ip: str | None = None) -> bytes:
    """Page `number` (from 1) of a view's copy as PNG, stamped for its recipient (`ip`: the
    address that asks for the page), its copy id in the PNG's metadata; counted as a view of
    the page (one upsert) once it is made. A PDF's page outside 1 to its page count is refused
    (InvalidInput naming both) from the cached outline, before the PDF is opened, unrecorded."""
    with uow.reading():
        person = actor(uow, actor_id)
        disclosure = visible_disclosure(uow, person, disclosure_id)
        recheck_access(uow, person, disclosure, "view")
        copy = view_copy(uow, person, disclosure, copy_id)
        stamp = _stamp(uow, person, disclosure, copy.copy_id, copy.at, ip)
    if copy.media_type == PDF:
        try:
            count = _outline(uow, disclosure)[0]
        except StampError as error:
            raise NotFound("page", str(number)) from error
        if not 1 <= number <= count:
            raise InvalidInput({"number": f"there is no page {number}: the document has "
                                          f"{count} page{'' if count == 1 else 's'}"})
    if not 1 <= number <= MAX_VIEW_PAGE:
        raise NotFound("page", str(number))
    try:
        if copy.media_type == PDF:
            png = render_cut_page(_cut_page(uow, disclosure, number - 1), stamp, VIEW_DPI)
        elif copy.media_type in IMAGE_TYPES and number == 1:
            with uow.blobs.open(disclosure.item_sha256, org=disclosure.discloser) as source:
                png = stamped_png(source, stamp)
        elif copy.media_type == PPTX:  # a slide's picture, numbered across the deck
            with uow.blobs.open(disclosure.item_sha256, org=disclosure.discloser) as source:
                picture = office_view.slide_picture(source, number, MAX_VIEW_SLIDE_PICTURES)
            if picture is None:
                raise NotFound("page", str(number))
            png = stamped_png(io.BytesIO(picture), stamp)
        else:
            raise NotFound("page", str(number))
    except StampError as error:
        raise NotFound("page", str(number)) from error
    with uow:  # why again: a revocation while the page was rendered stops it being sent
        recheck_access(uow, person, disclosure, "view")
        uow.page_views.count_view(disclosure.id, person.id, number, uow.clock())
        uow.commit()
    return png


def _outline(uow: UnitOfWork, disclosure: Disclosure) -> tuple[int, tuple[float, float]]:
    """The disclosed PDF's page count and first page's size: from the cache, else read from
    the PDF once (StampError when it cannot be read)."""
    sha256 = disclosure.item_sha256
    outline = OUTLINES.get(sha256)
    if outline is None:
        with uow.blobs.open(sha256, org=disclosure.discloser) as source:
            outline = page_outline(source)
        OUTLINES.put(sha256, outline, 100)  # why 100: about the bytes an outline costs
    return outline


def _cut_page(uow: UnitOfWork, disclosure: Disclosure, index: int) -> bytes:
    """Page `index` of the disclosed PDF as a one-page PDF, unstamped: from the page cache, else
    cut with the next few at one opening (StampError past the last page)."""
    sha256 = disclosure.item_sha256
    found = PAGES.get((sha256, index))
    if found is not None:
        return found
    with uow.blobs.open(sha256, org=disclosure.discloser) as source:
        cut = cut_pages(source, index, CUT_AHEAD)
    for offset, one in enumerate(cut):
        PAGES.put((sha256, index + offset), one, len(one))
    return cut[0]


def view_copy(uow: UnitOfWork, person: Person, disclosure: Disclosure, copy_id: str) -> CopyRecord:
    """The person's view-only copy `copy_id` of the disclosure; NotFound for any other copy."""
    canonical = parse_copy_id(copy_id)
    copy = uow.copies.get(canonical) if canonical else None
    if (copy is None or copy.person_id != person.id or copy.disclosure_id != disclosure.id
            or copy.kind != "view"):
        raise NotFound("copy", copy_id)
    return copy


def _viewing(uow: UnitOfWork, allowed: _Allowed) -> Viewing:
    stamp, media_type = allowed.stamp, allowed.media_type
    assert stamp is not None
    base = Viewing(copy_id=stamp.copy_id, media_type=media_type, stamp_line=stamp.line(),
                   mark=stamp.short())
    try:
        if media_type == PDF:
            count, (width, height) = _outline(uow, allowed.disclosure)
            if count == 0:
                return replace(base, problem="the PDF has no pages")
            scale = VIEW_DPI / 72
            return replace(base, pages=count, page_width=max(1, round(width * scale)),
                           page_height=max(1, round(height * scale)))
        with uow.blobs.open(allowed.disclosure.item_sha256, org=allowed.disclosure.discloser) as source:
            if media_type in IMAGE_TYPES:
                return replace(base, pages=1)
            if media_type in READ_AS_TEXT:
                head = source.read(MAX_VIEW_TEXT + 1)
                # why: partial leaves out a character the limit cut in two
                found = encodings.decode(head[:MAX_VIEW_TEXT], partial=True)
                text = found.text if found is not None else codecs.getincrementaldecoder(
                    "utf-8")("replace").decode(head[:MAX_VIEW_TEXT])
                if len(head) > MAX_VIEW_TEXT:
                    text += (f"\n[… the rest is not shown: view only shows the first "
                             f"{MAX_VIEW_TEXT:,} bytes]\n")
                return replace(base, lines=tuple(stamp_text(text, stamp).splitlines()))
            if media_type == DOCX:
                return replace(base, document=read_docx_view(source, MAX_VIEW_TEXT))
            if media_type == XLSX:
                return replace(base, sheets=office_view.sheets(source, MAX_VIEW_SHEET_ROWS,
                                                               MAX_VIEW_SHEET_COLUMNS))
            if media_type == PPTX:
                return replace(base, slides=office_view.slides(source, MAX_VIEW_SLIDE_PICTURES))
    except StampError as error:
        return replace(base, problem=str(error))
    return replace(base, problem=f"a file of type {media_type} cannot be shown "
                                                  "in the browser")


def _allowed(uow: UnitOfWork, actor_id: str, disclosure_id: str, action: str, *,
             always_stamp: bool = False, ip: str | None = None) -> _Allowed:
    person = actor(uow, actor_id)
    disclosure = visible_disclosure(uow, person, disclosure_id)
    recheck_access(uow, person, disclosure, action)
    item = uow.items.get(disclosure.item_id)
    agreement = uow.agreements.get(disclosure.agreement_id)
    assert item is not None and agreement is not None  # foreign keys guarantee them
    version = item.versions[disclosure.item_version - 1]
    filename = version.filename or _filename(disclosure.item_title, item.kind)
    terms = agreement.version(disclosure.agreement_version).terms
    # why: a representative's copy always names the chain, whatever the terms ask of recipients
    must = always_stamp or terms.schedule.watermark_downloads or (
        guest_reshare(uow, person, disclosure) is not None)
    if person.org == disclosure.discloser or not must:
        return _Allowed(person, disclosure, version.media_type, filename, None)
    if not always_stamp and not can_stamp(version.media_type):
        raise Refused(Decision((Reason(
            "watermark", "schedule.watermark_downloads",
            f"the agreement asks that every download carry the recipient's name, and "
            f"{why_unstampable(version.media_type)}: it can only be viewed"),)))
    copy_id = new_copy_id()
    while uow.copies.get(copy_id) is not None:  # why: 55 random bits rarely clash; never twice
        copy_id = new_copy_id()
    return _Allowed(person, disclosure, version.media_type, filename,
                    _stamp(uow, person, disclosure, copy_id, uow.clock(), ip))


def recheck_access(uow: UnitOfWork, person: Person, disclosure: Disclosure, action: str) -> None:
    """Raise NotFound or Refused unless the person may do `action` on the disclosure now."""
    agreement = uow.agreements.get(disclosure.agreement_id)
    assert agreement is not None
    via = guest_reshare(uow, person, disclosure)
    if via is not None:  # a representative's guest: the re-share's rule, never wider
        reshare, representative = via
        demands = uow.returns.demands(disclosure.agreement_id, org=representative.org,
                                      discloser=disclosure.discloser)
        decision = decide_reshare_access(
            person=person, reshare=reshare, representative=representative, disclosure=disclosure,
            agreement=agreement, action=action, now=uow.clock(),
            demanded_at=demands[0].demanded_at if demands else None)
    else:
        decision = decide_access(person=person, disclosure=disclosure, agreement=agreement,
                                 action=action, now=uow.clock(),
                                 demanded_at=demanded_at(uow, person, disclosure))
    if decision.not_found:
        raise NotFound("disclosure", disclosure.id)
    if not decision.allowed:
        raise Refused(decision)


def _stamp(uow: UnitOfWork, person: Person, disclosure: Disclosure, copy_id: str, at: datetime,
           ip: str | None) -> Stamp:
    """The copy's stamp: with the discloser's watermark template (the agreement's, else the
    org's), except for a representative's guest, whose copy always names the chain."""
    org = uow.orgs.get_org(person.org)
    discloser = uow.orgs.get_org(disclosure.discloser)
    via = guest_reshare(uow, person, disclosure)
    if via is not None:  # the chain: "Acme → Globex to Jo Smith <jo@…> (Precision Parts Ltd)"
        representative = via[1]
        receiver = uow.orgs.get_org(representative.org)
        chain = (f"{discloser.name if discloser else disclosure.discloser} → "
                 f"{receiver.name if receiver else representative.org}")
        return Stamp(discloser=chain, recipient_name=f"{person.name} <{person.email}>",
                     recipient_org=representative.organization,
                     agreement_id=disclosure.agreement_id,
                     agreement_version=disclosure.agreement_version, at=at, copy_id=copy_id)
    return Stamp(discloser=discloser.name if discloser else disclosure.discloser,
                 recipient_name=person.name, recipient_org=org.name if org else person.org,
                 agreement_id=disclosure.agreement_id, agreement_version=disclosure.agreement_version,
                 at=at, copy_id=copy_id, recipient_email=person.email, ip=ip,
                 template=uow.watermarks.resolved(disclosure.discloser, disclosure.agreement_id))


def _record_copy(uow: UnitOfWork, person: Person, disclosure: Disclosure, action: str,
                 allowed: _Allowed, sha256: str | None) -> CopyRecord:
    assert allowed.stamp is not None
    now = uow.clock()
    access = AccessRecord(id=new_id("acc"), disclosure_id=disclosure.id, person_id=person.id,
                          action=Action(action), at=now)
    uow.disclosures.add_access(access)
    copy = CopyRecord(copy_id=allowed.stamp.copy_id, access_id=access.id, disclosure_id=disclosure.id,
                      person_id=person.id, kind=action, media_type=allowed.media_type,
                      sha256=sha256, at=allowed.stamp.at)
    uow.copies.add(copy)
    record(uow, partnership_log(disclosure.partnership_id), person.id, disclosure.id,
           DisclosureAccessed(access=access.id, action=action, copy=copy.copy_id,
                              sha256=sha256 or None))
    return copy


def _filename(title: str, kind: ItemKind) -> str:
    safe = "".join(c if c.isalnum() or c in " -_." else "_" for c in title).strip() or "item"
    return f"{safe[:80]}.md" if kind is ItemKind.NOTE else safe[:80]
