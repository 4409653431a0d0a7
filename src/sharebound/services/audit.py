"""Reading and verifying the audit log."""

from __future__ import annotations

from collections.abc import Callable

from sharebound.domain.audit import ChainProblem, Event, partnership_log, verify_chain
from sharebound.services.common import actor, visible_partnership
from sharebound.services.unit_of_work import UnitOfWork


def verify_audit(
    uow: UnitOfWork, progress: Callable[[int, int], None] | None = None
) -> list[ChainProblem]:
    """Recompute every log's chain; one problem per broken log (its first), none if all hold."""
    problems = []
    with uow:
        heads = uow.events.heads()
        for done, (log, head_seq) in enumerate(sorted(heads.items()), start=1):
            problem = verify_chain(log, uow.events.read(log), head_seq)
            if problem is not None:
                problems.append(problem)
            if progress is not None:
                progress(done, len(heads))
    return problems


def partnership_events(uow: UnitOfWork, actor_id: str, partnership_id: str) -> list[Event]:
    with uow:
        partnership = visible_partnership(uow, actor(uow, actor_id), partnership_id, accepted=True)
        return list(uow.events.read(partnership_log(partnership.id)))
