"""Reading and verifying the audit log."""

from __future__ import annotations

from collections.abc import Callable

from sharebound.domain.audit import ChainProblem, Event, partnership_log
from sharebound.domain.log_check import SignedCheckpoint, check_level, check_log
from sharebound.domain.orgs import Person
from sharebound.domain.transparency import parse_checkpoint, split_note
from sharebound.services.common import actor, visible_partnership
from sharebound.services.ports import LogSigner
from sharebound.services.requests import withheld_requests, without_withheld_text
from sharebound.services.unit_of_work import UnitOfWork


def verify_audit(
    uow: UnitOfWork, progress: Callable[[int, int], None] | None = None,
    key: LogSigner | None = None,
) -> list[ChainProblem]:
    """Recompute every log's chain and Merkle tree, streamed; one problem per broken log (its
    first), none if all hold. With the instance's log `key`, each stored checkpoint's signature
    is checked too, and its root against the tree recomputed from the events."""
    problems = []
    with uow.reading():
        heads = uow.events.heads()
        for done, (log, head_seq) in enumerate(sorted(heads.items()), start=1):
            problem = _check(uow, log, head_seq, key)
            if problem is not None:
                problems.append(problem)
            if progress is not None:
                progress(done, len(heads))
    return problems


def _check(uow: UnitOfWork, log: str, head_seq: int, key: LogSigner | None) -> ChainProblem | None:
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
    """The partnership's log as the actor's org may see it.

    In a partnership of three or more, an agreement between some of its orgs is theirs alone:
    its events, and those of the disclosures made under it, are left out for the others.
    """
    with uow.reading():
        person = actor(uow, actor_id)
        partnership = visible_partnership(uow, person, partnership_id, accepted=True)
        seen, withheld = visible_events(uow, person, partnership.id)
        return without_withheld_text(seen, withheld)


def visible_events(uow: UnitOfWork, person: Person, partnership_id: str) -> tuple[list[Event], set[str]]:
    """The partnership's events the person's org may see, and the ids of its requests whose
    text is withheld now (their decline reasons are taken out: `without_withheld_text`)."""
    hidden = hidden_subjects(uow, person, partnership_id)
    seen = [e for e in uow.events.read(partnership_log(partnership_id)) if visible(e, hidden)]
    return seen, withheld_requests(uow, partnership_id, person.org)


def hidden_subjects(uow: UnitOfWork, person: Person, partnership_id: str) -> set[str]:
    """The ids whose events the person's org may not see in the partnership."""
    hidden = {a.id for a in uow.agreements.list_for_partnership(partnership_id)
              if person.org not in a.terms.parties}
    # A disclosure's events are for the disclosing org and its recipients, as the disclosure is.
    hidden |= {d.id for d in uow.disclosures.in_partnership(partnership_id)
               if d.agreement_id in hidden or (d.discloser != person.org
                                               and person.id not in d.recipients)}
    # A request's events are for the org that asked and the org it asked, as the request is.
    hidden |= uow.requests.ids_not_concerning(partnership_id, person.org)
    return hidden


def visible(event: Event, hidden: set[str]) -> bool:
    return (event.subject not in hidden and event.data.get("agreement") not in hidden
            and event.data.get("disclosure") not in hidden)  # a message linking a disclosure
