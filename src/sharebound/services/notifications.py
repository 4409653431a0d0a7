"""A person's own notifications and how they want to hear of each kind: use cases.

Who is told of an event is the listener in services/notify.py.
"""

from __future__ import annotations

from sharebound.domain.audit import org_log
from sharebound.domain.events import NotificationPreferencesChanged
from sharebound.domain.notifications import Kind, Mode, Notification, parse_preferences, with_defaults
from sharebound.domain.paging import FIRST_PAGE, Page, PageRequest
from sharebound.services.common import actor, record
from sharebound.services.unit_of_work import UnitOfWork


def list_notifications(uow: UnitOfWork, actor_id: str, *, unread: bool = False
                       ) -> tuple[list[Notification], int]:
    """Your newest notifications (the first page), and how many are unread."""
    found, count = notifications_page(uow, actor_id, unread=unread)
    return found.rows, count


def notifications_page(uow: UnitOfWork, actor_id: str, request: PageRequest = FIRST_PAGE, *,
                       unread: bool = False) -> tuple[Page[Notification], int]:
    """One page of your notifications, newest first, read in SQL, and how many are unread."""
    with uow.reading():
        person = actor(uow, actor_id)
        return (uow.notifications.page_for(person.id, request, unread=unread),
                uow.notifications.unread_count(person.id))


def unread_count(uow: UnitOfWork, actor_id: str) -> int:
    with uow.reading():
        return uow.notifications.unread_count(actor_id)


def mark_read(uow: UnitOfWork, actor_id: str, ids: list[str] | None) -> int:
    """Mark your notifications read (all of them when `ids` is None); the unread left.

    A read marker is the person's own state, not the shared record: no audit event."""
    with uow:
        person = actor(uow, actor_id)
        uow.notifications.mark_read(person.id, ids, uow.clock())
        left = uow.notifications.unread_count(person.id)
        uow.commit()
    return left


def get_preferences(uow: UnitOfWork, actor_id: str) -> dict[Kind, Mode]:
    with uow.reading():
        person = actor(uow, actor_id)
        return with_defaults(uow.notifications.preferences(person.id))


def set_preferences(uow: UnitOfWork, actor_id: str, given: object) -> dict[Kind, Mode]:
    """Change how you hear of some kinds; kinds not given keep their mode."""
    chosen = parse_preferences(given)
    with uow:
        person = actor(uow, actor_id)
        uow.notifications.set_preferences(person.id, chosen)
        record(uow, org_log(person.org), person.id, person.id, NotificationPreferencesChanged(
            tuple((k.value, m.value) for k, m in sorted(chosen.items()))))
        saved = with_defaults(uow.notifications.preferences(person.id))
        uow.commit()
    return saved
