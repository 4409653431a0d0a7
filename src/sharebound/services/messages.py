"""The partnership feed: post (replies, mentions, links to disclosures), read, and unread markers."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from sharebound.domain.audit import partnership_log
from sharebound.domain.errors import InvalidInput
from sharebound.domain.events import MessagePosted
from sharebound.domain.ids import new_id
from sharebound.domain.messages import (
    MAX_BODY,
    MAX_MENTIONS,
    Message,
    mentioned_ids,
    resolve_mentions,
    segments,
)
from sharebound.domain.orgs import Person
from sharebound.domain.paging import FIRST_PAGE, PageRequest
from sharebound.domain.partnerships import Partnership
from sharebound.services import channels
from sharebound.services.common import actor, record, required_body, visible_partnership
from sharebound.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class FeedEntry:
    """A message as one reader sees it."""

    message: Message
    new: bool  # posted by someone else after the reader's marker
    segments: list[tuple[str, Person | None]]  # the body, with its resolved mentions
    author: Person | None


@dataclass(frozen=True)
class Feed:
    entries: list[FeedEntry]
    unread: int
    read_up_to: datetime | None  # the reader's marker before this read
    # the titles of the disclosures its messages point to that the reader sees, by id
    disclosure_titles: dict[str, str] = field(default_factory=dict)
    after: str | None = None  # the cursor of the next page (None: this is the last one)


def post_message(
    uow: UnitOfWork, actor_id: str, partnership_id: str, *, body: str, classification: str = "public",
    reply_to: str | None = None, disclosure_id: str | None = None,
) -> Message:
    """Post under the agreement in force (above public). A reply answers a message of the
    same partnership; `@` mentions resolve to people of the orgs that accepted it; a linked
    disclosure must be one of the partnership's that the author can see."""
    text = required_body("body", body, MAX_BODY)
    level = channels.level_of(classification)
    with uow:
        person = actor(uow, actor_id)
        partnership = visible_partnership(uow, person, partnership_id, accepted=True)
        now = uow.clock()
        _check_links(uow, person, partnership, reply_to, disclosure_id)
        mentions = mentioned_ids(resolve_mentions(text, _feed_people(uow, partnership)))
        if len(mentions) > MAX_MENTIONS:
            raise InvalidInput({"body": f"mentions at most {MAX_MENTIONS} people"})
        # A message is information too: the agreement in force and the content gate decide.
        cover = channels.clear_text(uow, org=person.org, partnership_id=partnership.id,
                                    texts=[(None, text)], audience=partnership.orgs, level=level,
                                    now=now)
        agreement_id, digest = cover.agreement_id, cover.agreement_digest
        message = Message(
            id=new_id("msg"), partnership_id=partnership.id, org=person.org, author_id=person.id,
            body=text, classification=level, agreement_id=agreement_id,
            agreement_digest=digest, created_at=now, reply_to=reply_to or None,
            disclosure_id=disclosure_id or None, mentions=mentions)
        uow.messages.add(message)
        record(uow, partnership_log(partnership.id), person.id, message.id, MessagePosted(
            classification=level.value, agreement=message.agreement_id, mentions=tuple(mentions),
            reply_to=message.reply_to, disclosure=message.disclosure_id))
        uow.commit()
    return message


def list_messages(uow: UnitOfWork, actor_id: str, partnership_id: str) -> list[Message]:
    """The feed's first page, as the actor may see it (see `read_feed`), without marking it read."""
    return [e.message for e in read_feed(uow, actor_id, partnership_id).entries]


def read_feed(uow: UnitOfWork, actor_id: str, partnership_id: str, request: PageRequest = FIRST_PAGE) -> Feed:
    """One page of the feed, oldest first, as the actor sees it. A message above public is
    information under the agreement it was posted under: once that agreement is no longer in
    force, its body is withheld. A link to a disclosure shows only to people who may see that
    disclosure. `unread` counts the whole feed, not only the page."""
    with uow.reading():
        return feed_in(uow, actor(uow, actor_id), partnership_id, request)


def feed_in(uow: UnitOfWork, person: Person, partnership_id: str, request: PageRequest = FIRST_PAGE, *,
            threads: bool = False) -> Feed:
    """`read_feed` inside a transaction the caller owns; with `threads`, a page of the
    messages that answer none, each followed (in time order) by all its replies."""
    partnership = visible_partnership(uow, person, partnership_id, accepted=True)
    now = uow.clock()
    in_force = {a.id for a in uow.agreements.list_for_partnership(partnership.id) if a.is_in_force(now)}
    people = {p.id: p for p in _feed_people(uow, partnership)}
    marker, unread = uow.messages.read_up_to_and_unread(person.id, partnership.id)
    entries = []
    page = uow.messages.page_for_partnership(partnership.id, request, threads=threads)
    found = page.rows
    if threads:
        replies = uow.messages.replies_to([m.id for m in found])
        found = sorted(found + replies, key=lambda m: (m.created_at, m.id))
    visible = _visible_disclosures(uow, person, partnership.id,
                                   [m.disclosure_id for m in found if m.disclosure_id])
    for m in found:
        if m.agreement_id is not None and m.agreement_id not in in_force:
            m = replace(m, body="", withheld=True)
        if m.disclosure_id is not None and m.disclosure_id not in visible:
            m = replace(m, disclosure_id=None)
        mentioned = [people[p] for p in m.mentions if p in people]
        resolved = {t: p for t, p in resolve_mentions(m.body, people.values()).items()
                    if p in mentioned}
        entries.append(FeedEntry(
            message=m, new=m.author_id != person.id and (marker is None or m.created_at > marker),
            segments=segments(m.body, resolved), author=people.get(m.author_id)))
    return Feed(entries=entries, unread=unread, read_up_to=marker, disclosure_titles=visible,
                after=page.after)


def mark_read(uow: UnitOfWork, actor_id: str, partnership_id: str, up_to: datetime | None = None) -> datetime:
    """Mark the actor's feed of the partnership read up to `up_to` (default: now); the marker
    never moves back. A personal reading position, not a change to shared information: it
    records no event."""
    with uow:
        person = actor(uow, actor_id)
        partnership = visible_partnership(uow, person, partnership_id, accepted=True)
        now = uow.clock()
        at = min(up_to, now) if up_to is not None else now
        uow.messages.set_read_up_to(person.id, partnership.id, at)
        uow.commit()
        found = uow.messages.read_up_to(person.id, partnership.id)
    assert found is not None
    return found


def unread_counts(uow: UnitOfWork, actor_id: str) -> dict[str, int]:
    """Unread messages per partnership the actor's org has accepted."""
    with uow.reading():
        person = actor(uow, actor_id)
        ids = [p.id for p in uow.partnerships.list_for_org(person.org) if p.has_accepted(person.org)]
        return uow.messages.unread_counts(person.id, ids)


def _check_links(uow: UnitOfWork, person: Person, partnership: Partnership, reply_to: str | None,
                 disclosure_id: str | None) -> None:
    errors = {}
    if reply_to:
        parent = uow.messages.get(reply_to)
        if parent is None or parent.partnership_id != partnership.id:
            errors["reply_to"] = "is not a message of this partnership"
        elif parent.reply_to is not None:
            errors["reply_to"] = "is itself a reply: reply to the message it answers"
    if disclosure_id and not _visible_disclosures(uow, person, partnership.id, [disclosure_id]):
        errors["disclosure_id"] = "is not a disclosure of this partnership that you can see"
    if errors:
        raise InvalidInput(errors)


def _visible_disclosures(uow: UnitOfWork, person: Person, partnership_id: str,
                         among: list[str]) -> dict[str, str]:
    """Those of `among` the person sees in the partnership (their org gave them or they
    received them), with their titles: one query, whatever the partnership's history."""
    return uow.disclosures.titles_visible(sorted(set(among)), partnership_id, person.org, person.id)


def _feed_people(uow: UnitOfWork, partnership: Partnership) -> list[Person]:
    """Who a mention may name: the people of the orgs that accepted the partnership."""
    accepted = [org for org in partnership.orgs if partnership.has_accepted(org)]
    of_org = uow.orgs.people_of_orgs(accepted)  # why: one query for all the orgs
    return [p for org in accepted for p in of_org[org]]
