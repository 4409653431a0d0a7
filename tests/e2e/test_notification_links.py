"""Real request and feed events notify the right people, and every link lands on a page that
shows the thing to its reader (a request page, a message's anchor in the feed, a disclosure)."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from fastapi.testclient import TestClient
from sqlalchemy import select

from sharebound.adapters.db.tables import notifications
from sharebound.bootstrap import App
from sharebound.domain.orgs import Person
from sharebound.services import agreements, disclosures, items, messages, orgs, partnerships, requests
from sharebound.services.disclosures import DisclosureDraft
from sharebound.services.reminders import run_reminders
from tests.conftest import FakeClock
from tests.e2e.conftest import sign_in_page
from tests.factories import sign_as, terms_json

PASSWORD = "a long passphrase"


def _people(app: App) -> dict[str, Person]:
    _, alice = orgs.create_org(app.uow(), handle="acme", name="Acme", admin_name="Alice",
                               admin_email="alice@acme.example", admin_password=PASSWORD)
    _, grace = orgs.create_org(app.uow(), handle="globex", name="Globex", admin_name="Grace",
                               admin_email="grace@globex.example", admin_password=PASSWORD)
    _, ian = orgs.create_org(app.uow(), handle="initech", name="Initech", admin_name="Ian",
                             admin_email="ian@initech.example", admin_password=PASSWORD)
    mia = orgs.add_person(app.uow(), alice.id, org="acme", name="Mia", email="mia@acme.example",
                          roles=["member"], password=PASSWORD)
    sam = orgs.add_person(app.uow(), alice.id, org="acme", name="Sam", email="sam@acme.example",
                          roles=["member"], password=PASSWORD)
    gina = orgs.add_person(app.uow(), grace.id, org="globex", name="Gina",
                           email="gina@globex.example", roles=["member"], password=PASSWORD)
    return {"alice": alice, "grace": grace, "ian": ian, "mia": mia, "sam": sam, "gina": gina}


def _told(app: App) -> list[tuple[str, str, str, str]]:
    """(person id, kind, title, link) of every notification."""
    with app.engine.connect() as connection:
        rows = connection.execute(select(notifications).order_by(notifications.c.created_at)).all()
    return [(r.person_id, r.kind, r.title, r.link) for r in rows]


def _login(client: TestClient, email: str) -> None:
    client.cookies.clear()
    sign_in_page(client, email, PASSWORD)


def test_real_request_and_feed_events_notify_the_right_people_with_links_that_resolve(
        app: App, client: TestClient, clock: FakeClock) -> None:
    p = _people(app)
    joint = partnerships.propose_partnership(app.uow(), p["alice"].id, name="Joint sensor",
                                             purpose="new_product", invite=["globex", "initech"])
    partnerships.accept_partnership(app.uow(), p["grace"].id, joint.id)
    partnerships.accept_partnership(app.uow(), p["ian"].id, joint.id)
    today = clock().date()
    nda = agreements.draft_agreement(app.uow(), p["alice"].id, joint.id, terms_json(
        effective_date=today.isoformat(), term_end=today.replace(year=today.year + 1).isoformat()))
    sign_as(app.uow(), p["alice"].id, nda.id, digest=nda.current.digest, title="CEO")
    sign_as(app.uow(), p["grace"].id, nda.id, digest=nda.current.digest, title="CEO")
    before = len(_told(app))

    thermal = requests.open_request(app.uow(), p["gina"].id, joint.id, title="Thermal test results",
                                    asked_org="acme", due_on=today + timedelta(days=3),
                                    assignee="mia@acme.example")
    drawings = requests.open_request(app.uow(), p["gina"].id, joint.id, title="Drawings",
                                     asked_org="acme", due_on=today + timedelta(days=1))
    yields = requests.open_request(app.uow(), p["gina"].id, joint.id, title="Yield figures",
                                   asked_org="acme", due_on=today + timedelta(days=5))
    requests.assign_request(app.uow(), p["alice"].id, yields.id, assignee="sam@acme.example")
    item = items.add_item(app.uow(), p["mia"].id, title="Thermal report", classification="confidential",
                          topics=["thermal"], content=b"secret drift figures").id
    made = disclosures.disclose(app.uow(), p["mia"].id, DisclosureDraft(
        item_id=item, agreement_id=nda.id, recipients=["gina@globex.example"], actions=["view"],
        request_id=thermal.id))
    requests.decline_request(app.uow(), p["alice"].id, drawings.id, reason="Not ours to share")
    requests.withdraw_request(app.uow(), p["gina"].id, yields.id)
    hello = messages.post_message(app.uow(), p["grace"].id, joint.id, body="Thanks @Mia Moreno",
                                  classification="public")
    reply = messages.post_message(app.uow(), p["gina"].id, joint.id, body="@mia and @sam: see this",
                                  reply_to=hello.id)
    late = requests.open_request(app.uow(), p["grace"].id, joint.id, title="Late figures",
                                 asked_org="acme", due_on=today + timedelta(days=1))
    clock.advance(days=2)
    assert run_reminders(app.uow(), stale_days=14) > 0

    names = {person.id: name for name, person in p.items()}
    told = [(names[who], kind, title, link) for who, kind, title, link in _told(app)[before:]]
    kinds = sorted({(who, kind, link) for who, kind, _, link in told})
    assert kinds == sorted({
        ("mia", "request_assigned", f"/requests/{thermal.id}"),
        ("alice", "request_assigned", f"/requests/{drawings.id}"),
        ("alice", "request_assigned", f"/requests/{yields.id}"),
        ("sam", "request_assigned", f"/requests/{yields.id}"),  # assigned, then withdrawn
        ("gina", "disclosed_to_me", f"/disclosures/{made.id}"),
        ("gina", "request_answered", f"/requests/{thermal.id}"),
        ("gina", "request_answered", f"/requests/{drawings.id}"),
        ("alice", "request_assigned", f"/requests/{late.id}"),
        ("alice", "request_due", f"/requests/{late.id}"),  # overdue: the asked org's admins ...
        ("grace", "request_due", f"/requests/{late.id}"),  # ... and the asker
        ("mia", "mentioned", f"/partnerships/{joint.id}#message-{hello.id}"),
        ("mia", "mentioned", f"/partnerships/{joint.id}#message-{reply.id}"),
        ("sam", "mentioned", f"/partnerships/{joint.id}#message-{reply.id}"),
    })
    # initech is in the partnership but neither asked nor was asked: it hears of no request
    assert not [t for t in told if t[0] == "ian"]
    assert any("withdrew" in title for who, _, title, _ in told if who == "sam")
    assert all("secret drift" not in title for _, _, title, _ in told)

    emails = {name: person.email for name, person in p.items()}
    for name in sorted({who for who, *_ in told}):
        _login(client, emails[name])
        for link in sorted({link for who, _, _, link in told if who == name}):
            path = urlsplit(link)
            page = client.get(path.path)
            assert page.status_code == 200, (name, link)
            if path.fragment:
                assert f'id="{path.fragment}"' in page.text, (name, link)
    # the third org cannot open the request the links name
    _login(client, emails["ian"])
    assert client.get(f"/requests/{thermal.id}").status_code == 404
