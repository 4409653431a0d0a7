"""Information requests, on SQLite and PostgreSQL: ask, answer, decline, withdraw, assign, and
who sees them. globex asks acme in the world's partnership unless a test says otherwise."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from sharebound.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from sharebound.domain.orgs import Person
from sharebound.domain.requests import InformationRequest, RequestState
from sharebound.services import agreements, disclosures, partnerships, requests
from sharebound.services.disclosures import DisclosureDraft
from tests.conftest import FakeClock
from tests.integration.world import World, changes_nothing


def _ask(world: World, by: Person | None = None, **overrides: Any) -> InformationRequest:
    args: dict[str, Any] = {"title": "Thermal test results", "details": "Drift at 85 °C, raw data",
                            "due_on": world.app.clock().date() + timedelta(days=7), "topic": "thermal"}
    args.update(overrides)
    return requests.open_request(world.uow(), (by or world.grace).id, world.partnership.id, **args)


def _disclose(world: World, by: Person, to: str, request_id: str | None = None) -> str:
    """`by` discloses a new note to `to` under the NDA in force (signed on first use)."""
    in_force = agreements.list_agreements(world.uow(), by.id, world.partnership.id)
    agreement = in_force[0] if in_force else world.signed()
    return disclosures.disclose(world.uow(), by.id, DisclosureDraft(
        item_id=world.note(by=by), agreement_id=agreement.id, recipients=[to], actions=["view"],
        request_id=request_id)).id


def _events(world: World, subject: str) -> list[tuple[str, str | None, dict[str, Any]]]:
    with world.uow() as uow:
        log = uow.events.read(f"partnership:{world.partnership.id}")
        return [(e.kind, e.actor, dict(e.data)) for e in log if e.subject == subject]


def _base(world: World, request: InformationRequest, assignee: str | None = None) -> dict[str, Any]:
    return {"title": "Thermal test results", "asker": world.grace.id, "asker_org": "globex",
            "asked_org": "acme", "assignee": assignee, "due_on": request.due_on.isoformat(),
            "topic": "thermal"}


def test_globex_asks_acme_and_both_see_the_open_request_with_its_event(world: World) -> None:
    asked = _ask(world, assignee="sam@acme.example")

    assert (asked.state, asked.asker_org, asked.asked_org, asked.assignee_id) == (
        RequestState.OPEN, "globex", "acme", world.sam.id)
    for person in (world.gina, world.mia):
        view = requests.get_request(world.uow(), person.id, asked.id)
        assert view.request == asked
        assert [e.kind for e in view.history] == ["request_opened"]
    assert _events(world, asked.id) == [("request_opened", world.grace.id, _base(world, asked, world.sam.id))]


@pytest.mark.parametrize(("overrides", "errors"), [
    ({"asked_org": "initech"}, {"asked_org": "initech is not a partner organization of this partnership"}),
    ({"asked_org": "globex"}, {"asked_org": "ask a partner organization, not your own"}),
    ({"due_on": date(2027, 2, 28)}, {"due_on": "must be today (2027-03-01) or later"}),
    ({"due_on": "next week"}, {"due_on": "must be a date, YYYY-MM-DD"}),
    ({"assignee": "gina@globex.example"}, {"assignee": "must be a person of acme, the asked organization"}),
    ({"assignee": "ian@initech.example"}, {"assignee": "must be a person of acme, the asked organization"}),
    ({"assignee": "nobody@acme.example"}, {"assignee": "must be a person of acme, the asked organization"}),
    ({"title": " "}, {"title": "is required"}),
], ids=["outside org", "own org", "past due date", "not a date", "asker's own person", "outsider",
        "unknown person", "no title"])
def test_a_bad_request_names_the_field_and_changes_nothing(
    world: World, overrides: dict[str, Any], errors: dict[str, str],
) -> None:
    with changes_nothing(world), pytest.raises(InvalidInput) as bad:
        _ask(world, **overrides)

    assert bad.value.errors == errors


def test_every_bad_field_of_a_request_is_named_at_once(world: World) -> None:
    with changes_nothing(world), pytest.raises(InvalidInput) as bad:
        _ask(world, title=" ", due_on="next week", classification="secret", assignee="ian@initech.example")

    assert set(bad.value.errors) == {"title", "due_on", "classification", "assignee"}


def test_an_invited_org_that_has_not_accepted_cannot_be_asked_nor_ask(world: World) -> None:
    courted = partnerships.propose_partnership(world.uow(), world.alice.id, name="Pilot", purpose="other",
                                               invite=["initech"])

    with changes_nothing(world):
        with pytest.raises(InvalidInput) as bad:
            requests.open_request(world.uow(), world.alice.id, courted.id, title="Data", due_on="2027-03-09",
                                  asked_org="initech")
        with pytest.raises(NotFound):
            requests.open_request(world.uow(), world.ian.id, courted.id, title="Data", due_on="2027-03-09")

    assert bad.value.errors == {"asked_org": "initech is not a partner organization of this partnership"}


def test_only_the_two_orgs_see_a_request_even_in_a_partnership_of_three(world: World) -> None:
    consortium = partnerships.propose_partnership(world.uow(), world.alice.id, name="Consortium",
                                                  purpose="other", invite=["globex", "initech"])
    for admin in (world.grace, world.ian):
        partnerships.accept_partnership(world.uow(), admin.id, consortium.id)
    asked = requests.open_request(world.uow(), world.gina.id, consortium.id, title="Test plan",
                                  due_on="2027-03-10", asked_org="acme")

    with pytest.raises(NotFound) as hidden:
        requests.get_request(world.uow(), world.ian.id, asked.id)
    assert requests.list_requests(world.uow(), world.ian.id, consortium.id).rows == []
    assert [r.id for r in requests.list_requests(world.uow(), world.mia.id, consortium.id).rows] == [asked.id]
    assert (hidden.value.kind, hidden.value.ident) == ("request", asked.id)


def test_an_outsider_gets_not_found_for_every_action(world: World) -> None:
    asked = _ask(world)

    with changes_nothing(world):
        for attempt in (
            lambda: requests.get_request(world.uow(), world.ian.id, asked.id),
            lambda: requests.answer_request(world.uow(), world.ian.id, asked.id, ["dis_x"]),
            lambda: requests.decline_request(world.uow(), world.ian.id, asked.id, reason="no"),
            lambda: requests.withdraw_request(world.uow(), world.ian.id, asked.id),
            lambda: requests.assign_request(world.uow(), world.ian.id, asked.id, assignee="ian"),
        ):
            with pytest.raises(NotFound):
                attempt()
        with pytest.raises(NotFound):
            requests.list_requests(world.uow(), world.ian.id, world.partnership.id)


def test_acme_answers_with_a_disclosure_it_made_to_globex(world: World) -> None:
    asked = _ask(world)
    given = _disclose(world, world.mia, "gina@globex.example")

    answered = requests.answer_request(world.uow(), world.mia.id, asked.id, [given])

    assert (answered.state, answered.disclosures, answered.closed_by) == (
        RequestState.ANSWERED, (given,), world.mia.id)
    assert _events(world, asked.id)[-1] == (
        "request_answered", world.mia.id, {**_base(world, asked), "disclosures": [given]})
    view = requests.get_request(world.uow(), world.gina.id, asked.id)
    assert ([d.id for d in view.disclosures], view.hidden_disclosures) == ([given], 0)
    other = requests.get_request(world.uow(), world.grace.id, asked.id)  # globex, but not a recipient
    assert (other.disclosures, other.hidden_disclosures) == ([], 1)
    listed = {p.name: requests.list_requests(world.uow(), p.id, world.partnership.id).rows[0].disclosures
              for p in (world.gina, world.grace, world.alice)}
    assert listed == {"Gina": (given,), "Grace": (), "Alice": (given,)}


def test_an_answer_must_be_the_asked_org_s_disclosures_to_the_asker_s_org(world: World) -> None:
    asked = _ask(world)
    from_globex = _disclose(world, world.gina, "mia@acme.example")

    with changes_nothing(world):
        with pytest.raises(InvalidInput) as wrong:
            requests.answer_request(world.uow(), world.mia.id, asked.id, [from_globex, "dis_0nothing"])
        with pytest.raises(PermissionDenied, match="only people of acme, the asked organization"):
            requests.answer_request(world.uow(), world.grace.id, asked.id, [from_globex])
        with pytest.raises(InvalidInput) as empty:
            requests.answer_request(world.uow(), world.mia.id, asked.id, [])

    assert wrong.value.errors == {"disclosure_ids": (
        f"{from_globex}, dis_0nothing: an answer must be a disclosure acme made in this partnership "
        "to someone of globex")}
    assert empty.value.errors == {"disclosure_ids": "name at least one disclosure that answers the request"}


def test_disclosing_with_a_request_answers_it_in_the_same_transaction(world: World) -> None:
    asked = _ask(world)

    made = _disclose(world, world.mia, "grace@globex.example", request_id=asked.id)

    view = requests.get_request(world.uow(), world.grace.id, asked.id)
    assert (view.request.state, view.request.disclosures) == (RequestState.ANSWERED, (made,))
    assert [e.kind for e in view.history] == ["request_opened", "request_answered"]


def test_a_disclosure_for_a_request_that_cannot_be_answered_is_not_made(world: World) -> None:
    asked = _ask(world)
    nda = world.signed()
    by_asker = world.note(by=world.gina)
    requests.withdraw_request(world.uow(), world.gina.id, _ask(world, title="Old").id)
    closed = requests.list_requests(world.uow(), world.gina.id, world.partnership.id,
                                    state="withdrawn").rows[0]
    mine = world.note(by=world.mia)

    def attempt(by: Person, item: str, to: str, request_id: str) -> None:
        disclosures.disclose(world.uow(), by.id, DisclosureDraft(
            item_id=item, agreement_id=nda.id, recipients=[to], actions=["view"], request_id=request_id))

    with changes_nothing(world):
        with pytest.raises(PermissionDenied):  # globex asked: it cannot answer its own request
            attempt(world.gina, by_asker, "mia@acme.example", asked.id)
        with pytest.raises(Conflict, match="this request is withdrawn"):
            attempt(world.mia, mine, "gina@globex.example", closed.id)
        with pytest.raises(NotFound):
            attempt(world.mia, mine, "gina@globex.example", "req_0nonexistent0")


def test_acme_declines_with_a_reason_and_globex_withdraws_only_its_own(world: World) -> None:
    declined = requests.decline_request(world.uow(), world.sam.id, _ask(world).id, reason=" Out of scope ")
    second = _ask(world, title="Pricing")

    with changes_nothing(world):
        with pytest.raises(PermissionDenied, match="only people of acme"):
            requests.decline_request(world.uow(), world.gina.id, second.id, reason="no")
        with pytest.raises(PermissionDenied, match="only people of globex, which asked"):
            requests.withdraw_request(world.uow(), world.alice.id, second.id)
        with pytest.raises(InvalidInput) as blank:
            requests.decline_request(world.uow(), world.sam.id, second.id, reason="  ")
    withdrawn = requests.withdraw_request(world.uow(), world.gina.id, second.id)

    assert (declined.state, declined.decline_reason) == (RequestState.DECLINED, "Out of scope")
    assert _events(world, declined.id)[-1] == (
        "request_declined", world.sam.id, {**_base(world, declined), "reason": "Out of scope"})
    assert blank.value.errors == {"reason": "is required: say why the request is declined"}
    assert withdrawn.state is RequestState.WITHDRAWN
    assert _events(world, second.id)[-1] == (
        "request_withdrawn", world.gina.id, {**_base(world, second), "title": "Pricing"})


def test_acme_assigns_and_reassigns_to_its_own_people_only(world: World) -> None:
    asked = _ask(world)

    requests.assign_request(world.uow(), world.alice.id, asked.id, assignee="sam@acme.example")
    again = requests.assign_request(world.uow(), world.sam.id, asked.id, assignee=world.mia.id)
    with changes_nothing(world):
        with pytest.raises(InvalidInput) as outside:
            requests.assign_request(world.uow(), world.alice.id, asked.id, assignee="gina@globex.example")
        with pytest.raises(PermissionDenied, match="only people of acme"):
            requests.assign_request(world.uow(), world.grace.id, asked.id, assignee="gina@globex.example")

    assert again.assignee_id == world.mia.id
    assert [(k, a, d["assignee"]) for k, a, d in _events(world, asked.id)] == [
        ("request_opened", world.grace.id, None), ("request_assigned", world.alice.id, world.sam.id),
        ("request_assigned", world.sam.id, world.mia.id)]
    assert outside.value.errors == {"assignee": "must be a person of acme, the asked organization"}


@pytest.mark.parametrize("closing", ["answer", "decline", "withdraw"])
def test_nothing_more_happens_to_a_closed_request(world: World, closing: str) -> None:
    asked = _ask(world)
    given = _disclose(world, world.mia, "gina@globex.example")
    close = {"answer": lambda: requests.answer_request(world.uow(), world.mia.id, asked.id, [given]),
             "decline": lambda: requests.decline_request(world.uow(), world.mia.id, asked.id, reason="No"),
             "withdraw": lambda: requests.withdraw_request(world.uow(), world.gina.id, asked.id)}
    state = close[closing]().state.value

    with changes_nothing(world):
        for attempt in (*(c for name, c in close.items()),
                        lambda: requests.assign_request(world.uow(), world.mia.id, asked.id,
                                                        assignee="sam@acme.example")):
            with pytest.raises(Conflict, match=f"this request is {state}"):
                attempt()


def test_an_open_request_past_its_due_date_is_overdue_and_listed_first(
    world: World, clock: FakeClock,
) -> None:
    late = _ask(world, title="Late", due_on=clock().date())
    later = _ask(world, title="Later", due_on=clock().date() + timedelta(days=9))
    mine = _ask(world, by=world.mia, title="From acme", due_on=clock().date() + timedelta(days=3))
    requests.decline_request(world.uow(), world.mia.id, later.id, reason="No")
    clock.advance(days=1)

    listed = requests.list_requests(world.uow(), world.alice.id, world.partnership.id).rows
    overdue = requests.list_requests(world.uow(), world.alice.id, world.partnership.id, state="overdue").rows
    received = requests.list_requests(world.uow(), world.alice.id, world.partnership.id,
                                      direction="received").rows
    asked = requests.list_requests(world.uow(), world.alice.id, world.partnership.id, direction="asked").rows

    assert [(r.title, r.state_at(clock()).value) for r in listed] == [
        ("Late", "overdue"), ("From acme", "open"), ("Later", "declined")]
    assert [r.id for r in overdue] == [late.id]
    assert [r.id for r in received] == [late.id, later.id]
    assert [r.id for r in asked] == [mine.id]
    with pytest.raises(InvalidInput) as bad:
        requests.list_requests(world.uow(), world.alice.id, world.partnership.id, state="lost", direction="x")
    assert set(bad.value.errors) == {"direction"}


def test_a_third_org_of_the_partnership_sees_none_of_a_request_s_events(world: World) -> None:
    from sharebound.services import audit

    consortium = partnerships.propose_partnership(world.uow(), world.alice.id, name="Consortium",
                                                  purpose="other", invite=["globex", "initech"])
    for admin in (world.grace, world.ian):
        partnerships.accept_partnership(world.uow(), admin.id, consortium.id)
    asked = requests.open_request(world.uow(), world.gina.id, consortium.id, title="Test plan",
                                  due_on="2027-03-10", asked_org="acme")

    seen = {p.name: [e.kind for e in audit.partnership_events(world.uow(), p.id, consortium.id)
                     if e.subject == asked.id] for p in (world.ian, world.mia, world.gina)}

    assert seen == {"Ian": [], "Mia": ["request_opened"], "Gina": ["request_opened"]}
