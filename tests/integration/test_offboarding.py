"""Offboarding on SQLite and PostgreSQL: a deactivated person's session and token stop at once,
the rules refuse them with `inactive`, pickers leave them out, and reactivation restores them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient

from sharebound.bootstrap import App
from sharebound.domain.errors import Conflict, InvalidInput, NotFound, Refused
from sharebound.domain.events import EventKind
from sharebound.services import copies, disclosures, notifications, orgs, people, register, returns
from sharebound.services.disclosures import DisclosureDraft
from sharebound.web import create_app
from tests.e2e.conftest import WORLD_PASSWORD, csrf_of, sign_in, sign_in_page
from tests.factories import CHEAP_PASSWORDS
from tests.integration.world import World, build_world

GINA = "gina@globex.example"


@pytest.fixture
def world(app: App) -> World:
    built = build_world(app)
    with app.uow() as uow:
        for person in (built.alice, built.gina, built.grace):
            uow.auth.set_password_hash(person.id, CHEAP_PASSWORDS.hash(WORLD_PASSWORD))
        uow.commit()
    return built


@pytest.fixture
def client(app: App) -> Iterator[TestClient]:
    with TestClient(create_app(core=app), base_url="http://testserver") as test_client:
        yield test_client


def _disclosed_to_gina(world: World) -> str:
    agreement = world.signed()
    return disclosures.disclose(world.uow(), world.mia.id, DisclosureDraft(
        item_id=world.note(), agreement_id=agreement.id, recipients=[GINA],
        actions=["view", "download"])).id


def test_deactivation_ends_an_open_session_and_a_token_at_once(world: World, client: TestClient) -> None:
    token = sign_in(client, GINA, WORLD_PASSWORD)
    browser = sign_in_page(TestClient(client.app, base_url="http://testserver"), GINA, WORLD_PASSWORD)
    grace = sign_in(client, "grace@globex.example", WORLD_PASSWORD)
    assert token.get("/me").status_code == 200 and browser.get("/").status_code == 200

    answer = grace.post(f"/orgs/globex/people/{world.gina.id}/deactivate")

    assert answer.status_code == 200 and answer.json()["active"] is False
    assert token.get("/me").status_code == 401
    assert browser.get("/", follow_redirects=False).status_code in (303, 307)
    assert browser.get("/api/v1/me", follow_redirects=False).status_code == 401
    again = client.post("/api/v1/auth/token", json={"email": GINA, "password": WORLD_PASSWORD})
    assert again.status_code == 401 and again.json()["detail"] == "wrong email or password"
    browser.close()


def test_a_disclosure_made_to_a_deactivated_person_refuses_access_with_inactive(world: World) -> None:
    disclosure_id = _disclosed_to_gina(world)
    copies.download_disclosure(world.uow(), world.gina.id, disclosure_id)

    people.deactivate_person(world.uow(), world.grace.id, world.gina.id)

    with pytest.raises(Refused) as refused:
        copies.download_disclosure(world.uow(), world.gina.id, disclosure_id)
    assert refused.value.decision.codes == ("inactive",)
    view = register.view_disclosure(world.uow(), world.gina.id, disclosure_id)
    assert view.body is None and [r.code for r in view.refusal or ()] == ["inactive"]
    # the copy gina downloaded stays on globex's list of copies to return
    agreement_id = register.view_disclosure(world.uow(), world.alice.id,
                                            disclosure_id).disclosure.agreement_id
    listed = returns.copies_to_return(world.uow(), world.grace.id, agreement_id)
    assert [c.person_id for c in listed.copies] == [world.gina.id]


def test_a_new_disclosure_naming_a_deactivated_person_is_refused_and_changes_nothing(world: World) -> None:
    agreement = world.signed()
    item_id = world.note()
    people.deactivate_person(world.uow(), world.grace.id, world.gina.id)

    with pytest.raises(Refused) as refused:
        disclosures.disclose(world.uow(), world.mia.id, DisclosureDraft(
            item_id=item_id, agreement_id=agreement.id, recipients=[GINA], actions=["view"]))

    assert "inactive" in refused.value.decision.codes
    assert disclosures.check_disclosure(world.uow(), world.mia.id, DisclosureDraft(
        item_id=item_id, agreement_id=agreement.id, recipients=[GINA], actions=["view"])).codes == (
        "inactive",)


def test_recipient_pickers_leave_a_deactivated_person_out(world: World, client: TestClient) -> None:
    world.signed()
    alice = sign_in(client, "alice@acme.example", WORLD_PASSWORD)
    people.deactivate_person(world.uow(), world.grace.id, world.gina.id)

    listed = alice.get(f"/partnerships/{world.partnership.id}/people").json()
    page = sign_in_page(client, "alice@acme.example", WORLD_PASSWORD).get(
        f"/disclose?partnership={world.partnership.id}").text

    assert GINA not in [p["email"] for p in listed] and "grace@globex.example" in [p["email"] for p in listed]
    assert GINA not in page and "grace@globex.example" in page


def test_reactivation_restores_access_and_sign_in(world: World, client: TestClient) -> None:
    disclosure_id = _disclosed_to_gina(world)
    people.deactivate_person(world.uow(), world.grace.id, world.gina.id)

    back = people.reactivate_person(world.uow(), world.grace.id, world.gina.id)

    assert back.active
    assert copies.download_disclosure(world.uow(), world.gina.id, disclosure_id).content
    assert sign_in(client, GINA, WORLD_PASSWORD).get("/me").json()["active"] is True


def test_the_last_active_admin_cannot_be_deactivated_nor_demoted(world: World) -> None:
    with pytest.raises(Conflict, match="last active admin"):
        people.deactivate_person(world.uow(), world.grace.id, world.grace.id)
    second = orgs.add_person(world.uow(), world.grace.id, org="globex", name="Gus",
                             email="gus@globex.example", roles=["admin"])
    people.deactivate_person(world.uow(), world.grace.id, second.id)

    with pytest.raises(Conflict, match="last admin"):
        orgs.set_roles(world.uow(), world.grace.id, world.grace.id, ["member"])
    with pytest.raises(Conflict):
        people.deactivate_person(world.uow(), world.grace.id, world.grace.id)


def test_only_an_admin_of_the_same_org_deactivates_and_others_see_nothing(world: World) -> None:
    with pytest.raises(NotFound):
        people.deactivate_person(world.uow(), world.alice.id, world.gina.id)
    with pytest.raises(Exception, match="admin role"):
        people.deactivate_person(world.uow(), world.sam.id, world.mia.id)
    with world.uow() as uow:
        assert uow.orgs.get_person(world.gina.id).active  # type: ignore[union-attr]


def test_deactivation_and_roles_are_audited_and_told_to_the_other_admins(world: World) -> None:
    second = orgs.add_person(world.uow(), world.grace.id, org="globex", name="Gus",
                             email="gus@globex.example", roles=["admin", "member"])

    people.deactivate_person(world.uow(), world.grace.id, world.gina.id)
    people.reactivate_person(world.uow(), world.grace.id, world.gina.id)
    orgs.set_roles(world.uow(), world.grace.id, world.gina.id, ["signer"])

    with world.uow() as uow:
        kinds = [e.kind for e in uow.events.read("org:globex")]
    assert kinds[-3:] == [EventKind.PERSON_DEACTIVATED, EventKind.PERSON_REACTIVATED,
                          EventKind.ROLES_CHANGED]
    told, _ = notifications.list_notifications(world.uow(), second.id)
    assert [n.kind.value for n in told] == ["people_changed"] * 3
    assert "Gina (gina@globex.example) was deactivated" in [n.title for n in told]
    assert notifications.list_notifications(world.uow(), world.grace.id)[0] == []  # the actor


def test_empty_roles_are_refused_pointing_at_deactivation(world: World) -> None:
    with pytest.raises(InvalidInput) as bad:
        orgs.set_roles(world.uow(), world.grace.id, world.gina.id, [])
    assert "deactivate" in bad.value.errors["roles"]


def test_the_admin_page_deactivates_with_its_button(world: World, client: TestClient) -> None:
    grace = sign_in_page(client, "grace@globex.example", WORLD_PASSWORD)
    page = grace.get("/admin/people").text
    assert f"/admin/people/{world.gina.id}/deactivate" in page

    done = grace.post(f"/admin/people/{world.gina.id}/deactivate",
                      data={"csrf": csrf_of(page), "form_id": "f1"}, follow_redirects=True)

    assert done.status_code == 200 and "inactive" in done.text
    assert f"/admin/people/{world.gina.id}/reactivate" in done.text
    with world.uow() as uow:
        assert not uow.orgs.get_person(world.gina.id).active  # type: ignore[union-attr]


def test_a_named_schedule_says_on_the_agreement_page_who_is_inactive(
    world: World, client: TestClient
) -> None:
    agreement = world.signed(schedule={"recipients": {"mode": "named", "people": [GINA]}})
    people.deactivate_person(world.uow(), world.grace.id, world.gina.id)

    page = sign_in_page(client, "alice@acme.example", WORLD_PASSWORD).get(f"/agreements/{agreement.id}")

    assert f"{GINA} is inactive" in page.text


def test_erasing_replaces_the_name_and_email_of_a_deactivated_person_only(world: World) -> None:
    with pytest.raises(Conflict):
        people.erase_person(world.uow(), GINA)
    with world.uow() as uow:  # as SCIM provisioning leaves it
        uow.scim.set_user(world.gina.id, user_name="gina.g", external_id="ext-1",
                          attributes={"displayName": "Gina G"})
        uow.commit()
    people.deactivate_person(world.uow(), world.grace.id, world.gina.id)

    erased = people.erase_person(world.uow(), GINA)

    assert erased.name == "former member" and erased.email.endswith("@erased.invalid")
    assert GINA not in erased.email and erased.id == world.gina.id
    with world.uow() as uow:
        seen = uow.scim.user("globex", world.gina.id)
    assert seen is not None and seen.user_name == erased.email and seen.external_id is None
    assert "Gina G" not in str(seen.attributes)
    with pytest.raises(Conflict):
        people.reactivate_person(world.uow(), world.grace.id, world.gina.id)
    assert replace(erased, name="x").active is False
