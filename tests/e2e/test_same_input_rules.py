"""One parser per command: the API and the pages refuse the same bad input with the same
field errors, in the same words; a line break in a topic is refused, never collapsed."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient

from tests.e2e.conftest import WORLD_PASSWORD, csrf_of, sign_in, sign_in_page, sign_up
from tests.integration.world import World


def test_a_line_break_in_a_topic_is_refused_by_the_api_naming_the_field_and_nothing_is_added(
    client: TestClient,
) -> None:
    acme = sign_up(client, "acme", "alice@acme.example")

    answer = acme.post("/items", json={"title": "Prices", "body": "x", "classification": "internal",
                                       "topics": ["pri\ncing"]})

    assert answer.status_code == 422
    assert list(answer.json()["errors"]) == ["topics"]
    assert "one line" in answer.json()["errors"]["topics"]
    assert acme.get("/items").json()["items"] == []


# The same bad draft through the API and the disclose page: a malformed field is a 422 naming
# it; what the rules refuse (no recipient, an unknown action, an end in the past) is a 403
# with the same reasons. (The CLI has no disclose command.)
MALFORMED = {
    "a note over the limit": ({"note": "n" * 2001}, {"note": "must be at most 2000 characters"}),
    "a line break only a note may have": ({"note": "bell\x07"}, {
        "note": "must not contain control characters other than line breaks and tabs"}),
}
REFUSED = {
    "no recipients": {"recipients": []},
    "an unknown action": {"actions": ["view", "print"]},
}
FIELD_ERROR = re.compile(r'<p class="field-error" id="([\w-]+)-error">([^<]*)</p>')
REASON = re.compile(r"<li><strong>(\w+)</strong> <span class=\"term\">\(([\w.]+)\)</span>: ([^<]*)</li>")


@pytest.fixture
def draft(world: World) -> dict[str, object]:
    return {"item_id": world.note(by=world.alice), "agreement_id": world.signed().id,
            "recipients": ["gina@globex.example"], "actions": ["view"], "note": ""}


def _through_the_page(client: TestClient, world: World, fields: dict[str, object]) -> tuple[int, str]:
    page = sign_in_page(client, "alice@acme.example", WORLD_PASSWORD).get(
        f"/disclose?partnership={world.partnership.id}")
    answer = client.post("/disclose", data={"csrf": csrf_of(page.text), "form_id": "f1",
                                            "partnership_id": world.partnership.id, **fields})
    return answer.status_code, html.unescape(answer.text)


@pytest.mark.parametrize("case", MALFORMED)
def test_a_malformed_draft_gets_the_same_field_errors_from_the_api_and_the_page(
    client: TestClient, world: World, draft: dict[str, object], case: str
) -> None:
    fields, expected = MALFORMED[case]
    api = sign_in(client, "alice@acme.example", WORLD_PASSWORD)

    by_api = api.post("/disclosures", json={**draft, **fields})
    status, page = _through_the_page(client, world, {**draft, **fields})

    assert (by_api.status_code, by_api.json()["errors"]) == (422, expected)
    assert (status, dict(FIELD_ERROR.findall(page))) == (422, expected)
    assert api.get("/disclosures").json()["items"] == []


@pytest.mark.parametrize("case", REFUSED)
def test_a_draft_the_rules_refuse_gets_the_same_reasons_from_the_api_and_the_page(
    client: TestClient, world: World, draft: dict[str, object], case: str
) -> None:
    api = sign_in(client, "alice@acme.example", WORLD_PASSWORD)

    by_api = api.post("/disclosures", json={**draft, **REFUSED[case]})
    status, page = _through_the_page(client, world, {**draft, **REFUSED[case]})

    reasons = [(r["code"], r["term"], r["message"]) for r in by_api.json()["reasons"]]
    assert by_api.status_code == status == 403
    assert REASON.findall(page) == reasons != []


def test_an_end_in_the_past_is_refused_for_window_and_a_naive_one_is_malformed(
    client: TestClient, world: World, draft: dict[str, object]
) -> None:
    api = sign_in(client, "alice@acme.example", WORLD_PASSWORD)

    past = api.post("/disclosures", json={**draft, "expires_at": "2000-01-01T00:00:00+00:00"})
    naive = api.post("/disclosures", json={**draft, "expires_at": "2099-01-01T00:00:00"})

    assert [r["code"] for r in past.json()["reasons"]] == ["window"]
    assert (naive.status_code, naive.json()["errors"]) == (
        422, {"expires_at": "must be a date-time with a time zone"})


BAD_ITEM = {
    "a title with a line break": (
        {"title": "Prices\nBcc: all@example.com"},
        {"title": "must be one line, without control characters (line breaks, tabs, NUL...)"}),
    "an unknown classification": (
        {"classification": "secret"},
        {"classification": "must be one of public, internal, confidential, restricted"}),
    "a topic that is not one": (
        {"topics": ["pricing!"]},
        {"topics": "'pricing!' is not a topic (letters, digits, spaces, - and _)"}),
    "a title over the limit": ({"title": "t" * 301}, {"title": "must be at most 300 characters"}),
}


@pytest.mark.parametrize("case", BAD_ITEM)
def test_a_bad_note_gets_the_same_field_errors_from_the_api_and_the_page(
    client: TestClient, world: World, case: str
) -> None:
    fields, expected = BAD_ITEM[case]
    note = {"title": "Prices", "body": "x", "classification": "internal", "topics": ["pricing"], **fields}
    api = sign_in(client, "alice@acme.example", WORLD_PASSWORD)
    before = api.get("/items").json()["items"]

    by_api = api.post("/items", json=note)
    form = sign_in_page(client, "alice@acme.example", WORLD_PASSWORD).get("/items/new")
    by_page = client.post("/items/new", files={"_": ("", b"")}, data={
        "csrf": csrf_of(form.text), "form_id": "f1", "kind": "note",
        **{k: ", ".join(v) if isinstance(v, list) else v for k, v in note.items()}})

    assert (by_api.status_code, by_api.json()["errors"]) == (422, expected)
    assert (by_page.status_code, dict(FIELD_ERROR.findall(html.unescape(by_page.text)))) == (422, expected)
    assert api.get("/items").json()["items"] == before


BAD_REQUEST = {
    "a day that is not one": ({"due_on": "2027-02-30"}, {"due_on": "must be a date, YYYY-MM-DD"}),
    "an unknown classification": (
        {"classification": "secret"},
        {"classification": "must be one of public, internal, confidential, restricted"}),
    "a title over the limit": ({"title": "t" * 301}, {"title": "must be at most 300 characters"}),
}


@pytest.mark.parametrize("case", BAD_REQUEST)
def test_a_bad_request_gets_the_same_field_errors_from_the_api_and_the_page(
    client: TestClient, world: World, case: str
) -> None:
    fields, expected = BAD_REQUEST[case]
    ask = {"title": "Drawings", "details": "", "due_on": "2099-01-01", "classification": "public",
           **fields}
    api = sign_in(client, "gina@globex.example", WORLD_PASSWORD)
    where = f"/partnerships/{world.partnership.id}/requests"

    by_api = api.post(where, json=ask)
    form = sign_in_page(client, "gina@globex.example", WORLD_PASSWORD).get(f"{where}/new")
    by_page = client.post(f"{where}/new", data={"csrf": csrf_of(form.text), "form_id": "f1", **ask})

    assert (by_api.status_code, by_api.json()["errors"]) == (422, expected)
    assert (by_page.status_code, dict(FIELD_ERROR.findall(html.unescape(by_page.text)))) == (422, expected)
    assert api.get(where).json()["items"] == []
