"""Items: add, version, reclassify (a second signer to lower a crown jewel), read."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import BinaryIO, Literal

from sharebound.adapters.blobs import TooLarge
from sharebound.adapters.filetypes import problem_with
from sharebound.domain.audit import org_log
from sharebound.domain.classification import Classification
from sharebound.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from sharebound.domain.events import (
    ItemAdded,
    ItemReclassified,
    ItemUpdated,
    ItemVersionAdded,
    ReclassificationRequested,
)
from sharebound.domain.ids import new_id
from sharebound.domain.items import Item, ItemKind, ItemVersion, Reclassification, needs_second_approval
from sharebound.domain.limits import MAX_NOTE_BYTES, MAX_TOPICS
from sharebound.domain.orgs import Person, Role
from sharebound.domain.paging import FIRST_PAGE, Page, PageRequest
from sharebound.domain.second_factors import FactorProof
from sharebound.domain.values import is_topic, topic_line
from sharebound.services import copies, folders, gate, search
from sharebound.services.common import actor, is_guest, record, require_role, required_text
from sharebound.services.copies import Download
from sharebound.services.second_factors import verify_fresh_factor
from sharebound.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class ItemFields:
    """An item's metadata as parsed; None where it was not given (an update leaves it)."""

    title: str | None = None
    classification: Classification | None = None
    topics: frozenset[str] | None = None


def parse_item_fields(*, title: object = None, classification: object = None, topics: object = None,
                      required: bool = False) -> ItemFields:
    """The one parser of an item's title, classification and topics, for the API, the pages
    and the CLI (`topics` a list: see `topics_of_text` for a form's). With `required` (a new
    item), title and classification must be there. `InvalidInput` names every bad field."""
    errors: dict[str, str] = {}
    clean_title = None
    if title is not None or required:
        try:
            clean_title = required_text("title", title)
        except InvalidInput as bad:
            errors.update(bad.errors)
    level = (_classification(errors, classification)
             if classification is not None or required else None)
    clean_topics = _topics(errors, topics) if topics is not None else None
    if errors:
        raise InvalidInput(errors)
    return ItemFields(clean_title, level, clean_topics)


def topics_of_text(text: str) -> list[str]:
    """The topics a form's one text field lists, comma-separated."""
    return [t for t in text.split(",") if t.strip()]


def add_item(
    uow: UnitOfWork, actor_id: str, *, title: str, classification: str, topics: Sequence[str],
    content: bytes | BinaryIO, kind: str = "note", media_type: str = "text/markdown",
    filename: str | None = None, limit: int | None = None, trade_secret: bool = False,
    folder_id: str | None = None,
) -> Item:
    """An item owned by the actor's org, its content (bytes, or a file read in chunks, at most
    `limit` bytes) stored by SHA-256."""
    errors = {}
    try:
        fields = parse_item_fields(title=title, classification=classification, topics=topics or [],
                                   required=True)
    except InvalidInput as bad:
        errors.update(bad.errors)
    if kind not in {k.value for k in ItemKind}:
        errors["kind"] = "must be note or file"
    if kind == ItemKind.NOTE and isinstance(content, bytes) and len(content) > MAX_NOTE_BYTES:
        errors["body"] = f"a note is at most {MAX_NOTE_BYTES} bytes; upload a file instead"
    errors.update(_content_errors(uow, kind, content, media_type, limit))
    if errors:
        raise InvalidInput(errors)
    clean_title, level, clean_topics = fields.title, fields.classification, fields.topics
    assert clean_title is not None and level is not None and clean_topics is not None
    with uow:
        person = actor(uow, actor_id)
        if is_guest(uow, person):
            raise PermissionDenied("a representative's guest account holds no library: it reads "
                                   "what was re-shared to it")
        if folder_id is not None:
            folders.own_folder(uow, person, folder_id)
        now = uow.clock()
        try:
            stored = uow.blobs.put(content, limit, org=person.org)
        except TooLarge as over:
            raise InvalidInput({"file": f"is over the limit of {over.limit} bytes"}) from None
        sha256 = stored.sha256
        version = ItemVersion(number=1, sha256=sha256, size=stored.size, media_type=media_type,
                              filename=filename, created_at=now, created_by=person.id)
        item = Item(id=new_id("itm"), owner=person.org, kind=ItemKind(kind), title=clean_title,
                    classification=level, topics=clean_topics, versions=(version,), created_at=now,
                    trade_secret=bool(trade_secret), folder_id=folder_id)
        uow.items.add(item)
        gate.sync_fingerprints(uow, item.owner, item.id, version, level)
        search.index_item_in(uow, item)
        record(uow, org_log(person.org), person.id, item.id,
               ItemAdded(version=1, sha256=sha256, classification=level.value))
        uow.commit()
    return item


def add_item_version(
    uow: UnitOfWork, actor_id: str, item_id: str, *, content: bytes, media_type: str | None = None,
    filename: str | None = None,
) -> Item:
    with uow:
        person = actor(uow, actor_id)
        item = _own_item(uow, person, item_id)
        _add_version_in(uow, person, item, content, media_type, filename)
        uow.commit()
        return uow.items.get(item.id) or item


def _add_version_in(
    uow: UnitOfWork, person: Person, item: Item, content: bytes, media_type: str | None,
    filename: str | None,
) -> ItemVersion:
    if item.kind is ItemKind.NOTE and len(content) > MAX_NOTE_BYTES:
        raise InvalidInput({"body": f"a note is at most {MAX_NOTE_BYTES} bytes"})
    if errors := _content_errors(uow, item.kind, content, media_type or item.current.media_type):
        raise InvalidInput(errors)
    sha256 = uow.blobs.put(content, org=item.owner).sha256
    if sha256 == item.current.sha256:
        raise Conflict("this content is already the current version")
    version = ItemVersion(
        number=item.current.number + 1, sha256=sha256, size=len(content),
        media_type=media_type or item.current.media_type,
        filename=filename if filename is not None else item.current.filename,
        created_at=uow.clock(), created_by=person.id)
    uow.items.add_version(item.id, version)
    gate.sync_fingerprints(uow, item.owner, item.id, version, item.classification)
    search.index_item_in(uow, uow.items.get(item.id) or item)  # a title changed just before counts
    record(uow, org_log(person.org), person.id, item.id,
           ItemVersionAdded(version=version.number, sha256=sha256))
    return version


@dataclass(frozen=True)
class Reclassified:
    item: Item
    pending: Reclassification | None  # set when a second signer must approve


def reclassify_item(uow: UnitOfWork, actor_id: str, item_id: str, classification: str) -> Reclassified:
    """Change an item's classification; lowering it out of `restricted` waits for a second signer."""
    return update_item(uow, actor_id, item_id, classification=classification)


def update_item(
    uow: UnitOfWork, actor_id: str, item_id: str, *, title: str | None = None,
    topics: Sequence[str] | None = None, classification: str | None = None,
    content: bytes | None = None, trade_secret: bool | None = None,
    folder_id: str | Literal["keep"] | None = "keep",
) -> Reclassified:
    """Change any of title, topics, classification, whether it is a trade secret, and (a new
    version of) content, at once."""
    errors: dict[str, str] = {}
    clean_title = clean_topics = level = None
    try:
        fields = parse_item_fields(title=title, classification=classification, topics=topics)
        clean_title, level, clean_topics = fields.title, fields.classification, fields.topics
    except InvalidInput as bad:
        errors.update(bad.errors)
    if content is not None and len(content) > MAX_NOTE_BYTES:
        errors["body"] = f"a note is at most {MAX_NOTE_BYTES} bytes"
    if errors:
        raise InvalidInput(errors)
    if (clean_title is None and clean_topics is None and level is None and content is None
            and trade_secret is None and folder_id == "keep"):
        raise InvalidInput({"body": "name at least one of title, topics, classification, "
                                    "trade_secret, body, folder_id"})
    with uow:
        person = actor(uow, actor_id)
        item = _own_item(uow, person, item_id)
        log = org_log(person.org)
        if clean_title is not None or clean_topics is not None:
            labels = (clean_title or item.title, clean_topics if clean_topics is not None else item.topics)
            uow.items.set_metadata(item.id, title=labels[0], topics=labels[1])
            search.relabel_item_in(uow, item, title=labels[0], topics=labels[1])
            record(uow, log, person.id, item.id, ItemUpdated(
                fields=tuple(f for f, v in (("title", clean_title), ("topics", clean_topics))
                             if v is not None)))
        if folder_id != "keep":
            folders.move_item_in(uow, person, item, folder_id)
        if trade_secret is not None and trade_secret != item.trade_secret:
            uow.items.set_trade_secret(item.id, trade_secret)
            record(uow, log, person.id, item.id, ItemUpdated(fields=("trade_secret",)))
        if content is not None:
            if item.kind is not ItemKind.NOTE:
                raise InvalidInput({"body": "only a note has a body; upload a file's new version instead"})
            _add_version_in(uow, person, item, content, None, None)
        pending = _reclassify_in(uow, person, item, level) if level is not None else None
        uow.commit()
        return Reclassified(uow.items.get(item.id) or item, pending)


def _reclassify_in(
    uow: UnitOfWork, person: Person, item: Item, level: Classification
) -> Reclassification | None:
    if level is item.classification:
        raise Conflict(f"the item is already {level.value}")
    log = org_log(person.org)
    if needs_second_approval(item.classification, level):
        require_role(person, Role.SIGNER)
        request = Reclassification(id=new_id("rcl"), item_id=item.id, old=item.classification,
                                   new=level, requested_by=person.id, requested_at=uow.clock())
        uow.items.add_reclassification(request)
        record(uow, log, person.id, item.id, ReclassificationRequested(
            request=request.id, old=item.classification.value, new=level.value))
        return request
    uow.items.set_classification(item.id, level)
    now_item = uow.items.get(item.id) or item  # a version added just before counts
    gate.sync_fingerprints(uow, item.owner, item.id, now_item.current, level)
    search.reclassified_in(uow, replace(now_item, classification=level), item.classification)
    record(uow, log, person.id, item.id,
           ItemReclassified(old=item.classification.value, new=level.value))
    return None


def approve_reclassification(uow: UnitOfWork, actor_id: str, request_id: str,
                             second_factor: FactorProof | None = None) -> Item:
    """A second signer, not the one who asked, approves lowering a crown jewel; one who has a
    second factor gives it fresh (`second_factor`)."""
    with uow:
        person = actor(uow, actor_id)
        request = uow.items.get_reclassification(request_id, lock=True)
        item = uow.items.get(request.item_id) if request is not None else None
        if request is None or item is None or item.owner != person.org:
            raise NotFound("reclassification", request_id)
        require_role(person, Role.SIGNER)
        if request.approved_at is not None:
            raise Conflict("this reclassification is already approved")
        if request.requested_by == person.id:
            raise PermissionDenied("a second signer must approve: not the one who asked")
        if item.classification is not request.old:
            raise Conflict(f"the item is now {item.classification.value}; ask again")
        method = verify_fresh_factor(uow, person, second_factor)  # before anything is written
        approved = replace(request, approved_by=person.id, approved_at=uow.clock())
        uow.items.approve_reclassification(approved)
        uow.items.set_classification(item.id, request.new)
        gate.sync_fingerprints(uow, item.owner, item.id, item.current, request.new)
        search.reclassified_in(uow, replace(item, classification=request.new), item.classification)
        record(uow, org_log(person.org), person.id, item.id, ItemReclassified(
            old=request.old.value, new=request.new.value, request=request.id,
            requested_by=request.requested_by, approved_by=person.id, second_factor=method))
        uow.commit()
        return uow.items.get(item.id) or item


def get_item(uow: UnitOfWork, actor_id: str, item_id: str) -> Item:
    with uow.reading():
        return _own_item(uow, actor(uow, actor_id), item_id)


def pending_reclassification(uow: UnitOfWork, actor_id: str, item_id: str) -> Reclassification | None:
    with uow.reading():
        item = _own_item(uow, actor(uow, actor_id), item_id)
        pending = uow.items.pending_reclassifications(item.id)
        return pending[-1] if pending else None


def list_items(uow: UnitOfWork, actor_id: str) -> list[Item]:
    with uow.reading():
        return uow.items.list_for_org(actor(uow, actor_id).org)


def items_page(uow: UnitOfWork, actor_id: str, request: PageRequest = FIRST_PAGE) -> Page[Item]:
    """One page of the actor's library, oldest first, read in SQL."""
    with uow.reading():
        return uow.items.page_for_org(actor(uow, actor_id).org, request)


def item_content(uow: UnitOfWork, actor_id: str, item_id: str, version: int | None = None) -> bytes:
    with uow.reading():
        item = _own_item(uow, actor(uow, actor_id), item_id)
        number = version or item.current.number
        if not 1 <= number <= len(item.versions):
            raise NotFound("item version", f"{item_id}@{number}")
        return uow.blobs.get(item.versions[number - 1].sha256, org=item.owner)


def item_download(uow: UnitOfWork, actor_id: str, item_id: str, version: int | None = None) -> Download:
    """A version's file (the current one by default) for its org's people: the original,
    streamed from its blob file where the store has one, never read whole into memory."""
    with uow.reading():
        item = _own_item(uow, actor(uow, actor_id), item_id)
        number = version or item.current.number
        if not 1 <= number <= len(item.versions):
            raise NotFound("item version", f"{item_id}@{number}")
        chosen = item.versions[number - 1]
    filename = chosen.filename or f"{item.id}-v{number}.md"
    return copies.original_download(uow, chosen.sha256, item.owner, filename, chosen.media_type)


def _own_item(uow: UnitOfWork, person: Person, item_id: str) -> Item:
    item = uow.items.get(item_id)
    if item is None or item.owner != person.org:
        raise NotFound("item", item_id)
    return item


def _classification(errors: dict[str, str], value: object) -> Classification | None:
    try:
        return Classification(str(value))
    except ValueError:
        errors["classification"] = "must be one of public, internal, confidential, restricted"
        return None


def _topics(errors: dict[str, str], value: object) -> frozenset[str] | None:
    if not isinstance(value, list | tuple) or not all(isinstance(t, str) for t in value):
        errors["topics"] = "must be a list of topics"
        return None
    try:
        topics = frozenset(topic_line("topics", t) for t in value)
    except InvalidInput as refused:
        errors.update(refused.errors)
        return None
    bad = sorted(t for t in topics if not is_topic(t))
    if bad:
        errors["topics"] = f"{bad[0]!r} is not a topic (letters, digits, spaces, - and _)"
    elif len(topics) > MAX_TOPICS:
        errors["topics"] = f"at most {MAX_TOPICS} topics"
    return topics


def _content_errors(
    uow: UnitOfWork, kind: str, content: bytes | BinaryIO, media_type: str, limit: int | None = None,
) -> dict[str, str]:
    """What makes the content unsafe to handle as its type, refused before anything is stored."""
    problem = problem_with(content, media_type, uow.limits, limit)
    return {} if problem is None else {"file" if kind == ItemKind.FILE else "body": problem}
