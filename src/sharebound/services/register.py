"""The disclosure register as people read it: with titles, recipients, state and content."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from sharebound.domain.classification import Classification
from sharebound.domain.decisions import Decision, Reason
from sharebound.domain.disclosures import Disclosure, DisclosureState
from sharebound.domain.errors import Refused
from sharebound.domain.items import ItemKind
from sharebound.domain.orgs import Person
from sharebound.domain.rules import decide_access
from sharebound.domain.stamps import Stamp, can_stamp, stamp_text
from sharebound.services.common import actor
from sharebound.services.disclosures import record_access_in, register_of, visible_disclosure
from sharebound.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class DisclosureView:
    disclosure: Disclosure
    state: DisclosureState
    item_title: str
    item_kind: ItemKind
    classification: Classification
    topics: frozenset[str]
    media_type: str
    recipients: tuple[Person, ...]
    body: str | None = None  # a note's text, for a recipient allowed to view it now
    refusal: tuple[Reason, ...] = field(default=())  # why a recipient may not view it now


def list_register(
    uow: UnitOfWork, actor_id: str, *, direction: str = "given", partnership_id: str | None = None
) -> list[DisclosureView]:
    """The register with titles, recipients and states: what the org gave or the person received."""
    with uow.reading():
        found = register_of(uow, actor(uow, actor_id), direction, partnership_id)
        return [_view(uow, d) for d in found]


def view_disclosure(uow: UnitOfWork, actor_id: str, disclosure_id: str) -> DisclosureView:
    """A disclosure as its discloser or a recipient sees it; a recipient's view is recorded."""
    with uow:
        person = actor(uow, actor_id)
        disclosure = visible_disclosure(uow, person, disclosure_id)
        view = _view(uow, disclosure)
        if view.item_kind is not ItemKind.NOTE:
            return view
        agreement = uow.agreements.get(disclosure.agreement_id)
        assert agreement is not None
        now = uow.clock()
        decision = decide_access(person=person, disclosure=disclosure, agreement=agreement,
                                 action="view", now=now)
        if not decision.allowed:
            return replace(view, refusal=decision.reasons)
        body = uow.blobs.get(disclosure.item_sha256).decode("utf-8", errors="replace")
        if person.org != disclosure.discloser:
            record_access_in(uow, person, disclosure, "view", now)
            uow.commit()
        return replace(view, body=body)


@dataclass(frozen=True)
class Download:
    content: bytes
    filename: str
    media_type: str
    copy_id: str | None


def download_disclosure(uow: UnitOfWork, actor_id: str, disclosure_id: str) -> Download:
    """The recipient's copy, stamped with their name where the terms ask; recorded."""
    with uow:
        person = actor(uow, actor_id)
        disclosure = visible_disclosure(uow, person, disclosure_id)
        agreement = uow.agreements.get(disclosure.agreement_id)
        item = uow.items.get(disclosure.item_id)
        assert agreement is not None and item is not None
        now = uow.clock()
        decision = decide_access(person=person, disclosure=disclosure, agreement=agreement,
                                 action="download", now=now)
        if not decision.allowed:
            raise Refused(decision)
        version = item.versions[disclosure.item_version - 1]
        terms = agreement.version(disclosure.agreement_version).terms
        must_stamp = terms.schedule.watermark_downloads and person.org != disclosure.discloser
        if must_stamp and not can_stamp(version.media_type):
            raise Refused(Decision((Reason(
                "watermark", "schedule.watermark_downloads",
                f"the agreement asks for watermarked downloads and {version.media_type} "
                "cannot be stamped yet"),)))
        content = uow.blobs.get(disclosure.item_sha256)
        filename = version.filename or _filename(disclosure.item_title, item.kind)
        if person.org == disclosure.discloser:
            return Download(content, filename, version.media_type, None)
        access = record_access_in(uow, person, disclosure, "download", now)
        if must_stamp:
            stamp = Stamp(discloser=disclosure.discloser, recipient_name=person.name,
                          recipient_org=person.org, agreement_id=agreement.id,
                          agreement_version=disclosure.agreement_version, at=now, copy_id=access.id)
            content = stamp_text(content.decode("utf-8", errors="replace"), stamp).encode("utf-8")
        uow.commit()
        return Download(content, filename, version.media_type, access.id)


def _view(uow: UnitOfWork, disclosure: Disclosure) -> DisclosureView:
    item = uow.items.get(disclosure.item_id)
    assert item is not None  # a foreign key guarantees it
    people = [uow.orgs.get_person(p) for p in sorted(disclosure.recipients)]
    return DisclosureView(
        disclosure=disclosure, state=disclosure.state(uow.clock()), item_title=disclosure.item_title,
        item_kind=item.kind, classification=disclosure.classification, topics=disclosure.topics,
        media_type=item.versions[disclosure.item_version - 1].media_type,
        recipients=tuple(p for p in people if p is not None))


def _filename(title: str, kind: ItemKind) -> str:
    safe = "".join(c if c.isalnum() or c in " -_." else "_" for c in title).strip() or "item"
    return f"{safe[:80]}.md" if kind is ItemKind.NOTE else safe[:80]
