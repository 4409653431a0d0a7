"""The content gate: what in an item stops its disclosure, and what the gate remembers.

- `findings_for(uow, org, item)`: every finding in the item's current version, inside the
  caller's transaction (the disclosure rules turn each into a `content` reason).
- `sync_fingerprints(...)`: called by the item use cases in their transaction, so that the
  fingerprints always describe the current version of each `restricted` item.
- Crown-jewel terms: an org's admins list, add and remove them (each an audit event).

Reading and scanning an item's text depends on its bytes only: the result is kept in a
small in-process cache by SHA-256, so the live preview of the disclose form (a request per
change of the form), the dry run and the disclosure itself read a large PDF once (a
100-page PDF takes ~0.3 s to read and scan). `warm` fills it before a transaction
that holds the write lock, so that extraction never holds up other writers.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

from sharebound.adapters import secrets, shingling, text_extract
from sharebound.domain.audit import org_log
from sharebound.domain.classification import Classification
from sharebound.domain.copies import ShingleRun, copy_findings
from sharebound.domain.errors import Conflict, InvalidInput, NotFound
from sharebound.domain.events import CrownJewelTermAdded, CrownJewelTermRemoved
from sharebound.domain.gate import (
    MAX_TERM,
    CrownJewelTerm,
    Finding,
    Page,
    Where,
    marking_findings,
    normalize_term,
    secret_findings,
    term_findings,
    unknown_type,
    unreadable,
)
from sharebound.domain.ids import new_id
from sharebound.domain.items import Item, ItemVersion
from sharebound.domain.orgs import Person, Role
from sharebound.domain.paging import FIRST_PAGE, PageRequest
from sharebound.domain.paging import Page as ListPage
from sharebound.domain.values import single_line
from sharebound.services.common import actor, record, require_role
from sharebound.services.metrics import timed
from sharebound.services.unit_of_work import UnitOfWork

MAX_TERMS = 1000  # why: codenames, not a dictionary; the pattern of all terms stays small


@dataclass(frozen=True)
class Scanned:
    """What the gate reads in some content, whoever discloses it."""

    pages: tuple[Page, ...]
    complete: bool
    unreadable: str | None
    secrets: tuple[tuple[str, Where], ...]
    shingles: ShingleRun  # NumPy arrays (adapters/shingling.py)
    limits: text_extract.Limits  # what it was read with
    problems: tuple[str, ...] = ()  # parts (embedded files) that could not be read, and why
    unknown: tuple[str, ...] = ()  # what the gate has no reader for (the whole file, or a part)

    @property
    def chars(self) -> int:
        return sum(len(p.text) for p in self.pages)


def scan(content: bytes, media_type: str,
         limits: text_extract.Limits = text_extract.DEFAULT_LIMITS) -> Scanned:
    """Extract the text of `content` and find what does not depend on who discloses it."""
    with timed("gate"):
        extracted = text_extract.extract(content, media_type, max_pages=limits.max_pages,
                                         max_chars=limits.max_chars)
        return scan_pages(extracted.pages, complete=extracted.complete, problem=extracted.unreadable,
                          limits=limits, problems=extracted.problems, unknown=extracted.unknown)


def scan_pages(pages: tuple[Page, ...], *, complete: bool = True, problem: str | None = None,
               limits: text_extract.Limits | None = None, problems: tuple[str, ...] = (),
               unknown: tuple[str, ...] = ()) -> Scanned:
    return Scanned(pages, complete, problem, tuple(secrets.find_secrets(pages)), shingling.shingles(pages),
                   limits or text_extract.DEFAULT_LIMITS, problems, unknown)


class _Cache:
    """The scans of recently checked contents, by SHA-256, within a budget of characters."""

    # why: ~20 MB of text: a few large documents, or thousands of notes
    BUDGET = 20_000_000

    def __init__(self) -> None:
        self._scans: OrderedDict[str, Scanned] = OrderedDict()
        self._chars = 0
        self._lock = threading.Lock()

    def get(self, sha256: str) -> Scanned | None:
        with self._lock:
            found = self._scans.get(sha256)
            if found is not None:
                self._scans.move_to_end(sha256)
            return found

    def put(self, sha256: str, scanned: Scanned) -> None:
        with self._lock:
            if sha256 in self._scans:
                self._chars -= self._scans.pop(sha256).chars
            if scanned.chars > self.BUDGET:
                return
            self._scans[sha256] = scanned
            self._chars += scanned.chars
            while self._chars > self.BUDGET:
                _, dropped = self._scans.popitem(last=False)
                self._chars -= dropped.chars

    def clear(self) -> None:
        with self._lock:
            self._scans.clear()
            self._chars = 0


CACHE = _Cache()


def scanned(uow: UnitOfWork, org: str, version: ItemVersion) -> Scanned:
    """The scan of an item version's content (cached by its SHA-256)."""
    found = CACHE.get(version.sha256)
    if found is None or found.limits != uow.text_limits:
        found = scan(uow.blobs.get(version.sha256, org=org), version.media_type, uow.text_limits)
        CACHE.put(version.sha256, found)
    return found


def text_of(uow: UnitOfWork, org: str, version: ItemVersion) -> str:
    """The text the gate reads in an item version (what search indexes): from the cached
    scan when there is one, else extracted alone (no scan for secrets or copies: a search
    index needs the words only)."""
    found = CACHE.get(version.sha256)
    if found is not None and found.limits == uow.text_limits:
        pages = found.pages
    else:
        pages = text_extract.extract(uow.blobs.get(version.sha256, org=org), version.media_type,
                                     max_pages=uow.text_limits.max_pages,
                                     max_chars=uow.text_limits.max_chars).pages
    return "\n".join(page.text for page in pages)


def warm(uow: UnitOfWork, item_id: str) -> None:
    """Scan an item's current version ahead of a transaction that will check it."""
    with uow.reading():
        item = uow.items.get(item_id)
    if item is not None:
        scanned(uow, item.owner, item.current)


def findings_for(uow: UnitOfWork, org: str, item: Item) -> tuple[Finding, ...]:
    """What in `item`'s current version stops `org` from disclosing it. Findings of kind
    `unknown_type` stop it only where the agreement does not allow unreadable files (the
    disclosure rule decides)."""
    return findings_in(uow, org, scanned(uow, item.owner, item.current), item.classification, own=item.id)


def findings_in(uow: UnitOfWork, org: str, scan: Scanned, classification: Classification,
                own: str | None = None) -> tuple[Finding, ...]:
    """The findings in `scan` for `org`, for content labelled `classification`; `own` is the
    item being checked (its own fingerprints are no copy of itself)."""
    found: list[Finding] = []
    if scan.unreadable is not None:
        found.append(unreadable(scan.unreadable))
    elif not scan.complete:
        found.append(unreadable(
            f"it is longer than the gate reads: the first {scan.limits.max_pages:,} pages or "
            f"{scan.limits.max_chars:,} characters"))
    found += [unreadable(problem) for problem in scan.problems]
    found += [unknown_type(what) for what in scan.unknown]
    found += marking_findings(scan.pages, classification)
    found += term_findings(scan.pages, [t.term for t in uow.gate.terms(org)])
    found += secret_findings(scan.secrets)
    owners = {value: [i for i in ids if i != own]
              for value, ids in uow.gate.owners_in(org, scan.shingles).items()}
    titles = uow.gate.titles(i for ids in owners.values() for i in ids)
    found += copy_findings(scan.shingles, owners, titles)
    return tuple(found)


def text_findings(uow: UnitOfWork, org: str, text: str,
                  classification: Classification) -> tuple[Finding, ...]:
    """The findings in a text typed on the spot (a message), for `org`."""
    return findings_in(uow, org, scan_pages((Page(text),)), classification)


# --- fingerprints of restricted items -------------------------------------------------------

def sync_fingerprints(uow: UnitOfWork, org: str, item_id: str, version: ItemVersion,
                      classification: Classification) -> None:
    """Inside the caller's transaction: `item_id`'s fingerprints become those of `version`
    when the item is `restricted`, and none otherwise."""
    if classification is not Classification.RESTRICTED:
        uow.gate.remove_fingerprints(item_id)
        return
    hashes = scanned(uow, org, version).shingles.distinct()
    uow.gate.set_fingerprints(org, item_id, version.number, hashes)


FINGERPRINTS = "fingerprints"  # the rebuild migration 0031 asks for (pending_rebuilds)


def finish_pending_rebuild(uow: UnitOfWork) -> bool:
    """If a migration dropped the fingerprints (a new fingerprint function), recompute them all,
    then mark the rebuild done; whether there was one. Only a rebuild that ran to its end is
    marked done: an init that dies halfway does it again on the next start."""
    with uow.reading():
        if not uow.gate.rebuild_pending(FINGERPRINTS):
            return False
    reindex_fingerprints(uow)
    with uow:
        uow.gate.finish_rebuild(FINGERPRINTS)
        uow.commit()
    return True


def reindex_fingerprints(uow: UnitOfWork) -> tuple[int, int]:
    """Recompute the fingerprints of every restricted item (one transaction each), e.g. for
    data that predates the gate. Returns (items, fingerprints)."""
    with uow.reading():
        restricted = uow.gate.restricted_item_ids()
    count = 0
    for item_id in restricted:
        with uow:
            item = uow.items.get(item_id)
            if item is None:
                continue
            sync_fingerprints(uow, item.owner, item.id, item.current, item.classification)
            uow.commit()
            count += 1
    with uow.reading():
        return count, uow.gate.fingerprint_count()


# --- crown-jewel terms: the admins of the org only ------------------------------------------

def _admin_of(uow: UnitOfWork, actor_id: str, handle: str) -> Person:
    """The actor, an admin of `handle`. Another org's terms do not exist for them; their
    own org's are refused to anyone but its admins."""
    person = actor(uow, actor_id)
    if person.org != handle:
        raise NotFound("org", handle)
    require_role(person, Role.ADMIN)
    return person


def list_terms(uow: UnitOfWork, actor_id: str, handle: str) -> list[CrownJewelTerm]:
    """Every crown-jewel term of the org, alphabetically (the admin's page)."""
    with uow.reading():
        _admin_of(uow, actor_id, handle)
        return uow.gate.terms(handle)


def terms_page(uow: UnitOfWork, actor_id: str, handle: str,
               request: PageRequest = FIRST_PAGE) -> ListPage[CrownJewelTerm]:
    """One page of the org's crown-jewel terms in the order they were added, read in SQL."""
    with uow.reading():
        _admin_of(uow, actor_id, handle)
        return uow.gate.terms_page(handle, request)


def add_term(uow: UnitOfWork, actor_id: str, handle: str, term: object) -> CrownJewelTerm:
    """Register a crown-jewel term: the gate then refuses any disclosure that contains it."""
    if not isinstance(term, str) or not normalize_term(term):
        raise InvalidInput({"term": "is required"})
    # why single_line first: a line break in a term is refused, not collapsed into a space
    clean = normalize_term(single_line("term", term, MAX_TERM))
    if not any(c.isalnum() for c in clean):
        raise InvalidInput({"term": "must contain a letter or a digit"})
    with uow:
        person = _admin_of(uow, actor_id, handle)
        if uow.gate.term_exists(handle, clean):
            raise Conflict("this term is already registered")
        if len(uow.gate.terms(handle)) >= MAX_TERMS:
            raise Conflict(f"an organization registers at most {MAX_TERMS} terms")
        added = CrownJewelTerm(id=new_id("cjt"), org=handle, term=clean, added_by=person.id,
                               added_at=uow.clock())
        uow.gate.add_term(added)
        # The term itself stays out of the log: the log keeps ids, and the term is a secret.
        record(uow, org_log(handle), person.id, added.id, CrownJewelTermAdded())
        uow.commit()
    return added


def remove_term(uow: UnitOfWork, actor_id: str, handle: str, term_id: str) -> None:
    with uow:
        person = _admin_of(uow, actor_id, handle)
        if uow.gate.get_term(handle, term_id) is None:
            raise NotFound("crown-jewel term", term_id)
        uow.gate.remove_term(term_id)
        record(uow, org_log(handle), person.id, term_id, CrownJewelTermRemoved())
        uow.commit()
