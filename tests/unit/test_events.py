"""The typed events: one payload per kind, stored as the same plain JSON as before they were typed."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sharebound.domain import events
from sharebound.domain.events import (
    DisclosureAccessed,
    EventKind,
    ItemReclassified,
    NotificationPreferencesChanged,
    Payload,
    RequestDeclined,
    RequestFacts,
    WebhookSecretRotated,
)


def _payload_classes() -> list[type[Payload]]:
    return [c for c in vars(events).values()
            if isinstance(c, type) and issubclass(c, Payload) and c is not Payload]


def test_every_event_kind_has_exactly_one_payload_class() -> None:
    kinds = [c.kind for c in _payload_classes()]

    assert sorted(kinds) == sorted(EventKind)
    assert len(kinds) == len(set(kinds))


def test_a_field_named_after_a_python_keyword_is_stored_under_its_old_key() -> None:
    approved = ItemReclassified(old="restricted", new="confidential", request="rcl_1",
                                requested_by="per_1", approved_by="per_2")

    assert ItemReclassified(old="public", new="internal").data() == {"from": "public", "to": "internal"}
    assert approved.data() == {"from": "restricted", "to": "confidential", "request": "rcl_1",
                               "requested_by": "per_1", "approved_by": "per_2"}


def test_an_optional_key_is_left_out_rather_than_stored_as_null() -> None:
    assert DisclosureAccessed(access="acc_1", action="view").data() == {"access": "acc_1", "action": "view"}
    assert DisclosureAccessed(access="acc_1", action="download", copy="cpy_1", sha256="ab").data() == {
        "access": "acc_1", "action": "download", "copy": "cpy_1", "sha256": "ab"}


def test_request_facts_are_stored_at_the_top_level_beside_the_kinds_own_fields() -> None:
    facts = RequestFacts(title="Curves", asker="per_1", asker_org="globex", asked_org="acme",
                         assignee=None, due_on=date(2026, 12, 8), topic=None)

    assert RequestDeclined(facts, reason="No").data() == {
        "title": "Curves", "asker": "per_1", "asker_org": "globex", "asked_org": "acme",
        "assignee": None, "due_on": "2026-12-08", "topic": None, "reason": "No"}


def test_times_are_stored_as_iso_text_and_preferences_as_a_kind_to_mode_object() -> None:
    until = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)

    assert WebhookSecretRotated(old_secret_until=until).data() == {
        "old_secret_until": "2026-12-01T12:00:00+00:00"}
    assert NotificationPreferencesChanged((("mentioned", "daily"),)).data() == {"mentioned": "daily"}
