"""Partnerships: propose, accept, look up, through the use cases, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from sharebound.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from sharebound.domain.partnerships import PartnershipStatus, Purpose
from sharebound.services import partnerships
from tests.conftest import FakeClock
from tests.integration.world import World, changes_nothing

INVITE_ERROR = partnerships.INVITE_ERROR


def _propose(world: World, **overrides: object) -> object:
    asked: dict[str, object] = {"name": "Market entry", "purpose": "market_access", "invite": ["initech"]}
    asked.update(overrides)
    return partnerships.propose_partnership(world.uow(), world.alice.id, **asked)  # type: ignore[arg-type]


def test_a_partnership_is_proposed_until_every_invited_org_accepts(world: World, clock: FakeClock) -> None:
    consortium = partnerships.propose_partnership(
        world.uow(), world.alice.id, name=" Consortium ", purpose="cost_efficiency",
        invite=["globex", "initech", "globex"])
    clock.advance(seconds=1)
    half = partnerships.accept_partnership(world.uow(), world.grace.id, consortium.id)
    clock.advance(seconds=1)
    whole = partnerships.accept_partnership(world.uow(), world.ian.id, consortium.id)

    assert (consortium.name, consortium.purpose, consortium.proposer) == (
        "Consortium", Purpose.COST_EFFICIENCY, "acme")
    assert consortium.orgs == ("acme", "globex", "initech")
    assert [consortium.status, half.status, whole.status] == [
        PartnershipStatus.PROPOSED, PartnershipStatus.PROPOSED, PartnershipStatus.ACTIVE]
    assert partnerships.get_partnership(world.uow(), world.ian.id, consortium.id).status is \
        PartnershipStatus.ACTIVE
    with world.uow() as uow:
        events = [(e.seq, e.kind, e.actor, e.data) for e in uow.events.read(f"partnership:{consortium.id}")]
    assert events == [
        (1, "partnership_proposed", world.alice.id,
         {"orgs": ["acme", "globex", "initech"], "purpose": "cost_efficiency"}),
        (2, "partnership_accepted", world.grace.id, {"org": "globex", "status": "proposed"}),
        (3, "partnership_accepted", world.ian.id, {"org": "initech", "status": "active"}),
    ]


def test_a_bad_proposal_names_each_bad_field_and_creates_nothing(world: World) -> None:
    purposes = "must be one of market_access, new_product, cost_efficiency, other"
    cases: dict[str, tuple[dict[str, object], dict[str, str]]] = {
        "own org": ({"invite": ["acme"]}, {"invite": "invite other organizations, not your own"}),
        "own org among others": ({"invite": ["initech", "acme"]},
                                 {"invite": "invite other organizations, not your own"}),
        "unknown orgs": ({"invite": ["hooli", "initech", "nowhere"]},
                         {"invite": "no organization hooli, nowhere"}),
        "empty invite": ({"invite": []}, {"invite": INVITE_ERROR}),
        "invite not a list": ({"invite": "initech"}, {"invite": INVITE_ERROR}),
        "not a handle": ({"invite": ["Initech"]}, {"invite": INVITE_ERROR}),
        "too many": ({"invite": [f"org{n}" for n in range(21)]}, {"invite": INVITE_ERROR}),
        "bad purpose": ({"purpose": "world_domination"}, {"purpose": purposes}),
        "everything at once": ({"name": "  ", "purpose": "", "invite": []},
                               {"name": "is required", "purpose": purposes, "invite": INVITE_ERROR}),
    }
    found = {}

    for case, (asked, _) in cases.items():
        with changes_nothing(world), pytest.raises(InvalidInput) as bad:
            _propose(world, **asked)
        found[case] = bad.value.errors

    assert found == {case: errors for case, (_, errors) in cases.items()}


def test_only_an_admin_proposes_a_partnership(world: World) -> None:
    messages = []

    for person in (world.sam, world.mia):
        with changes_nothing(world), pytest.raises(PermissionDenied) as denied:
            partnerships.propose_partnership(world.uow(), person.id, name="Side deal", purpose="other",
                                             invite=["initech"])
        messages.append(str(denied.value))

    assert messages == ["this action needs the admin role in acme"] * 2


def test_only_an_admin_of_the_invited_org_accepts(world: World) -> None:
    proposal = partnerships.propose_partnership(world.uow(), world.grace.id, name="Reverse",
                                                purpose="other", invite=["acme"])
    messages = []

    for person in (world.sam, world.mia):
        with changes_nothing(world), pytest.raises(PermissionDenied) as denied:
            partnerships.accept_partnership(world.uow(), person.id, proposal.id)
        messages.append(str(denied.value))

    assert messages == ["this action needs the admin role in acme"] * 2
    assert partnerships.get_partnership(world.uow(), world.alice.id, proposal.id).status is \
        PartnershipStatus.PROPOSED


def test_accepting_a_second_time_is_a_conflict_even_for_the_proposer(world: World) -> None:
    messages = []

    for admin in (world.grace, world.alice):
        with changes_nothing(world), pytest.raises(Conflict) as twice:
            partnerships.accept_partnership(world.uow(), admin.id, world.partnership.id)
        messages.append(str(twice.value))

    assert messages == ["globex has already accepted this partnership",
                        "acme has already accepted this partnership"]


def test_an_outsider_cannot_accept_and_is_told_the_partnership_does_not_exist(world: World) -> None:
    with changes_nothing(world), pytest.raises(NotFound) as missing:
        partnerships.accept_partnership(world.uow(), world.ian.id, world.partnership.id)

    assert (missing.value.kind, missing.value.ident) == ("partnership", world.partnership.id)


def test_an_outsider_cannot_get_a_partnership_nor_an_unknown_one(world: World) -> None:
    with pytest.raises(NotFound) as hidden:
        partnerships.get_partnership(world.uow(), world.ian.id, world.partnership.id)
    with pytest.raises(NotFound) as unknown:
        partnerships.get_partnership(world.uow(), world.alice.id, "prt_nonexistent")

    assert (hidden.value.kind, hidden.value.ident) == ("partnership", world.partnership.id)
    assert (unknown.value.kind, unknown.value.ident) == ("partnership", "prt_nonexistent")


def test_a_member_of_a_partner_org_gets_it_with_its_members(world: World) -> None:
    seen = partnerships.get_partnership(world.uow(), world.gina.id, world.partnership.id)

    assert (seen.id, seen.name, seen.purpose, seen.proposer) == (
        world.partnership.id, "Joint sensor", Purpose.NEW_PRODUCT, "acme")
    assert seen.orgs == ("acme", "globex")
    assert seen.status is PartnershipStatus.ACTIVE


def test_each_org_lists_only_the_partnerships_it_is_in(world: World, clock: FakeClock) -> None:
    clock.advance(seconds=1)
    with_initech = partnerships.propose_partnership(world.uow(), world.alice.id, name="Market entry",
                                                    purpose="market_access", invite=["initech"])

    def listed(person_id: str) -> list[str]:
        return [p.id for p in partnerships.list_partnerships(world.uow(), person_id).rows]

    assert listed(world.mia.id) == [world.partnership.id, with_initech.id]
    assert listed(world.gina.id) == [world.partnership.id]
    assert listed(world.ian.id) == [with_initech.id]
