"""Requests and the feed through the JSON API alone: ask, answer by disclosing, decline, and talk."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.conftest import FakeClock
from tests.e2e.conftest import Api, sign_in, sign_through_api, sign_up
from tests.factories import NOW, terms_json


def _partners(client: TestClient) -> tuple[Api, Api, str, str]:
    """acme and globex, active, with an NDA in force from the clock's today."""
    acme = sign_up(client, "acme", "alice@acme.example")
    globex = sign_up(client, "globex", "grace@globex.example")
    partnership = acme.post("/partnerships", json={
        "name": "Joint sensor", "purpose": "new_product", "invite": ["globex"]}).json()["id"]
    globex.post(f"/partnerships/{partnership}/accept")
    today = NOW.date()
    terms = terms_json(effective_date=today.isoformat(),
                       term_end=today.replace(year=today.year + 1).isoformat())
    agreement = acme.post(f"/partnerships/{partnership}/agreements", json={"terms": terms}).json()
    for party in (acme, globex):
        sign_through_api(party, agreement["id"], agreement["digest"])
    return acme, globex, partnership, agreement["id"]


def _note(api: Api, title: str = "Thermal test results") -> str:
    made = api.post("/items", json={"title": title, "body": "Drift under 0.2 K",
                                    "classification": "confidential", "topics": ["thermal"]})
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


def test_globex_asks_acme_answers_by_disclosing_and_globex_sees_it_answered(client: TestClient) -> None:
    acme, globex, partnership, agreement = _partners(client)
    due = NOW.date().replace(day=15).isoformat()

    asked = globex.post(f"/partnerships/{partnership}/requests", json={
        "title": "Thermal test results", "details": "Drift at 85 °C", "topic": "thermal", "due_on": due})
    request_id = asked.json()["id"]
    waiting = acme.get(f"/partnerships/{partnership}/requests", params={"direction": "received",
                                                                          "state": "open"}).json()
    disclosed = acme.post("/disclosures", json={
        "item_id": _note(acme), "agreement_id": agreement, "recipients": ["grace@globex.example"],
        "actions": ["view"], "request_id": request_id})
    seen = globex.get(f"/requests/{request_id}").json()
    again = acme.post(f"/requests/{request_id}/decline", json={"reason": "Too late"})

    assert asked.status_code == 201, asked.text
    assert (asked.json()["state"], asked.json()["asker_org"], asked.json()["asked_org"]) == (
        "open", "globex", "acme")
    assert [r["id"] for r in waiting["items"]] == [request_id]
    assert disclosed.status_code == 201, disclosed.text
    assert (seen["state"], seen["disclosures"]) == ("answered", [disclosed.json()["id"]])
    assert [e["kind"] for e in seen["history"]] == ["request_opened", "request_answered"]
    assert seen["history"][1]["data"]["disclosures"] == [disclosed.json()["id"]]
    assert again.status_code == 409
    assert "this request is answered" in again.json()["detail"]


def test_bad_requests_answer_with_the_field_or_the_rule(client: TestClient) -> None:
    acme, globex, partnership, _ = _partners(client)
    sign_up(client, "initech", "ian@initech.example")
    ian = sign_in(client, "ian@initech.example", "a long passphrase")
    base: dict[str, Any] = {"title": "Data", "due_on": NOW.date().isoformat()}

    outside = globex.post(f"/partnerships/{partnership}/requests", json={**base, "asked_org": "initech"})
    past = globex.post(f"/partnerships/{partnership}/requests", json={**base, "due_on": "2020-01-01"})
    made = globex.post(f"/partnerships/{partnership}/requests", json=base).json()
    by_asker = globex.post(f"/requests/{made['id']}/answer", json={"disclosure_ids": ["dis_x"]})
    by_asked = acme.post(f"/requests/{made['id']}/withdraw")
    hidden = ian.get(f"/requests/{made['id']}")
    empty = acme.post(f"/requests/{made['id']}/answer", json={"disclosure_ids": []})
    wrong = acme.post(f"/requests/{made['id']}/assign", json={"assignee": "grace@globex.example"})

    assert (outside.status_code, outside.json()["errors"]) == (
        422, {"asked_org": "initech is not a partner organization of this partnership"})
    assert (past.status_code, set(past.json()["errors"])) == (422, {"due_on"})
    assert by_asker.status_code == by_asked.status_code == 403
    assert hidden.status_code == 404
    assert empty.status_code == 422
    assert (wrong.status_code, wrong.json()["errors"]) == (
        422, {"assignee": "must be a person of acme, the asked organization"})


def test_the_feed_carries_replies_mentions_links_and_unread_flags(
    client: TestClient, clock: FakeClock,
) -> None:
    acme, globex, partnership, agreement = _partners(client)
    disclosure = acme.post("/disclosures", json={
        "item_id": _note(acme), "agreement_id": agreement, "recipients": ["grace@globex.example"],
        "actions": ["view"]}).json()["id"]
    feed = f"/partnerships/{partnership}/messages"

    first = globex.post(feed, json={"body": "Thanks @alice, see the drift",
                                    "disclosure_id": disclosure}).json()
    clock.advance(seconds=1)
    reply = acme.post(feed, json={"body": "@grace@globex.example more next week, @nobody",
                                  "reply_to": first["id"], "classification": "internal"})
    unread = acme.get(feed).json()["items"]
    marked = acme.post(f"{feed}/read")
    after = acme.get(feed).json()["items"]
    me = {api: api.get("/me").json()["id"] for api in (acme, globex)}

    assert reply.status_code == 201, reply.text
    assert (first["disclosure_id"], first["mentions"]) == (disclosure, [me[acme]])
    assert (reply.json()["reply_to"], reply.json()["mentions"]) == (first["id"], [me[globex]])
    assert [m["unread"] for m in unread] == [True, False]
    assert (marked.status_code, marked.json()["unread"]) == (200, 0)
    assert [m["unread"] for m in after] == [False, False]
    bad = acme.post(feed, json={"body": "hm", "reply_to": "msg_0nothing"})
    assert (bad.status_code, bad.json()["errors"]) == (
        422, {"reply_to": "is not a message of this partnership"})
