"""Each page is built from one read model in one read transaction, and a page POST opens at
most two transactions: counted as BEGINs on the real engine, per request."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event

from sharebound.adapters.db.engine import READ_ONLY
from sharebound.bootstrap import App
from sharebound.domain.audit import org_log
from sharebound.domain.events import EventKind
from sharebound.services import disclosures, messages, requests
from sharebound.services.disclosures import DisclosureDraft
from sharebound.web import create_app
from tests.e2e.conftest import WORLD_PASSWORD, sign_in_page
from tests.integration.world import World

# why these bounds: one transaction finds the session; a GET then reads its page's model in
# one more, and a POST writes the form claim, the use case and where the form led in one more
# (web/pages/common.py FormWork). The disclose form reads one more, and only reads: the content
# gate reads the item before the form's transaction takes the write lock (services/gate.py warm).
GET_BOUND = 2
POST_BOUND = 2


@contextmanager
def counting(engine: Engine) -> Iterator[list[int]]:
    """The BEGINs on `engine` while the block runs, as [count, of them those that write]."""
    seen = [0, 0]

    def on_begin(connection: Any) -> None:
        seen[0] += 1
        seen[1] += not connection.info.get(READ_ONLY, False)

    event.listen(engine, "begin", on_begin)
    try:
        yield seen
    finally:
        event.remove(engine, "begin", on_begin)


def _form(page: str) -> dict[str, str]:
    return dict(re.findall(r'name="(csrf|form_id)" value="([^"]+)"', page))


@pytest.fixture
def pages(app: App, world: World) -> dict[str, Any]:
    """alice (acme) signed in, with an NDA in force, a disclosure to gina and a request of acme."""
    agreement = world.signed()
    note = world.note(by=world.alice)
    made = disclosures.disclose(world.uow(), world.alice.id, DisclosureDraft(
        item_id=note, agreement_id=agreement.id, recipients=[world.gina.email], actions=["view"]))
    asked = requests.open_request(world.uow(), world.grace.id, world.partnership.id,
                                  title="Thermal test results", due_on=app.clock().date())
    client = sign_in_page(TestClient(create_app(core=app), base_url="http://testserver"),
                          world.alice.email, WORLD_PASSWORD)
    return {"client": client, "agreement": agreement.id, "item": note, "disclosure": made.id,
            "request": asked.id,
            "partnership": world.partnership.id}


def _get_pages(p: dict[str, Any]) -> list[str]:
    return [f"/disclose?partnership={p['partnership']}", f"/disclosures/{p['disclosure']}",
            f"/requests/{p['request']}", f"/partnerships/{p['partnership']}",
            f"/agreements/{p['agreement']}"]


def test_each_page_reads_its_model_in_one_transaction_after_the_session(
    app: App, pages: dict[str, Any],
) -> None:
    client = pages["client"]
    counts = {}
    for path in _get_pages(pages):
        with counting(app.engine) as seen:
            answer = client.get(path)
        assert answer.status_code == 200, (path, answer.text)
        counts[path] = seen[0]

    assert counts == {path: GET_BOUND for path in counts}, counts


def test_a_page_post_opens_no_more_transactions_than_its_bound(app: App, pages: dict[str, Any]) -> None:
    client, p = pages["client"], pages
    posts = {
        "/disclose": (f"/disclose?partnership={p['partnership']}", lambda form: {
            **form, "partnership_id": p["partnership"], "item_id": p["item"],
            "agreement_id": p["agreement"], "recipients": ["gina@globex.example"], "actions": ["view"]}),
        f"/disclosures/{p['disclosure']}/revoke": (f"/disclosures/{p['disclosure']}",
                                                   lambda form: {**form, "reason": "sent by mistake"}),
        f"/partnerships/{p['partnership']}/messages": (f"/partnerships/{p['partnership']}",
                                                        lambda form: {**form, "body": "Hello"}),
        f"/requests/{p['request']}/decline": (f"/requests/{p['request']}",
                                              lambda form: {**form, "reason": "not ours to give"}),
    }
    counts = {}
    for target, (page, fill) in posts.items():
        data = fill(_form(client.get(page).text))
        with counting(app.engine) as seen:
            answer = client.post(target, data=data, follow_redirects=False)
        assert answer.status_code == 303, (target, answer.text)
        counts[target] = (seen[0], seen[1])

    # (transactions, of them those that write): one writes, whatever the form
    assert all(n <= POST_BOUND + (target == "/disclose") and writes == 1
               for target, (n, writes) in counts.items()), counts


def test_a_page_form_sent_twice_acts_once_and_both_go_where_the_first_led(
    app: App, pages: dict[str, Any], world: World,
) -> None:
    client, p = pages["client"], pages
    here = f"/partnerships/{p['partnership']}"
    data = {**_form(client.get(here).text), "body": "Sent once"}

    first = client.post(f"{here}/messages", data=data, follow_redirects=False)
    second = client.post(f"{here}/messages", data=data, follow_redirects=False)

    assert first.status_code == second.status_code == 303
    assert second.headers["location"] == first.headers["location"]
    bodies = [m.body for m in messages.list_messages(world.uow(), world.alice.id, p["partnership"])]
    assert bodies.count("Sent once") == 1


def test_a_disclosure_the_page_refuses_is_still_on_the_disclosers_log(
    app: App, pages: dict[str, Any], world: World,
) -> None:
    client, p = pages["client"], pages
    crown_jewel = world.note(by=world.alice, classification="restricted")
    page = f"/disclose?partnership={p['partnership']}"
    data = {**_form(client.get(page).text), "partnership_id": p["partnership"], "item_id": crown_jewel,
            "agreement_id": p["agreement"], "recipients": ["gina@globex.example"], "actions": ["view"]}

    answer = client.post("/disclose", data=data, follow_redirects=False)

    assert answer.status_code == 403
    with app.uow() as uow:
        kinds = [event.kind for event in uow.events.read(org_log("acme"), crown_jewel)]
    assert kinds.count(EventKind.DISCLOSURE_REFUSED) == 1
