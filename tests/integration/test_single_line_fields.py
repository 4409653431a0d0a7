"""Every single-line field refuses a line break at input (422 naming the field, nothing
stored), and an old title that has one still goes out by email."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from sharebound.adapters.mail import Email, SmtpMailer
from sharebound.domain.errors import InvalidInput
from sharebound.services import auth, gate, items, orgs, partnerships, requests, webhooks
from tests.factories import sign_as
from tests.integration.servers import smtp_server
from tests.integration.world import World

BROKEN = "Thermal\r\nBcc: everyone@example.com"

# field -> a use case given a broken value for that field (the others valid)
SINGLE_LINE: dict[str, Callable[[World, str], Any]] = {
    "item title": lambda w, v: items.add_item(w.uow(), w.mia.id, title=v, classification="internal",
                                              topics=[], content=b"x"),
    "request title": lambda w, v: requests.open_request(w.uow(), w.gina.id, w.partnership.id,
                                                        title=v, due_on=w.app.clock().date()),
    "partnership name": lambda w, v: partnerships.propose_partnership(
        w.uow(), w.alice.id, name=v, purpose="other", invite=["initech"]),
    "org name": lambda w, v: orgs.create_org(w.uow(), handle="newco", name=v, admin_name="Ned",
                                             admin_email="ned@newco.example"),
    "person name": lambda w, v: orgs.add_person(w.uow(), w.alice.id, org="acme", name=v,
                                                email="olga@acme.example", roles=["member"]),
    "signer title": lambda w, v: sign_as(
        w.uow(), w.sam.id, (a := w.draft()).id, digest=a.current.digest, title=v),
    "token name": lambda w, v: auth.issue_token(w.uow(), email="alice@acme.example",
                                                password="x" * 12, address="127.0.0.1", name=v),
    "item topic": lambda w, v: items.add_item(w.uow(), w.mia.id, title="Drawings",
                                              classification="internal", topics=[v], content=b"x"),
    "item topic changed": lambda w, v: items.update_item(w.uow(), w.mia.id, w.note(), topics=["ok", v]),
    "request topic": lambda w, v: requests.open_request(w.uow(), w.gina.id, w.partnership.id,
                                                        title="Drawings", topic=v,
                                                        due_on=w.app.clock().date()),
    "schedule topic": lambda w, v: w.draft(schedule={"ceiling": "confidential", "topics_excluded": [v]}),
    "crown-jewel term": lambda w, v: gate.add_term(w.uow(), w.alice.id, "acme", v),
    "webhook url": lambda w, v: webhooks.create_webhook(
        w.uow(), w.grace.id, "globex", url=f"https://hooks.globex.example/{v}", kinds=[],
        base_url="http://127.0.0.1:8000", allow=w.app.settings.webhook_allow_list),
}
FIELD = {"item title": "title", "request title": "title", "partnership name": "name",
         "org name": "name", "person name": "name", "signer title": "title", "token name": "name",
         "item topic": "topics", "item topic changed": "topics", "request topic": "topic",
         "schedule topic": "schedule.topics_excluded", "crown-jewel term": "term", "webhook url": "url"}


@pytest.mark.parametrize("field", SINGLE_LINE)
def test_a_line_break_in_a_single_line_field_is_refused_naming_the_field(world: World, field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        SINGLE_LINE[field](world, BROKEN)

    assert FIELD[field] in refused.value.errors
    assert "control characters" in refused.value.errors[FIELD[field]]


def test_details_keep_their_line_breaks_but_not_other_control_characters(world: World) -> None:
    made = requests.open_request(world.uow(), world.gina.id, world.partnership.id, title="Drawings",
                                 details="First\nSecond", due_on=world.app.clock().date())
    assert made.details == "First\nSecond"

    with pytest.raises(InvalidInput) as refused:
        requests.open_request(world.uow(), world.gina.id, world.partnership.id, title="Drawings",
                              details="bell\x07", due_on=world.app.clock().date())
    assert list(refused.value.errors) == ["details"]


def test_an_old_subject_with_a_line_break_still_sends_as_one_line() -> None:
    with smtp_server() as (inbox, port):
        mailer = SmtpMailer(host="127.0.0.1", port=port, tls="none", sender="sharebound@example.com",
                            timeout=2.0)
        mailer.send(Email(to="gina@globex.example", subject=f"Sharebound: {BROKEN}",
                          text="Hello", html="<p>Hello</p>"))

    assert [m["Subject"] for m in inbox.messages] == [
        "Sharebound: Thermal Bcc: everyone@example.com"]
    assert inbox.messages[0]["Bcc"] is None
