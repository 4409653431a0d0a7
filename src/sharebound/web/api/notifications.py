"""Your notifications and how you hear of each kind."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel, Field

from sharebound.domain.notifications import Notification
from sharebound.services import notifications
from sharebound.web.deps import Me, Uow
from sharebound.web.paging import PagingOf
from sharebound.web.schemas import Strict

router = APIRouter(tags=["notifications"])


class NotificationOut(BaseModel):
    id: str
    kind: str
    title: str
    link: str
    event: str
    subject: str
    created_at: datetime
    read: bool

    @classmethod
    def of(cls, n: Notification) -> NotificationOut:
        return cls(id=n.id, kind=n.kind.value, title=n.title, link=n.link, event=n.event_kind,
                   subject=n.subject, created_at=n.created_at, read=n.read_at is not None)


class NotificationsOut(BaseModel):
    items: list[NotificationOut]
    next: str | None = None  # the link to the next page, or null at the end
    next_cursor: str | None = None
    unread: int = Field(description="How many of your notifications are unread, in all.")


class ReadRequest(Strict):
    ids: list[str] | None = Field(default=None, max_length=1000,
                                  description="The notifications to mark read; omit for all of them.")


class UnreadOut(BaseModel):
    unread: int


class PreferencesBody(Strict):
    preferences: dict[str, str] = Field(
        description="kind → instant | daily | weekly | off; kinds not given keep their mode.",
        examples=[{"disclosed_to_me": "instant", "partnership_quiet": "weekly"}])


@router.get("/notifications", response_model=NotificationsOut)
def list_notifications(me: Me, uow: Uow, paging: PagingOf,
                       unread: bool = False) -> NotificationsOut:
    """Your notifications, newest first (`?unread=true`: only the unread ones). Paged in SQL."""
    found, count = notifications.notifications_page(uow, me.id, paging.request, unread=unread)
    chunk = paging.out(found, NotificationOut.of)
    return NotificationsOut(items=chunk.items, next=chunk.next, next_cursor=chunk.next_cursor, unread=count)


@router.post("/notifications/read", response_model=UnreadOut)
def mark_read(body: ReadRequest, me: Me, uow: Uow) -> UnreadOut:
    """Mark some of your notifications read (or all); answers how many stay unread."""
    return UnreadOut(unread=notifications.mark_read(uow, me.id, body.ids))


@router.get("/me/notification-preferences", response_model=PreferencesBody)
def get_preferences(me: Me, uow: Uow) -> PreferencesBody:
    """How you hear of each kind: instant (email at once), daily or weekly digest, or off (app only)."""
    chosen = notifications.get_preferences(uow, me.id)
    return PreferencesBody(preferences={k.value: m.value for k, m in chosen.items()})


@router.put("/me/notification-preferences", response_model=PreferencesBody)
def set_preferences(body: PreferencesBody, me: Me, uow: Uow) -> PreferencesBody:
    """Change how you hear of some kinds; in-app notifications are always kept."""
    saved = notifications.set_preferences(uow, me.id, body.preferences)
    return PreferencesBody(preferences={k.value: m.value for k, m in saved.items()})
