"""The request pages without a browser: plain forms, errors in place, and 404 for outsiders."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from sharebound import bootstrap
from sharebound.services import orgs, partnerships, requests
from sharebound.web import create_app
from tests.e2e.conftest import sign_in_page
from tests.factories import sign_as

PASSWORD = "a long passphrase"


def _signed_in(app: bootstrap.App, email: str) -> TestClient:
    return sign_in_page(TestClient(create_app(core=app), base_url="http://testserver"), email, PASSWORD)


def _form(page: str) -> dict[str, str]:
    return dict(re.findall(r'name="(csrf|form_id)" value="([^"]+)"', page))


def _world(app: bootstrap.App) -> str:
    _, alice = orgs.create_org(app.uow(), handle="acme", name="Acme", admin_name="Alice",
                               admin_email="alice@acme.example", admin_password=PASSWORD)
    _, grace = orgs.create_org(app.uow(), handle="globex", name="Globex", admin_name="Grace",
                               admin_email="grace@globex.example", admin_password=PASSWORD)
    orgs.create_org(app.uow(), handle="initech", name="Initech", admin_name="Ian",
                    admin_email="ian@initech.example", admin_password=PASSWORD)
    partnership = partnerships.propose_partnership(app.uow(), alice.id, name="Joint sensor",
                                                   purpose="new_product", invite=["globex"])
    partnerships.accept_partnership(app.uow(), grace.id, partnership.id)
    return partnership.id


def test_asking_with_a_past_due_date_shows_the_error_in_place_and_keeps_what_was_typed(
    app: bootstrap.App,
) -> None:
    partnership = _world(app)
    grace = _signed_in(app, "grace@globex.example")
    page = grace.get(f"/partnerships/{partnership}/requests/new").text

    answer = grace.post(f"/partnerships/{partnership}/requests/new", data={
        **_form(page), "asked_org": "acme", "title": "Thermal test results", "due_on": "2020-01-01"})

    assert answer.status_code == 422
    assert 'id="due_on-error">must be today' in answer.text
    assert 'value="Thermal test results"' in answer.text
    assert requests.list_requests(app.uow(), _person(app, "grace@globex.example"), partnership).rows == []


def test_a_request_page_is_for_its_two_orgs_and_withdrawing_is_a_plain_form(app: bootstrap.App) -> None:
    partnership = _world(app)
    asked = requests.open_request(app.uow(), _person(app, "grace@globex.example"), partnership,
                                  title="Thermal test results", due_on=app.clock().date())
    grace, alice, ian = (_signed_in(app, f"{n}.example") for n in
                         ("grace@globex", "alice@acme", "ian@initech"))

    outsider = ian.get(f"/requests/{asked.id}")
    for_acme = alice.get(f"/requests/{asked.id}")
    page = grace.get(f"/requests/{asked.id}")
    withdrawn = grace.post(f"/requests/{asked.id}/withdraw", data=_form(page.text))
    by_acme_too_late = alice.post(f"/requests/{asked.id}/decline",
                                  data={**_form(for_acme.text), "reason": "No"})

    assert outsider.status_code == 404 and "Thermal test results" not in outsider.text
    assert "Answer with a disclosure" in for_acme.text and "Withdraw the request" not in for_acme.text
    assert "Withdraw the request" in page.text and "Answer with a disclosure" not in page.text
    assert withdrawn.status_code == 200 and "Withdrawn." in withdrawn.text
    assert "Not declined: this request is withdrawn" in by_acme_too_late.text


def _person(app: bootstrap.App, email: str) -> str:
    with app.uow() as uow:
        found = uow.orgs.get_person_by_email(email)
    assert found is not None
    return found.id


def test_a_disclosure_for_a_request_closed_meanwhile_is_refused_on_the_form(app: bootstrap.App) -> None:
    from sharebound.services import agreements, items
    from tests.factories import terms_json

    partnership = _world(app)
    grace_id, alice_id = _person(app, "grace@globex.example"), _person(app, "alice@acme.example")
    today = app.clock().date()
    nda = agreements.draft_agreement(app.uow(), alice_id, partnership, terms_json(
        effective_date=today.isoformat(), term_end=today.replace(year=today.year + 1).isoformat()))
    for signer in (alice_id, grace_id):
        sign_as(app.uow(), signer, nda.id, digest=nda.current.digest, title="CEO")
    note = items.add_item(app.uow(), alice_id, title="Drift", classification="internal", topics=[],
                          content=b"Drift under 0.2 K").id
    asked = requests.open_request(app.uow(), grace_id, partnership, title="Drift data",
                                  due_on=app.clock().date())
    alice = _signed_in(app, "alice@acme.example")
    page = alice.get(f"/disclose?request={asked.id}").text
    requests.withdraw_request(app.uow(), grace_id, asked.id)

    answer = alice.post("/disclose", data={
        **_form(page), "partnership_id": partnership, "request_id": asked.id, "item_id": note,
        "agreement_id": nda.id, "recipients": "grace@globex.example", "actions": "view"})

    assert 'value="grace@globex.example" checked' in page
    assert answer.status_code == 409
    assert "Not disclosed: this request is withdrawn" in answer.text
    with app.uow() as uow:
        assert uow.disclosures.given_by("acme") == []
