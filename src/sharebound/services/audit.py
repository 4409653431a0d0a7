"""Reading and verifying the audit log."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from multiprocessing.pool import Pool

from sharebound.domain.audit import ChainProblem, Event, partnership_log
from sharebound.domain.errors import BadPageRequest
from sharebound.domain.limits import PAGE_MAX
from sharebound.domain.log_blocks import BLOCK
from sharebound.domain.log_check import SignedCheckpoint, check_level, check_log
from sharebound.domain.orgs import Person
from sharebound.domain.paging import FIRST_PAGE, Page, PageRequest, decode_cursor, encode_cursor
from sharebound.domain.transparency import parse_checkpoint, split_note
from sharebound.services.audit_blocks import check_planned, database_url, planned, workers
from sharebound.services.common import actor, visible_partnership
from sharebound.services.ports import LogSigner
from sharebound.services.requests import withheld_requests, without_withheld_text
from sharebound.services.unit_of_work import UnitOfWork


def verify_audit(
    uow: UnitOfWork, progress: Callable[[int, int], None] | None = None,
    key: LogSigner | None = None, jobs: int = 1, block: int = BLOCK,
) -> list[ChainProblem]:
    """Recompute every log's chain and Merkle tree, streamed; one problem per broken log (its
    first), none if all hold. With the instance's log `key`, each stored checkpoint's signature
    is checked too, and its root against the tree recomputed from the events.

    With `jobs` above 1, worker processes check the logs, a log of more than one `block` of
    events a block each at a time (services/audit_blocks.py): the same findings."""
    url = database_url(uow.engine) if jobs > 1 else None
    problems = []
    with ExitStack() as stack, uow.reading():
        heads = sorted(uow.events.heads().items())
        if url is not None and heads:
            found = _in_blocks(uow, heads, key, stack.enter_context(workers(url, jobs)), jobs, block)
        else:
            found = ((log, _check(uow, log, head_seq, key)) for log, head_seq in heads)
        for done, (_, problem) in enumerate(found, start=1):
            if problem is not None:
                problems.append(problem)
            if progress is not None:
                progress(done, len(heads))
    return problems


def _in_blocks(uow: UnitOfWork, heads: list[tuple[str, int]], key: LogSigner | None, pool: Pool,
               jobs: int, block: int) -> Iterator[tuple[str, ChainProblem | None]]:
    """Each log's first problem, in order, the logs' blocks checked by the pool."""
    early: dict[str, ChainProblem | None] = {}
    logs = []
    for log, head_seq in heads:
        read = _checkpoints(uow, log, key)
        if isinstance(read, ChainProblem):
            early[log] = read
        elif uow.transparency.has_events_after(log, head_seq):
            # why the whole log's way: blocks end at the head, and rows lie past it (damage)
            early[log] = _check(uow, log, head_seq, key)
        else:
            logs.append(planned(log, head_seq, *read, block))
    found = check_planned(pool, uow.transparency, logs, jobs, block)
    for log, _ in heads:
        yield log, early[log] if log in early else next(found)


def _checkpoints(uow: UnitOfWork, log: str,
                 key: LogSigner | None) -> tuple[list[bytes], list[SignedCheckpoint]] | ChainProblem:
    """The log's right edge and its stored checkpoints, each with whether its signature holds."""
    head = uow.transparency.head(log)
    frontier = head[1] if head is not None else []
    signed = []
    for stored in uow.transparency.checkpoints(log):
        try:
            body, signatures = split_note(stored.note)
            origin_line, size, root = parse_checkpoint(body)
        except ValueError as error:
            return ChainProblem(log, stored.size, f"its checkpoint at size {stored.size} is not a "
                                                  f"signed note ({error})")
        ours = [s for name, s in signatures if key is not None and name == key.name
                and s[:4] == key.key_hash]
        valid = key is None or any(key.verify(body.encode("utf-8"), s[4:]) for s in ours)
        if size != stored.size or root.hex() != stored.root or not origin_line.endswith(f"/{log}"):
            valid = False
        signed.append(SignedCheckpoint(size=size, root=root, signed=valid))
    return frontier, signed


def _check(uow: UnitOfWork, log: str, head_seq: int, key: LogSigner | None) -> ChainProblem | None:
    read = _checkpoints(uow, log, key)
    if isinstance(read, ChainProblem):
        return read
    frontier, signed = read
    problem = check_log(log, uow.transparency.stored_events(log), head_seq, frontier, signed)
    if problem is not None:
        return problem
    for level in range(1, max(head_seq, 1).bit_length()):
        problem = check_level(log, level, uow.transparency.level(log, level - 1),
                              uow.transparency.level(log, level))
        if problem is not None:
            return problem
    return None


def partnership_events(uow: UnitOfWork, actor_id: str, partnership_id: str) -> list[Event]:
    """The partnership's whole log as the actor's org may see it (page after page)."""
    seen: list[Event] = []
    request = PageRequest(limit=PAGE_MAX)
    while True:
        page = partnership_events_page(uow, actor_id, partnership_id, request)
        seen += page.rows
        if page.after is None:
            return seen
        request = PageRequest(limit=PAGE_MAX, after=decode_cursor(page.after))


# why: a page of events the reader may not see (another org's agreement in a partnership of
# three) is skipped a chunk at a time; past this many chunks the page is answered short, with
# its `next`, so that one request never reads more than this many chunks of the log
SCAN_CHUNKS = 10


def partnership_events_page(uow: UnitOfWork, actor_id: str, partnership_id: str,
                            request: PageRequest = FIRST_PAGE) -> Page[Event]:
    """One page of the partnership's log, oldest first, as the actor's org may see it.

    In a partnership of three or more, an agreement between some of its orgs is theirs alone:
    its events, and those of the disclosures made under it, are left out for the others.
    Only the disclosures the page's events name are read, never the partnership's register.
    """
    after = 0
    if request.after is not None:
        if len(request.after) != 1 or not isinstance(request.after[0], int):
            raise BadPageRequest({"after": "is not a cursor this list gave"})
        after = request.after[0]
    with uow.reading():
        person = actor(uow, actor_id)
        partnership = visible_partnership(uow, person, partnership_id, accepted=True)
        hidden_always = hidden_base(uow, person, partnership.id)
        withheld = withheld_requests(uow, partnership.id, person.org)
        log = partnership_log(partnership.id)
        shown: list[Event] = []
        for _ in range(SCAN_CHUNKS):
            chunk = uow.events.read_after(log, after, request.limit + 1)
            hidden = hidden_among(uow, person, hidden_always, chunk)
            for event in chunk:
                if len(shown) > request.limit:
                    break
                after = event.seq
                if visible(event, hidden):
                    shown.append(event)
            if len(shown) > request.limit or len(chunk) <= request.limit:
                break
        page = without_withheld_text(shown[:request.limit], withheld)
        if len(shown) > request.limit:
            return Page(rows=page, after=encode_cursor((page[-1].seq,)))
        if len(chunk) > request.limit:  # the scan budget ran out before the log did
            return Page(rows=page, after=encode_cursor((after,)))
        return Page(rows=page)


def hidden_base(uow: UnitOfWork, person: Person, partnership_id: str) -> set[str]:
    """The ids whose events the person's org may never see in the partnership, whatever the
    events: the agreements it is not party to, and the requests that do not concern it."""
    hidden = {a.id for a in uow.agreements.list_for_partnership(partnership_id)
              if person.org not in a.terms.parties}
    # A request's events are for the org that asked and the org it asked, as the request is.
    return hidden | uow.requests.ids_not_concerning(partnership_id, person.org)


def hidden_among(uow: UnitOfWork, person: Person, base: set[str], events: Iterable[Event]) -> set[str]:
    """`base` (hidden_base) and the disclosures named by `events` that the person may not see:
    only those disclosures are read, never the partnership's whole register."""
    events = list(events)
    named = {e.subject for e in events} | {d for e in events for d in _disclosures_named(e)}
    # A disclosure's events are for the disclosing org and its recipients, as the disclosure is.
    return base | {d.id for d in uow.disclosures.by_ids(named).values()
                   if d.agreement_id in base or (d.discloser != person.org
                                                 and person.id not in d.recipients)}


def visible(event: Event, hidden: set[str]) -> bool:
    """Whether an event is for the reader: not about, nor naming, anything hidden from it (a
    message linking a disclosure; a package naming its disclosures)."""
    return (event.subject not in hidden and event.data.get("agreement") not in hidden
            and not any(d in hidden for d in _disclosures_named(event)))


def _disclosures_named(event: Event) -> list[str]:
    named = event.data.get("disclosures")
    found = [str(d) for d in named] if isinstance(named, list) else []
    return found + ([str(event.data["disclosure"])] if event.data.get("disclosure") else [])
