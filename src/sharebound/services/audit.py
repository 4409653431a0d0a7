"""Reading and verifying the audit log."""

from __future__ import annotations

from collections.abc import Callable

from sharebound.domain.audit import ChainProblem, Event, partnership_log, verify_chain
from sharebound.domain.orgs import Person
from sharebound.services.common import actor, visible_partnership
from sharebound.services.requests import withheld_requests, without_withheld_text
from sharebound.services.unit_of_work import UnitOfWork


def verify_audit(
    uow: UnitOfWork, progress: Callable[[int, int], None] | None = None
) -> list[ChainProblem]:
    """Recompute every log's chain; one problem per broken log (its first), none if all hold."""
    problems = []
    with uow.reading():
        heads = uow.events.heads()
        for done, (log, head_seq) in enumerate(sorted(heads.items()), start=1):
            problem = verify_chain(log, uow.events.read(log), head_seq)
            if problem is not None:
                problems.append(problem)
            if progress is not None:
                progress(done, len(heads))
    return problems


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
    hidden = {a.id for a in uow.agreements.list_for_partnership(partnership_id)
              if person.org not in a.terms.parties}
    # A disclosure's events are for the disclosing org and its recipients, as the disclosure is.
    hidden |= {d.id for d in uow.disclosures.in_partnership(partnership_id)
               if d.agreement_id in hidden or (d.discloser != person.org
                                               and person.id not in d.recipients)}
    # A request's events are for the org that asked and the org it asked, as the request is.
    hidden |= uow.requests.ids_not_concerning(partnership_id, person.org)
    seen = [e for e in uow.events.read(partnership_log(partnership_id))
            if e.subject not in hidden and e.data.get("agreement") not in hidden
            and e.data.get("disclosure") not in hidden]  # a message linking a disclosure
    return seen, withheld_requests(uow, partnership_id, person.org)
