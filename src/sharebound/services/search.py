"""Search over what a person may see (docs/library.md#search): their org's library, and what
they received that they may read now.

- `search(uow, actor_id, q, request)`: one page of hits, best first.
- `index_item_in` / `index_disclosure_in` / `relabel_item_in` / `reclassified_in`: called by the item and
  disclosure use cases inside their transaction, so the index never disagrees with them.
- `reindex(uow)`: documents for what has none (the upgrade that adds search; `init` runs it).

Who sees what is decided here, before the database is asked: the org's own items (not for a
representative's guest, who holds no library), and each received disclosure the access rule
lets the person view or download now (`decide_access`, or `decide_reshare_access` for a
guest: not revoked, not expired, not demanded back, its agreement in force). The query names
exactly those; the text of anything else is never searched.

What a hit shows: an own item, a snippet of its text (the org owns it). A received
disclosure, its metadata only (title and topics as disclosed, discloser, version) and
whether the words were found in its text or in its title and topics; never a piece of the
text, which the disclosure's page gives under its access record, copy and stamp. The index
keeps no text of a disclosure to cut one from, and none at all of a `restricted` item
(title and topics only: `reclassified_in` drops and restores it).
"""

from __future__ import annotations

from dataclasses import dataclass

from sharebound.domain.classification import Classification
from sharebound.domain.disclosures import Disclosure
from sharebound.domain.errors import BadPageRequest
from sharebound.domain.items import Item, ItemKind
from sharebound.domain.limits import MAX_SEARCH_OFFSET
from sharebound.domain.orgs import Person
from sharebound.domain.paging import FIRST_PAGE, Page, PageRequest, encode_cursor
from sharebound.domain.representatives import Reshare, decide_reshare_access
from sharebound.domain.rules import actions_open_under
from sharebound.domain.search import Grant, Readable, found_in_labels, highlight, parse_query, snippet
from sharebound.domain.terms import Action
from sharebound.services import gate
from sharebound.services.common import actor, is_guest
from sharebound.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Hit:
    """One result: an item of the reader's org, or a disclosure they received (then its
    title, classification and topics are what its recipients were told)."""

    item_id: str
    disclosure_id: str | None
    owner: str  # the org the information is from
    version: int
    kind: ItemKind
    title: str
    classification: Classification
    topics: frozenset[str]
    title_html: str  # the title, escaped, the words found marked <mark>
    snippet_html: str  # an own item's text around the first word found, the same way; "" if received
    found_in_text: bool  # False: every word is in the title or the topics

    @property
    def received(self) -> bool:
        return self.disclosure_id is not None


@dataclass(frozen=True)
class Results:
    query: str  # the query as it was understood
    page: Page[Hit]


def search(uow: UnitOfWork, actor_id: str, q: object, request: PageRequest = FIRST_PAGE) -> Results:
    """One page of what `q` finds among what the person may see, best first; `request.after`
    is a position in the ranking (`BadPageRequest` past `MAX_SEARCH_OFFSET`)."""
    query = parse_query(q)
    offset = _offset(request)
    with uow.reading():
        person = actor(uow, actor_id)
        own = None if is_guest(uow, person) else person.org
        readable, disclosers, reshared = readable_received(uow, person)
        found = uow.search.search(query, orgs=[*([own] if own else []), *disclosers], own_org=own,
                                  readable=readable, limit=request.limit + 1, offset=offset)
        shown = found[:request.limit]
        hit = {**uow.disclosures.by_ids(f.disclosure_id for f in shown
                                        if f.disclosure_id and f.disclosure_id not in reshared),
               **reshared}
    words = query.words
    hits = []
    for f in shown:
        received = hit.get(f.disclosure_id) if f.disclosure_id else None
        if (received is None) if f.disclosure_id else f.owner != own:
            continue  # why: the query names only these; a second check costs nothing
        title = received.item_title if received else f.title
        topics = received.topics if received else f.topics
        labels = found_in_labels(query, title, " ".join(sorted(topics)))
        hits.append(Hit(
            item_id=f.item_id, disclosure_id=f.disclosure_id, owner=f.owner, version=f.version,
            kind=f.kind, title=title,
            classification=received.classification if received else f.classification,
            topics=topics, title_html=highlight(title, words),
            # why never for a disclosure: word by word, snippets would rebuild its text with
            # no access record, copy or stamp (H1); its page is where it is read
            snippet_html="" if received or f.disclosure_id else snippet(f.text, words),
            found_in_text=not labels))
    end = offset + request.limit
    more = len(found) > request.limit and end < MAX_SEARCH_OFFSET
    return Results(query.text(), Page(rows=hits, after=encode_cursor((end,)) if more else None))


def readable_received(uow: UnitOfWork, person: Person) -> tuple[Readable, set[str], dict[str, Disclosure]]:
    """What `person` received (or holds through a re-share to them as a representative) that
    the access rule lets them view or download now; the orgs that may have disclosed it (whose
    search keys hashed it); and the re-shared disclosures by id. A fixed number of queries
    however many they received: what they received directly is decided in the search's own
    query, per agreement (`actions_open_under`, the demands to return), never row by row."""
    now = uow.clock()
    demands = uow.returns.first_demanded_of(person.org)
    agreements = uow.agreements.in_partnerships_of(person.org)
    grants = tuple(Grant(agreement_id=a.id, actions=actions_open_under(person=person, agreement=a, now=now),
                         demands=tuple(sorted((by, at) for (under, by), at in demands.items()
                                              if under == a.id and at <= now)))
                   for a in agreements)
    disclosers = {org for a in agreements for org in a.terms.parties if org != person.org}
    found: dict[str, Disclosure] = {}
    representatives = {r.id: r for r in uow.representatives.of_person(person.id)}
    reshares = uow.representatives.reshares_to(list(representatives)) if representatives else []
    shared = uow.disclosures.by_ids(r.disclosure_id for r in reshares) if reshares else {}
    theirs = uow.agreements.get_many([d.agreement_id for d in shared.values()]) if shared else {}
    newest: dict[str, Reshare] = {}
    for reshare in sorted(reshares, key=lambda r: r.created_at, reverse=True):
        newest.setdefault(reshare.disclosure_id, reshare)  # the one `guest_reshare` reads
    to_orgs = {org: uow.returns.first_demanded_of(org)
               for org in sorted({r.org for r in representatives.values()})} if shared else {}
    for reshare in newest.values():
        disclosure = shared[reshare.disclosure_id]
        if person.org == disclosure.discloser or person.id in disclosure.recipients:
            continue  # `guest_reshare`: the discloser's people and recipients read it as such
        representative = representatives[reshare.representative_id]
        demanded = to_orgs[representative.org].get((disclosure.agreement_id, disclosure.discloser))
        if any(decide_reshare_access(person=person, reshare=reshare, representative=representative,
                                     disclosure=disclosure, agreement=theirs[disclosure.agreement_id],
                                     action=action, now=now, demanded_at=demanded).allowed
               for action in _READ):
            found[disclosure.id] = disclosure
    disclosers |= {d.discloser for d in found.values()}
    return Readable(person_id=person.id, now=now, grants=grants, also=tuple(sorted(found))), disclosers, found


_READ = (Action.VIEW.value, Action.DOWNLOAD.value)  # either lets a person read the content


def _offset(request: PageRequest) -> int:
    if request.after is None:
        return 0
    key = request.after
    if len(key) != 1 or not isinstance(key[0], int) or not 0 <= key[0] < MAX_SEARCH_OFFSET:
        raise BadPageRequest({"after": "is not a cursor this search gave"})
    return key[0]


# --- keeping the index -----------------------------------------------------------------------

def index_item_in(uow: UnitOfWork, item: Item) -> None:
    """The item's own document: its current version's text (as the gate reads it; none for a
    restricted item), title and topics; inside the caller's transaction."""
    restricted = item.classification is Classification.RESTRICTED
    text = None if restricted else _text(uow, item.owner, item, item.current.number)
    uow.search.put(key=item.id, org=item.owner, item_id=item.id, disclosure=None,
                   version=item.current.number, title=item.title, topics=sorted(item.topics),
                   body=text, keep_text=True, at=uow.clock())


def relabel_item_in(uow: UnitOfWork, item: Item, *, title: str, topics: frozenset[str]) -> None:
    """A renamed item, or new topics: the text's terms are kept (no need to read it again)."""
    uow.search.set_labels(item.id, item.owner, title=title, topics=sorted(topics))


def index_disclosure_in(uow: UnitOfWork, disclosure: Disclosure, item: Item,
                        texts: dict[int, str] | None = None) -> None:
    """A disclosure's document: the version disclosed, under the title and topics its
    recipients were told; its text's terms only (no text is kept), and none when either the
    disclosure or the item now is restricted; inside the caller's transaction. `texts`: the
    versions' texts already read, by number."""
    text = None
    if Classification.RESTRICTED not in (disclosure.classification, item.classification):
        texts = {} if texts is None else texts
        if disclosure.item_version not in texts:
            texts[disclosure.item_version] = _text(uow, item.owner, item, disclosure.item_version)
        text = texts[disclosure.item_version]
    uow.search.put(key=disclosure.id, org=disclosure.discloser, item_id=item.id,
                   disclosure=disclosure, version=disclosure.item_version,
                   title=disclosure.item_title, topics=sorted(disclosure.topics), body=text,
                   keep_text=False, at=uow.clock())


def revoked_in(uow: UnitOfWork, disclosure: Disclosure) -> None:
    """`disclosure` was just revoked: its document stops being found at once (the search
    decides on the copy of the revocation beside it), inside the revocation's transaction."""
    assert disclosure.revocation is not None
    uow.search.revoke(disclosure.id, disclosure.revocation.at)


def reclassified_in(uow: UnitOfWork, item: Item, old: Classification) -> None:
    """`item` (as it is now) changed from `old`: into `restricted`, its text leaves every
    document of it; out of it, the text comes back (its own and its disclosures' documents).
    Inside the reclassification's transaction."""
    restricted = Classification.RESTRICTED
    if item.classification is restricted and old is not restricted:
        uow.search.drop_text(item.id)
    elif old is restricted and item.classification is not restricted:
        index_item_in(uow, item)
        texts: dict[int, str] = {}
        for disclosure in uow.disclosures.by_ids(uow.search.disclosures_of(item.id)).values():
            index_disclosure_in(uow, disclosure, item, texts)


def _text(uow: UnitOfWork, owner: str, item: Item, number: int) -> str:
    return gate.text_of(uow, owner, item.versions[number - 1])


def reindex(uow: UnitOfWork) -> int:
    """A document for each item and disclosure that has none, one transaction each; how
    many were made. (The upgrade that adds search; safe to run again.)"""
    made = 0
    with uow.reading():
        item_ids = uow.search.unindexed_items()
        disclosure_ids = uow.search.unindexed_disclosures()
    for item_id in item_ids:
        with uow:
            item = uow.items.get(item_id)
            if item is not None:
                index_item_in(uow, item)
                uow.commit()
                made += 1
    for disclosure_id in disclosure_ids:
        with uow:
            disclosure = uow.disclosures.get(disclosure_id)
            item = uow.items.get(disclosure.item_id) if disclosure is not None else None
            if disclosure is not None and item is not None:
                index_disclosure_in(uow, disclosure, item)
                uow.commit()
                made += 1
    return made
