"""SCIM 2.0 provisioning on SQLite and PostgreSQL: the conformance tester (scim2-tester), a
second real client (scim2-client over HTTP to uvicorn on loopback), and the rules: an org's
token sees its own people only, bad input changes nothing, deprovisioning is offboarding."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx2
import pytest
from fastapi.testclient import TestClient
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_models import Email, Group, Name, PatchOp, PatchOperation, User
from scim2_tester import Status, check_server

from sharebound.bootstrap import App
from sharebound.services import copies, disclosures, scim_tokens
from sharebound.services.disclosures import DisclosureDraft
from sharebound.web import create_app
from tests.e2e.conftest import WORLD_PASSWORD, csrf_of, sign_in, sign_in_page
from tests.factories import CHEAP_PASSWORDS
from tests.integration.scim_clients import InProcessSCIMClient
from tests.integration.servers import AppServer
from tests.integration.world import World, build_world, changes_nothing

USER = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"
# Checks the tester reports as skipped, and why: POST /.search across every resource type at
# once is optional (RFC 7644 §3.4.3) and answered 501; searching one type is GET with a filter.
SKIPPED = {("search_with_attributes", "User"), ("search_with_attributes", "Group")}


@pytest.fixture
def world(app: App) -> World:
    built = build_world(app)
    with app.uow() as uow:
        for person in (built.alice, built.gina, built.grace):
            uow.auth.set_password_hash(person.id, CHEAP_PASSWORDS.hash(WORLD_PASSWORD))
        uow.commit()
    return built


@pytest.fixture
def token(world: World) -> str:
    return scim_tokens.create_scim_token(world.uow(), world.grace.id, "globex", "Okta").token


@pytest.fixture
def scim(app: App, token: str) -> Iterator[TestClient]:
    with TestClient(create_app(core=app), base_url="http://testserver/scim/v2/",
                    headers={"Authorization": f"Bearer {token}"}) as client:
        yield client


def _user(user_name: str, email: str, **extra: Any) -> dict[str, Any]:
    return {"schemas": [USER], "userName": user_name, "emails": [{"value": email, "primary": True}],
            **extra}


def _patch(*operations: dict[str, Any]) -> dict[str, Any]:
    return {"schemas": [PATCH], "Operations": list(operations)}


def test_the_scim_conformance_tester_passes(app: App, token: str) -> None:
    with TestClient(create_app(core=app), base_url="http://testserver/scim/v2/",
                    headers={"Authorization": f"Bearer {token}"}) as client:
        results = check_server(InProcessSCIMClient(client))

    failed = [(r.title, r.resource_type, r.reason) for r in results if r.status is Status.ERROR]
    skipped = {(r.title, r.resource_type) for r in results if r.status is Status.SKIPPED}
    ran = {r.title for r in results if r.status is Status.SUCCESS}
    assert failed == [] and skipped == SKIPPED
    assert {"service_provider_config_endpoint", "query_all_schemas", "query_all_resource_types",
            "object_creation", "object_query", "object_replacement", "object_deletion",
            "check_add_attribute", "check_remove_attribute", "check_replace_attribute",
            "object_list_with_attributes", "random_url"} <= ran


def test_a_second_client_provisions_patches_and_deprovisions_over_http(
    app: App, world: World, token: str
) -> None:
    disclosure_id = _disclosed_to(world, "gina@globex.example")
    with AppServer(create_app(core=app)) as server, httpx2.Client(
            base_url=f"{server.url}/scim/v2/", headers={"Authorization": f"Bearer {token}"}) as http:
        client = SyncSCIMClient(http)
        client.discover()
        made = client.create(User(user_name="hugo", name=Name(given_name="Hugo", family_name="Ho"),
                                  emails=[Email(value="hugo@globex.example", primary=True)]))
        listed = http.get("Users", params={"filter": 'userName eq "hugo"'}).json()
        patched = client.modify(User, made.id, PatchOp[User](operations=[
            PatchOperation(op=PatchOperation.Op.replace_, path="displayName", value="Hugo Ho")]))
        gina = client.query(User, world.gina.id)
        off = client.modify(User, world.gina.id, PatchOp[User](operations=[
            PatchOperation(op=PatchOperation.Op.replace_, path="active", value=False)]))
        client.delete(User, made.id)
        gone = http.get(f"Users/{made.id}")

    assert made.active is True and made.id.startswith("per_")
    assert [r["id"] for r in listed["Resources"]] == [made.id] and listed["totalResults"] == 1
    assert patched is not None and patched.display_name == "Hugo Ho"
    assert gina.user_name == "gina@globex.example" and off is not None and off.active is False
    assert gone.status_code == 404 and gone.json()["schemas"] == [ERROR]
    with pytest.raises(Exception, match="inactive"):
        copies.download_disclosure(world.uow(), world.gina.id, disclosure_id)
    with world.uow() as uow:
        hugo = uow.orgs.get_person(made.id)
    assert hugo is not None and hugo.name == "Hugo Ho" and not hugo.active


def _disclosed_to(world: World, email: str) -> str:
    agreement = world.signed()
    return disclosures.disclose(world.uow(), world.mia.id, DisclosureDraft(
        item_id=world.note(), agreement_id=agreement.id, recipients=[email], actions=["view", "download"])).id


def test_deprovisioning_ends_the_persons_token_at_once(world: World, scim: TestClient) -> None:
    api = sign_in(TestClient(scim.app, base_url="http://testserver"), "gina@globex.example", WORLD_PASSWORD)
    assert api.get("/me").status_code == 200

    answer = scim.patch(f"Users/{world.gina.id}", json=_patch({"op": "replace", "value": {"active": False}}))

    assert answer.status_code == 200 and answer.json()["active"] is False
    assert answer.headers["content-type"].startswith("application/scim+json")
    assert api.get("/me").status_code == 401
    back = scim.put(f"Users/{world.gina.id}", json=_user("gina@globex.example", "gina@globex.example",
                                                         active=True))
    assert back.status_code == 200 and api.get("/me").status_code == 401  # sign in again
    assert sign_in(api.client, "gina@globex.example", WORLD_PASSWORD).get("/me").status_code == 200


def test_a_token_sees_its_own_org_only(world: World, scim: TestClient) -> None:
    listed = scim.get("Users").json()

    assert sorted(r["userName"] for r in listed["Resources"]) == ["gina@globex.example",
                                                                   "grace@globex.example"]
    with changes_nothing(world):
        for answer in (scim.get(f"Users/{world.alice.id}"),
                       scim.patch(f"Users/{world.alice.id}",
                                  json=_patch({"op": "replace", "path": "active", "value": False})),
                       scim.put(f"Users/{world.alice.id}", json=_user("x", "x@acme.example")),
                       scim.delete(f"Users/{world.alice.id}")):
            assert answer.status_code == 404 and answer.json()["schemas"] == [ERROR]
            assert answer.json()["status"] == "404"


def test_no_token_a_revoked_token_or_a_person_token_gets_401(world: World, scim: TestClient,
                                                             token: str) -> None:
    anonymous = scim.get("Users", headers={"Authorization": ""})
    api_token = sign_in(TestClient(scim.app, base_url="http://testserver"), "grace@globex.example",
                        WORLD_PASSWORD).headers["Authorization"]
    as_person = scim.get("Users", headers={"Authorization": api_token})
    made = scim_tokens.list_scim_tokens(world.uow(), world.grace.id, "globex")[0]
    scim_tokens.revoke_scim_token(world.uow(), world.grace.id, "globex", made.id)

    revoked = scim.get("Users")

    assert [a.status_code for a in (anonymous, as_person, revoked)] == [401, 401, 401]
    assert revoked.json()["schemas"] == [ERROR]


@pytest.mark.parametrize(("body", "scim_type"), [
    (_user("hugo", "hugo@globex.example", nickName="H"), "invalidValue"),  # not kept by Sharebound
    ({**_user("hugo", "hugo@globex.example"), "shoeSize": 44}, "invalidValue"),  # not SCIM at all
    (_user("hugo", "not an email"), "invalidValue"),
    ({"schemas": [USER], "emails": [{"value": "hugo@globex.example"}]}, "invalidValue"),
    (_user("line\nbreak", "hugo@globex.example"), "invalidValue"),
    ({"userName": "hugo"}, "invalidSyntax"),
])
def test_bad_users_are_refused_with_a_scim_error_and_change_nothing(
    world: World, scim: TestClient, body: dict[str, Any], scim_type: str
) -> None:
    with changes_nothing(world):
        answer = scim.post("Users", json=body)

    assert answer.status_code == 400
    assert answer.json()["schemas"] == [ERROR] and answer.json()["scimType"] == scim_type


def test_a_duplicate_user_name_or_email_is_409_uniqueness_and_changes_nothing(
    world: World, scim: TestClient
) -> None:
    assert scim.post("Users", json=_user("hugo", "hugo@globex.example")).status_code == 201

    with changes_nothing(world):
        same_name = scim.post("Users", json=_user("HUGO", "other@globex.example"))
        same_email = scim.post("Users", json=_user("other", "alice@acme.example"))

    for answer in (same_name, same_email):
        assert answer.status_code == 409 and answer.json()["scimType"] == "uniqueness"


def test_a_filter_finds_by_user_name_and_a_bad_one_is_invalid_filter(world: World, scim: TestClient) -> None:
    found = scim.get("Users", params={"filter": 'userName eq "GINA@globex.example"'}).json()
    bad = [scim.get("Users", params={"filter": f}) for f in
           ('userName co "gi"', 'nickName eq "x"', "userName eq gina", 'name.givenName eq "x" or 1')]

    assert [r["id"] for r in found["Resources"]] == [world.gina.id]
    assert [b.status_code for b in bad] == [400] * 4
    assert {b.json()["scimType"] for b in bad} == {"invalidFilter"}


def test_pages_follow_start_index_and_count(world: World, scim: TestClient) -> None:
    for n in range(3):
        scim.post("Users", json=_user(f"user{n}", f"user{n}@globex.example"))

    first = scim.get("Users", params={"startIndex": 1, "count": 2}).json()
    rest = scim.get("Users", params={"startIndex": 3, "count": 2}).json()

    assert first["totalResults"] == 5 and first["itemsPerPage"] == 2 and rest["startIndex"] == 3
    ids = [r["id"] for r in first["Resources"] + rest["Resources"]]
    assert len(ids) == 4 and len(set(ids)) == 4


def test_groups_named_like_roles_give_and_take_roles(world: World, scim: TestClient) -> None:
    made = scim.post("Groups", json={"schemas": [GROUP], "displayName": "Admin",
                                     "members": [{"value": world.gina.id}]})
    with world.uow() as uow:
        after_join = uow.orgs.get_person(world.gina.id)

    left = scim.patch(f"Groups/{made.json()['id']}", json=_patch(
        {"op": "remove", "path": f'members[value eq "{world.gina.id}"]'}))
    with world.uow() as uow:
        after_leave = uow.orgs.get_person(world.gina.id)

    assert made.status_code == 201 and after_join is not None and after_leave is not None
    assert sorted(after_join.roles) == ["admin", "member"]
    assert left.status_code == 200 and sorted(after_leave.roles) == ["member"]
    assert scim.get(f"Users/{world.gina.id}").json().get("groups") is None


def test_a_group_cannot_name_another_orgs_person_and_the_last_admin_keeps_the_role(
    world: World, scim: TestClient
) -> None:
    with changes_nothing(world):
        foreign = scim.post("Groups", json={"schemas": [GROUP], "displayName": "admin",
                                            "members": [{"value": world.alice.id}]})
    admins = scim.post("Groups", json={"schemas": [GROUP], "displayName": "admin",
                                       "members": [{"value": world.grace.id}]}).json()

    emptied = scim.put(f"Groups/{admins['id']}", json={"schemas": [GROUP], "displayName": "admin"})

    assert foreign.status_code == 400 and foreign.json()["scimType"] == "invalidValue"
    assert emptied.status_code == 409
    with world.uow() as uow:
        grace = uow.orgs.get_person(world.grace.id)
    assert grace is not None and "admin" in grace.roles


def test_scim_tokens_are_made_and_revoked_by_admins_through_the_api(world: World, app: App) -> None:
    with TestClient(create_app(core=app), base_url="http://testserver") as client:
        grace = sign_in(client, "grace@globex.example", WORLD_PASSWORD)
        gina = sign_in(client, "gina@globex.example", WORLD_PASSWORD)
        made = grace.post("/orgs/globex/scim-tokens", json={"name": "Entra"})
        listed = grace.get("/orgs/globex/scim-tokens").json()
        by_member = gina.post("/orgs/globex/scim-tokens", json={"name": "x"})
        other_org = grace.get("/orgs/acme/scim-tokens")
        works = client.get("/scim/v2/Users", headers={"Authorization": f"Bearer {made.json()['token']}"})
        revoked = grace.delete(f"/orgs/globex/scim-tokens/{made.json()['id']}")
        after = client.get("/scim/v2/Users", headers={"Authorization": f"Bearer {made.json()['token']}"})

    assert made.status_code == 201 and made.json()["token"].startswith("sbscim_")
    assert [t["name"] for t in listed] == ["Entra"]
    assert all("token" not in t for t in listed)
    assert by_member.status_code == 403 and other_org.status_code == 404
    assert works.status_code == 200 and revoked.json()["revoked_at"] is not None
    assert after.status_code == 401


def test_unknown_scim_paths_answer_a_scim_404(scim: TestClient) -> None:
    answer = scim.get("Nothing")

    assert answer.status_code == 404 and answer.json()["schemas"] == [ERROR]


def test_a_group_shows_its_members_and_a_user_its_groups(world: World, scim: TestClient) -> None:
    made = scim.post("Groups", json={"schemas": [GROUP], "displayName": "Engineering",
                                     "members": [{"value": world.gina.id}]}).json()

    user = scim.get(f"Users/{world.gina.id}").json()
    listed = scim.get("Groups", params={"filter": 'displayName eq "engineering"'}).json()

    assert [m["value"] for m in made["members"]] == [world.gina.id]
    assert [g["display"] for g in user["groups"]] == ["Engineering"]
    assert [g["id"] for g in listed["Resources"]] == [made["id"]]
    assert Group.model_validate(made) is not None


def test_the_admin_page_makes_a_token_shown_once_and_revokes_it(world: World, app: App) -> None:
    with TestClient(create_app(core=app), base_url="http://testserver") as client:
        page = sign_in_page(client, "grace@globex.example", WORLD_PASSWORD).get("/admin/scim").text
        made = client.post("/admin/scim", data={"csrf": csrf_of(page), "form_id": "f1", "name": "Okta"})
        token = made.text.split('id="token-value" type="text" readonly value="')[1].split('"')[0]
        works = client.get("/scim/v2/Users", headers={"Authorization": f"Bearer {token}"}).status_code
        listed = client.get("/admin/scim").text
        token_id = scim_tokens.list_scim_tokens(world.uow(), world.grace.id, "globex")[0].id
        client.post(f"/admin/scim/{token_id}/revoke", data={"csrf": csrf_of(listed), "form_id": "f2"})
        after = client.get("/scim/v2/Users", headers={"Authorization": f"Bearer {token}"}).status_code

    assert made.status_code == 200 and token.startswith("sbscim_") and works == 200
    assert token not in listed and "Okta" in listed
    assert after == 401
