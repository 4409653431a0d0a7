"""Organizations and their people, through the use cases, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from sharebound.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from sharebound.domain.orgs import Role
from sharebound.services import orgs
from tests.factories import CHEAP_PASSWORDS
from tests.integration.world import World, changes_nothing

HANDLE_ERROR = "must be 1-40 lower-case letters, digits and inner hyphens, e.g. acme or acme-labs"
ROLES_ERROR = "must list one or more of admin, signer, member"


def _people(world: World, org: str) -> list[str]:
    admin = {"acme": world.alice, "globex": world.grace, "initech": world.ian}[org]
    return [p.email for p in orgs.list_people(world.uow(), admin.id, org).rows]


def test_a_new_org_s_first_admin_holds_all_three_roles_and_both_are_recorded(world: World) -> None:
    org, admin = orgs.create_org(world.uow(), handle="hooli", name="  Hooli  ", admin_name="Hank",
                                 admin_email=" Hank@Hooli.Example ", admin_password="a long passphrase")

    assert (org.handle, org.name) == ("hooli", "Hooli")
    assert admin.roles == {Role.ADMIN, Role.SIGNER, Role.MEMBER}
    assert (admin.org, admin.email) == ("hooli", "hank@hooli.example")
    assert [p.id for p in orgs.list_people(world.uow(), admin.id, "hooli").rows] == [admin.id]
    with world.uow() as uow:
        events = [(e.seq, e.kind, e.actor, e.subject, e.data) for e in uow.events.read("org:hooli")]
    assert events == [
        (1, "org_created", None, "hooli", {"admin": admin.id}),
        (2, "person_added", None, admin.id, {"roles": ["admin", "member", "signer"]}),
    ]


def test_an_invalid_handle_is_named_and_creates_nothing(world: World) -> None:
    handles = ["Acme2", "-hooli", "hooli-", "hoo li", "hooli_labs", "", "h" * 41]
    errors = {}

    for handle in handles:
        with changes_nothing(world), pytest.raises(InvalidInput) as bad:
            orgs.create_org(world.uow(), handle=handle, name="Hooli", admin_name="Hank",
                            admin_email="hank@hooli.example")
        errors[handle] = bad.value.errors

    assert errors == {handle: {"handle": HANDLE_ERROR} for handle in handles}


def test_every_bad_field_of_a_new_org_is_named_at_once(world: World) -> None:
    with changes_nothing(world), pytest.raises(InvalidInput) as bad:
        orgs.create_org(world.uow(), handle="Hooli!", name=" ", admin_name="",
                        admin_email="hank-at-hooli", admin_password="short")

    assert bad.value.errors == {
        "handle": HANDLE_ERROR,
        "name": "is required",
        "admin.name": "is required",
        "admin.email": "must be an email address",
        "admin.password": "must be at least 12 characters",
    }


def test_a_taken_handle_is_a_conflict_and_creates_nothing(world: World) -> None:
    with changes_nothing(world), pytest.raises(Conflict) as taken:
        orgs.create_org(world.uow(), handle="acme", name="Another Acme", admin_name="Zed",
                        admin_email="zed@another-acme.example")

    assert str(taken.value) == "the handle 'acme' is taken"


def test_a_new_org_s_admin_cannot_reuse_an_email_in_any_letter_case(world: World) -> None:
    with changes_nothing(world), pytest.raises(Conflict) as taken:
        orgs.create_org(world.uow(), handle="hooli", name="Hooli", admin_name="Alice",
                        admin_email=" ALICE@Acme.Example")

    assert str(taken.value) == "alice@acme.example already has an account"
    with world.uow() as uow:
        assert uow.orgs.get_org("hooli") is None


def test_an_admin_adds_a_person_with_the_roles_asked_and_it_is_recorded(world: World) -> None:
    person = orgs.add_person(world.uow(), world.alice.id, org="acme", name=" Max ",
                             email="MAX@acme.example", roles=["signer"])

    assert (person.org, person.name, person.email) == ("acme", "Max", "max@acme.example")
    assert person.roles == {Role.SIGNER}
    assert _people(world, "acme") == ["alice@acme.example", "max@acme.example", "mia@acme.example",
                                      "sam@acme.example"]
    with world.uow() as uow:
        last = list(uow.events.read("org:acme"))[-1]
    assert (last.kind, last.actor, last.subject, last.data) == (
        "person_added", world.alice.id, person.id, {"roles": ["signer"]})


def test_adding_a_person_with_a_taken_email_is_a_conflict_and_adds_nobody(world: World) -> None:
    with changes_nothing(world), pytest.raises(Conflict) as taken:
        orgs.add_person(world.uow(), world.alice.id, org="acme", name="Gina again",
                        email="Gina@Globex.example", roles=["member"])

    assert str(taken.value) == "gina@globex.example already has an account"


def test_a_short_password_is_named_and_adds_nobody(world: World) -> None:
    with changes_nothing(world), pytest.raises(InvalidInput) as bad:
        orgs.add_person(world.uow(), world.alice.id, org="acme", name="Max", email="max@acme.example",
                        roles=["member"], password="elevenchars")

    assert bad.value.errors == {"password": "must be at least 12 characters"}


def test_roles_outside_admin_signer_member_are_named_and_add_nobody(world: World) -> None:
    asked: list[object] = [[], ["owner"], ["member", "root"], "admin", ["Admin"]]
    errors = []

    for roles in asked:
        with changes_nothing(world), pytest.raises(InvalidInput) as bad:
            orgs.add_person(world.uow(), world.alice.id, org="acme", name="Max", email="max@acme.example",
                            roles=roles)  # type: ignore[arg-type]
        errors.append(bad.value.errors)

    assert errors == [{"roles": ROLES_ERROR}] * len(asked)


def test_only_an_admin_adds_people_to_their_org(world: World) -> None:
    messages = []

    for person in (world.mia, world.sam):
        with changes_nothing(world), pytest.raises(PermissionDenied) as denied:
            orgs.add_person(world.uow(), person.id, org="acme", name="Max", email="max@acme.example",
                            roles=["member"])
        messages.append(str(denied.value))

    assert messages == ["this action needs the admin role in acme"] * 2


def test_an_admin_of_another_org_is_told_the_org_does_not_exist(world: World) -> None:
    with changes_nothing(world), pytest.raises(NotFound) as missing:
        orgs.add_person(world.uow(), world.grace.id, org="acme", name="Mole", email="mole@globex.example",
                        roles=["admin"])

    assert (missing.value.kind, missing.value.ident) == ("org", "acme")
    assert _people(world, "acme") == ["alice@acme.example", "mia@acme.example", "sam@acme.example"]


def test_the_operator_cannot_add_a_person_to_an_unknown_org(world: World) -> None:
    with changes_nothing(world), pytest.raises(NotFound) as missing:
        orgs.add_person(world.uow(), None, org="hooli", name="Hank", email="hank@hooli.example",
                        roles=["admin"])

    assert (missing.value.kind, missing.value.ident) == ("org", "hooli")


def test_an_unknown_actor_is_not_found_and_adds_nobody(world: World) -> None:
    with changes_nothing(world), pytest.raises(NotFound) as missing:
        orgs.add_person(world.uow(), "per_nobody", org="acme", name="Max", email="max@acme.example",
                        roles=["member"])

    assert (missing.value.kind, missing.value.ident) == ("person", "per_nobody")


def test_people_of_another_org_are_not_listed(world: World) -> None:
    with pytest.raises(NotFound) as missing:
        orgs.list_people(world.uow(), world.grace.id, "acme")

    assert (missing.value.kind, missing.value.ident) == ("org", "acme")


def test_changing_a_password_ends_the_other_browser_sessions_but_not_this_one(world: World) -> None:
    from sharebound.domain.errors import Unauthenticated
    from sharebound.services import auth

    with world.uow() as uow:
        uow.auth.set_password_hash(world.mia.id, CHEAP_PASSWORDS.hash("the old passphrase"))
        uow.commit()
    here = auth.start_session(world.uow(), email="mia@acme.example", password="the old passphrase",
                              address="10.0.0.1")
    there = auth.start_session(world.uow(), email="mia@acme.example", password="the old passphrase",
                               address="10.0.0.2")

    auth.change_password(world.uow(), world.mia.id, current="the old passphrase",
                         new="a brand new passphrase", keep_session=here.cookie)

    assert auth.session_of(world.uow(), here.cookie).person.id == world.mia.id
    with pytest.raises(Unauthenticated):
        auth.session_of(world.uow(), there.cookie)


def test_an_org_that_was_only_invited_is_not_a_partner_whose_name_one_may_read(world: World) -> None:
    from sharebound.services import partnerships

    partnerships.propose_partnership(world.uow(), world.alice.id, name="Cold call", purpose="other",
                                     invite=["initech"])

    with pytest.raises(NotFound):
        orgs.get_org(world.uow(), world.alice.id, "initech")
    assert orgs.get_org(world.uow(), world.alice.id, "globex").name == "Globex"
