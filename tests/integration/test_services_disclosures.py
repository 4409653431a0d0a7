"""Disclosures: the first rule through the service, the register, revocation and access.

Runs on SQLite and PostgreSQL. A refused disclosure writes exactly one `disclosure_refused`
event in the discloser's own log and nothing else; every other failure changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, timezone

import pytest

from sharebound.domain.agreements import Agreement
from sharebound.domain.decisions import Decision
from sharebound.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied, Refused
from sharebound.domain.orgs import Person
from sharebound.domain.partnerships import Partnership
from sharebound.services import agreements, copies, disclosures, partnerships, register
from sharebound.services.disclosures import DisclosureDraft
from tests.conftest import FakeClock
from tests.factories import sign_as, terms_json
from tests.integration.world import World, changes_nothing, everything

GINA = "gina@globex.example"


def _draft(item_id: str, agreement: Agreement, recipients: Sequence[str] = (GINA,),
           actions: Sequence[str] = ("view",), **more: object) -> DisclosureDraft:
    return DisclosureDraft(item_id=item_id, agreement_id=agreement.id, recipients=list(recipients),
                           actions=list(actions), **more)  # type: ignore[arg-type]


def _org_log(world: World, org: str) -> list[tuple[str, str | None, str, dict[str, object]]]:
    with world.uow() as uow:
        return [(e.kind, e.actor, e.subject, dict(e.data)) for e in uow.events.read(f"org:{org}")]


def refused_and_recorded(world: World, person: Person, draft: DisclosureDraft) -> Decision:
    """Disclose, expect a refusal; check it wrote one event in the discloser's log and nothing else."""
    events_before, rows_before = everything(world)
    log_before = _org_log(world, person.org)

    with pytest.raises(Refused) as refused:
        disclosures.disclose(world.uow(), person.id, draft)

    events_after, rows_after = everything(world)
    decision = refused.value.decision
    assert events_after == events_before + 1
    changed = {t for t in rows_before if rows_before[t] != rows_after[t]}
    # the event, its log's head, and the Merkle subtrees the new leaf completes (if any)
    assert {"events", "event_logs"} <= changed <= {"events", "event_logs", "log_nodes"}
    assert _org_log(world, person.org) == [*log_before, (
        "disclosure_refused", person.id, draft.item_id,
        {"agreement": draft.agreement_id, "codes": sorted(set(decision.codes))})]
    return decision


def _reasons(decision: Decision) -> list[tuple[str, str, str]]:
    return [(r.code, r.term, r.message) for r in decision.reasons]


def _terms(world: World, **overrides: object) -> dict[str, object]:
    today = world.app.clock().date()
    overrides.setdefault("effective_date", today.isoformat())
    overrides.setdefault("term_end", today.replace(year=today.year + 1).isoformat())
    return terms_json(**overrides)


def _signed_with_initech(world: World) -> tuple[Partnership, Agreement]:
    """A second, active partnership, acme and initech, with an NDA in force."""
    partnership = partnerships.propose_partnership(world.uow(), world.alice.id, name="Market entry",
                                                   purpose="market_access", invite=["initech"])
    partnerships.accept_partnership(world.uow(), world.ian.id, partnership.id)
    terms = _terms(world, parties=["acme", "initech"],
                   notice={"acme": "legal@acme.example", "initech": "legal@initech.example"})
    agreement = agreements.draft_agreement(world.uow(), world.alice.id, partnership.id, terms)
    digest = agreement.current.digest
    sign_as(world.uow(), world.sam.id, agreement.id, digest=digest, title="GC")
    agreement = sign_as(world.uow(), world.ian.id, agreement.id, digest=digest,
                                          title="CEO")
    return partnership, agreement


# -- the reasons of the first rule, each reached through the service ---------------------------


def test_a_recipient_passing_on_what_it_received_is_refused_for_owner(world: World) -> None:
    agreement = world.signed()
    item_id = world.note()
    disclosures.disclose(world.uow(), world.mia.id, _draft(item_id, agreement))

    decision = refused_and_recorded(world, world.gina, _draft(item_id, agreement, ["alice@acme.example"]))

    assert _reasons(decision) == [("owner", "item.owner", "globex does not own this item")]


def test_an_item_the_actor_neither_owns_nor_received_does_not_exist_and_nothing_is_recorded(
    world: World,
) -> None:
    agreement = world.signed()
    item_id = world.note()

    with changes_nothing(world), pytest.raises(NotFound) as missing:
        disclosures.disclose(world.uow(), world.grace.id, _draft(item_id, agreement, ["mia@acme.example"]))

    assert (missing.value.kind, missing.value.ident) == ("item", item_id)


def test_a_receiving_party_of_a_one_way_agreement_is_refused_for_party_and_recipients(world: World) -> None:
    agreement = world.signed(kind="one_way", disclosing_parties=["globex"])

    decision = refused_and_recorded(world, world.mia, _draft(world.note(), agreement))
    given_by_globex = disclosures.disclose(world.uow(), world.gina.id, _draft(
        world.note(by=world.gina), agreement, ["mia@acme.example"]))

    assert _reasons(decision) == [
        ("party", "disclosing_parties", "this one-way agreement lets only globex disclose"),
        ("recipients", "disclosing_parties", "gina@globex.example belongs to a disclosing party, which "
                                             "receives nothing under this one-way agreement"),
    ]
    assert (given_by_globex.discloser, given_by_globex.recipients) == ("globex", frozenset({world.mia.id}))


def test_an_amendment_to_one_way_binds_only_once_every_party_signs_it(world: World) -> None:
    agreement = world.signed()
    one_way = agreements.amend_agreement(world.uow(), world.grace.id, agreement.id,
                                         _terms(world, kind="one_way", disclosing_parties=["globex"]))
    digest = one_way.current.digest
    item_id = world.note()
    still_mutual = disclosures.disclose(world.uow(), world.mia.id, _draft(item_id, agreement))
    sign_as(world.uow(), world.grace.id, agreement.id, digest=digest, title="CEO")
    sign_as(world.uow(), world.alice.id, agreement.id, digest=digest, title="CEO")

    decision = refused_and_recorded(world, world.mia, _draft(item_id, agreement))

    assert still_mutual.agreement_version == 1
    assert decision.codes == ("party", "recipients")


def test_an_agreement_not_in_force_is_refused_for_in_force_naming_why(world: World) -> None:
    drafted = world.draft()
    awaiting = world.draft()
    sign_as(world.uow(), world.grace.id, awaiting.id, digest=awaiting.current.digest,
                              title="CEO")
    terminated = world.signed()
    agreements.terminate_agreement(world.uow(), world.alice.id, terminated.id, reason="over")
    item_id = world.note()

    found = {stage: _reasons(refused_and_recorded(world, world.mia, _draft(item_id, agreement)))
             for stage, agreement in [("draft", drafted), ("awaiting", awaiting), ("terminated", terminated)]}

    assert found == {
        "draft": [("in_force", "signatures", "the agreement is a draft: no party has signed it")],
        "awaiting": [
            ("in_force", "signatures", "the agreement is not in force: not every party has signed it")],
        "terminated": [("in_force", "termination", "the agreement has been terminated")],
    }


def test_an_item_above_the_ceiling_is_refused_for_ceiling(world: World) -> None:
    internal = world.signed(schedule={"ceiling": "internal"})
    confidential = world.signed(schedule={"ceiling": "confidential"})
    cases = [(internal, "confidential"), (internal, "restricted"), (confidential, "restricted")]

    found = [_reasons(refused_and_recorded(world, world.mia, _draft(world.note(classification=level),
                                                                    agreement)))
             for agreement, level in cases]

    crown_jewel = ("ceiling", "schedule.ceiling",
                   "restricted information is a crown jewel: it is never disclosed")
    assert found == [
        [("ceiling", "schedule.ceiling", "confidential is above this agreement's ceiling, internal")],
        [crown_jewel],
        [crown_jewel],
    ]


def test_an_item_whose_topics_the_agreement_does_not_cover_is_refused_for_topics(world: World) -> None:
    any_topic = world.signed()
    thermal_only = world.signed(schedule={"topics_allowed": ["Thermal"]})
    cases = {
        "excluded": (any_topic, ("thermal", "pricing")),
        "outside allowed": (thermal_only, ("thermal", "optics")),
        "no topics under allowed": (thermal_only, ()),
        "excluded and outside": (thermal_only, ("pricing",)),
    }

    found = {case: _reasons(refused_and_recorded(world, world.mia, _draft(world.note(topics=topics),
                                                                          agreement)))
             for case, (agreement, topics) in cases.items()}

    assert found == {
        "excluded": [("topics", "schedule.topics_excluded", "the agreement excludes pricing")],
        "outside allowed": [
            ("topics", "schedule.topics_allowed", "optics is outside the topics the agreement allows")],
        "no topics under allowed": [
            ("topics", "schedule.topics_allowed",
             "the agreement allows only certain topics and this item has none")],
        "excluded and outside": [
            ("topics", "schedule.topics_excluded", "the agreement excludes pricing"),
            ("topics", "schedule.topics_allowed", "pricing is outside the topics the agreement allows")],
    }


def test_an_unknown_address_is_refused_exactly_like_a_person_of_an_org_outside_the_agreement(
    world: World,
) -> None:
    agreement = world.signed()
    item_id = world.note()
    stranger, outsider = "nobody@nowhere.example", "ian@initech.example"

    as_stranger = refused_and_recorded(world, world.mia, _draft(item_id, agreement, [GINA, stranger]))
    as_outsider = refused_and_recorded(world, world.mia, _draft(item_id, agreement, [GINA, outsider]))
    checked = disclosures.check_disclosure(world.uow(), world.mia.id, _draft(item_id, agreement, [stranger]))

    assert _reasons(as_stranger) == [
        ("recipients", "parties", f"{stranger} is not a person of another party of this agreement")]
    assert _reasons(as_outsider) == [
        ("recipients", "parties", f"{outsider} is not a person of another party of this agreement")]
    assert _reasons(checked) == _reasons(as_stranger)
    refusals = [data for kind, _, _, data in _org_log(world, "acme") if kind == "disclosure_refused"]
    assert refusals == [{"agreement": agreement.id, "codes": ["recipients"]}] * 2


def test_a_colleague_or_no_recipient_at_all_is_refused_for_recipients(world: World) -> None:
    agreement = world.signed()
    item_id = world.note()

    own_org = refused_and_recorded(world, world.mia, _draft(item_id, agreement, ["sam@acme.example"]))
    nobody = refused_and_recorded(world, world.mia, _draft(item_id, agreement, []))

    assert _reasons(own_org) == [
        ("recipients", "parties", "sam@acme.example is not a person of another party of this agreement")]
    assert _reasons(nobody) == [("recipients", "recipients", "name at least one recipient")]


def test_named_recipient_terms_refuse_anyone_they_do_not_name(world: World) -> None:
    agreement = world.signed(schedule={"recipients": {"mode": "named", "people": ["Gina@Globex.example"]}})
    item_id = world.note()

    decision = refused_and_recorded(world, world.mia, _draft(item_id, agreement, ["grace@globex.example"]))
    allowed = disclosures.disclose(world.uow(), world.mia.id,
                                   _draft(item_id, agreement, ["GINA@globex.example"]))

    assert _reasons(decision) == [("recipients", "schedule.recipients",
                                   "grace@globex.example is not among the people the agreement names")]
    assert allowed.recipients == frozenset({world.gina.id})


def test_roles_recipient_terms_refuse_people_without_those_roles(world: World) -> None:
    agreement = world.signed(schedule={"recipients": {"mode": "roles", "roles": ["signer"]}})
    item_id = world.note()

    decision = refused_and_recorded(world, world.mia, _draft(item_id, agreement, [GINA]))
    allowed = disclosures.disclose(world.uow(), world.mia.id,
                                   _draft(item_id, agreement, ["grace@globex.example"]))

    assert _reasons(decision) == [(
        "recipients", "schedule.recipients",
        "gina@globex.example holds none of the roles the agreement allows (signer)")]
    assert allowed.recipients == frozenset({world.grace.id})


def test_actions_beyond_those_the_agreement_permits_are_refused_for_actions(world: World) -> None:
    agreement = world.signed(schedule={"actions": ["view"]})
    item_id = world.note()

    found = [_reasons(refused_and_recorded(world, world.mia, _draft(item_id, agreement, actions=actions)))
             for actions in (["view", "download"], ["print"], [])]

    assert found == [
        [("actions", "schedule.actions", "the agreement does not permit download")],
        [("actions", "schedule.actions", "'print' is not an action (view, download)")],
        [("actions", "schedule.actions", "name at least one action (view, download)")],
    ]


def test_access_beyond_the_agreement_s_windows_is_refused_for_window(world: World, clock: FakeClock) -> None:
    long_term = world.signed()
    short_term = world.signed(term_end=(clock().date() + timedelta(days=30)).isoformat())
    cases = {
        "beyond max access days": (long_term, timedelta(days=90, seconds=1)),
        "beyond term end": (short_term, timedelta(days=60)),
        "beyond both": (short_term, timedelta(days=91)),
        "not in the future": (long_term, timedelta(0)),
    }
    item_id = world.note()

    found = {case: _reasons(refused_and_recorded(world, world.mia, _draft(
        item_id, agreement, expires_at=clock() + expires_in)))
        for case, (agreement, expires_in) in cases.items()}

    too_long = ("window", "schedule.max_access_days", "access may last at most 90 days under this agreement")
    too_late = ("window", "term_end", "access must end by the agreement's end, 2027-03-31")
    assert found == {
        "beyond max access days": [too_long],
        "beyond term end": [too_late],
        "beyond both": [too_long, too_late],
        "not in the future": [("window", "expires_at", "access must end in the future")],
    }


def test_every_failing_reason_is_given_at_once(world: World, clock: FakeClock) -> None:
    agreement = world.signed(schedule={"ceiling": "internal", "actions": ["view"]})
    item_id = world.note(classification="confidential", topics=("pricing",))

    decision = refused_and_recorded(world, world.mia, _draft(
        item_id, agreement, ["sam@acme.example"], ["download"], expires_at=clock() + timedelta(days=400)))

    assert decision.codes == ("ceiling", "topics", "recipients", "actions", "window", "window")


# -- what a disclosure records -----------------------------------------------------------------


def test_by_default_access_lasts_the_longest_window_the_terms_allow(world: World, clock: FakeClock) -> None:
    in_a_month = (clock().date() + timedelta(days=30)).isoformat()
    cases = {
        "longest window": world.signed(),
        "term ends first": world.signed(term_end=in_a_month),
        "short window": world.signed(schedule={"max_access_days": 7}),
    }
    item_id = world.note()

    made = {case: disclosures.disclose(world.uow(), world.mia.id, _draft(item_id, agreement))
            for case, agreement in cases.items()}
    stored = {case: register.view_disclosure(world.uow(), world.gina.id, d.id).disclosure.expires_at
              for case, d in made.items()}

    expected = {
        "longest window": datetime(2027, 5, 30, 12, 0, tzinfo=UTC),
        "term ends first": datetime(2027, 3, 31, 0, 0, tzinfo=UTC),
        "short window": datetime(2027, 3, 8, 12, 0, tzinfo=UTC),
    }
    assert {case: d.expires_at for case, d in made.items()} == expected
    assert stored == expected


def test_a_disclosure_records_the_item_version_the_agreement_version_and_the_people(
    world: World, clock: FakeClock,
) -> None:
    agreement = world.signed()
    item_id = world.note()
    ends = datetime(2027, 3, 20, 9, 30, tzinfo=timezone(timedelta(hours=2)))

    made = disclosures.disclose(world.uow(), world.mia.id, _draft(
        item_id, agreement, [" GINA@globex.example", "grace@globex.example", GINA], ["view", "download"],
        expires_at=ends, note="  for the design review "))
    stored = register.view_disclosure(world.uow(), world.alice.id, made.id).disclosure

    assert stored == made
    assert (stored.discloser, stored.disclosed_by, stored.item_id, stored.item_version) == (
        "acme", world.mia.id, item_id, 1)
    assert (stored.agreement_id, stored.agreement_version, stored.agreement_digest) == (
        agreement.id, 1, agreement.current.digest)
    assert stored.recipients == {world.gina.id, world.grace.id}
    assert stored.actions == {"view", "download"}
    assert (stored.created_at, stored.expires_at, stored.note) == (
        clock(), datetime(2027, 3, 20, 7, 30, tzinfo=UTC), "for the design review")


def test_a_malformed_disclosure_names_the_bad_field_and_records_nothing(world: World) -> None:
    agreement = world.signed()
    cases: dict[str, tuple[dict[str, object], dict[str, str]]] = {
        "recipients not a list": ({"recipients": GINA}, {"recipients": "must be a list of email addresses"}),
        "too many recipients": ({"recipients": [f"p{n}@globex.example" for n in range(101)]},
                                {"recipients": "at most 100 recipients"}),
        "actions not a list": ({"actions": "view"},
                               {"actions": "must be a list of actions (view, download)"}),
        "naive expiry": ({"expires_at": datetime(2027, 4, 1)},
                         {"expires_at": "must be a date-time with a time zone"}),
        "long note": ({"note": "n" * 2001}, {"note": "must be at most 2000 characters"}),
    }
    base: dict[str, object] = {"item_id": world.note(), "agreement_id": agreement.id, "recipients": [GINA],
                               "actions": ["view"]}
    found = {}

    for case, (fields, _) in cases.items():
        for use_case in (disclosures.check_disclosure, disclosures.disclose):
            with changes_nothing(world), pytest.raises(InvalidInput) as bad:
                use_case(world.uow(), world.mia.id, DisclosureDraft(**{**base, **fields}))  # type: ignore[arg-type]
            found[case, use_case.__name__] = bad.value.errors

    assert found == {(case, name): errors for case, (_, errors) in cases.items()
                     for name in ("check_disclosure", "disclose")}


def test_checking_a_disclosure_writes_nothing_whatever_the_answer(world: World) -> None:
    agreement = world.signed()
    item_id = world.note()

    with changes_nothing(world):
        allowed = disclosures.check_disclosure(world.uow(), world.mia.id, _draft(item_id, agreement))
        refused = disclosures.check_disclosure(world.uow(), world.mia.id, _draft(item_id, agreement, []))

    assert (allowed.allowed, allowed.codes) == (True, ())
    assert (refused.allowed, refused.codes) == (False, ("recipients",))


def test_an_outsider_cannot_check_or_disclose_under_an_agreement_it_cannot_see(world: World) -> None:
    agreement = world.signed()
    item_id = world.note(by=world.ian)

    with changes_nothing(world):
        for use_case in (disclosures.check_disclosure, disclosures.disclose):
            with pytest.raises(NotFound) as missing:
                use_case(world.uow(), world.ian.id, _draft(item_id, agreement))
            assert (missing.value.kind, missing.value.ident) == ("agreement", agreement.id)


# -- revocation ------------------------------------------------------------------------------


def test_a_colleague_of_the_discloser_revokes_and_it_is_recorded(world: World, clock: FakeClock) -> None:
    agreement = world.signed()
    made = disclosures.disclose(world.uow(), world.mia.id, _draft(world.note(), agreement))
    clock.advance(hours=1)

    revoked = disclosures.revoke_disclosure(world.uow(), world.alice.id, made.id, reason=" sent too early ")

    stored = register.view_disclosure(world.uow(), world.gina.id, made.id).disclosure
    assert stored.revocation == revoked.revocation
    assert revoked.revocation is not None
    assert (revoked.revocation.person_id, revoked.revocation.reason, revoked.revocation.at) == (
        world.alice.id, "sent too early", clock())
    with world.uow() as uow:
        last = list(uow.events.read(f"partnership:{world.partnership.id}"))[-1]
    assert (last.kind, last.actor, last.subject, last.data) == (
        "disclosure_revoked", world.alice.id, made.id, {})


def test_only_the_discloser_s_org_can_revoke_for_anyone_else_it_does_not_exist(world: World) -> None:
    agreement = world.signed()
    made = disclosures.disclose(world.uow(), world.mia.id, _draft(world.note(), agreement))
    found = []

    for person in (world.gina, world.grace):  # the recipient and her org's admin see it, may not revoke
        with changes_nothing(world), pytest.raises(PermissionDenied):
            disclosures.revoke_disclosure(world.uow(), person.id, made.id, reason="mine now")
    with changes_nothing(world), pytest.raises(NotFound) as missing:
        disclosures.revoke_disclosure(world.uow(), world.ian.id, made.id, reason="mine now")
    found.append((missing.value.kind, missing.value.ident))

    assert found == [("disclosure", made.id)]


def test_a_disclosure_is_revoked_once(world: World) -> None:
    agreement = world.signed()
    made = disclosures.disclose(world.uow(), world.mia.id, _draft(world.note(), agreement))
    disclosures.revoke_disclosure(world.uow(), world.mia.id, made.id, reason="oops")

    with changes_nothing(world), pytest.raises(Conflict) as twice:
        disclosures.revoke_disclosure(world.uow(), world.alice.id, made.id, reason="oops again")

    assert str(twice.value) == "this disclosure is already revoked"


# -- access ----------------------------------------------------------------------------------


def test_a_recipient_s_permitted_access_is_recorded(world: World) -> None:
    agreement = world.signed()
    made = disclosures.disclose(world.uow(), world.mia.id, _draft(world.note(), agreement,
                                                                  actions=["view", "download"]))

    copy = copies.download_disclosure(world.uow(), world.gina.id, made.id)

    with world.uow() as uow:
        [access] = uow.disclosures.accesses(made.id)
        last = list(uow.events.read(f"partnership:{world.partnership.id}"))[-1]
    assert (access.person_id, access.action) == (world.gina.id, "download")
    assert (last.kind, last.actor, last.subject) == ("disclosure_accessed", world.gina.id, made.id)
    assert (last.data["access"], last.data["action"], last.data["copy"]) == (
        access.id, "download", copy.copy_id)


def test_an_action_the_disclosure_does_not_permit_is_refused_and_not_recorded(world: World) -> None:
    agreement = world.signed()
    made = disclosures.disclose(world.uow(), world.mia.id, _draft(world.note(), agreement, actions=["view"]))
    found = []

    # (an action that is no action at all, such as "print", is the access rule's: tests/unit)
    with changes_nothing(world), pytest.raises(Refused) as refused:
        copies.download_disclosure(world.uow(), world.gina.id, made.id)
    found.append(_reasons(refused.value.decision))

    assert found == [[("actions", "actions", "this disclosure does not permit download")]]


def test_access_ends_when_the_disclosure_s_window_ends(world: World, clock: FakeClock) -> None:
    agreement = world.signed()
    made = disclosures.disclose(world.uow(), world.mia.id, _draft(
        world.note(), agreement, expires_at=clock() + timedelta(days=7)))
    copies.open_view(world.uow(), world.gina.id, made.id)
    clock.advance(days=7)

    with changes_nothing(world), pytest.raises(Refused) as expired:
        copies.open_view(world.uow(), world.gina.id, made.id)

    assert _reasons(expired.value.decision) == [
        ("expired", "expires_at", "the access window of this disclosure has ended")]


# -- the register ----------------------------------------------------------------------------


def test_the_register_lists_what_was_given_and_received_filtered_by_partnership(
    world: World, clock: FakeClock,
) -> None:
    with_globex = world.signed()
    initech_partnership, with_initech = _signed_with_initech(world)
    to_gina = disclosures.disclose(world.uow(), world.mia.id, _draft(world.note(), with_globex))
    clock.advance(seconds=1)
    to_ian = disclosures.disclose(world.uow(), world.sam.id, _draft(world.note(), with_initech,
                                                                    ["ian@initech.example"]))

    def ids(person: Person, **filters: object) -> list[str]:
        return [v.disclosure.id for v in register.list_register(world.uow(), person.id, **filters).rows]  # type: ignore[arg-type]

    assert ids(world.alice) == [to_ian.id, to_gina.id]  # newest first
    assert ids(world.alice, partnership_id=world.partnership.id) == [to_gina.id]
    assert ids(world.alice, direction="given", partnership_id=initech_partnership.id) == [to_ian.id]
    assert ids(world.gina, direction="received") == [to_gina.id]
    assert ids(world.gina, direction="received", partnership_id=world.partnership.id) == [to_gina.id]
    assert ids(world.grace, direction="received") == [to_gina.id]  # globex's admin: the org's register
    assert ids(world.ian, direction="received", partnership_id=initech_partnership.id) == [to_ian.id]
    assert ids(world.alice, direction="received") == []


def test_the_register_names_a_bad_direction(world: World) -> None:
    with pytest.raises(InvalidInput) as bad:
        register.list_register(world.uow(), world.alice.id, direction="sideways")

    assert bad.value.errors == {"direction": "must be given or received"}


def test_the_register_of_a_partnership_the_actor_is_not_in_does_not_exist(world: World) -> None:
    initech_partnership, _ = _signed_with_initech(world)

    with pytest.raises(NotFound) as missing:
        register.list_register(world.uow(), world.grace.id, partnership_id=initech_partnership.id)

    assert (missing.value.kind, missing.value.ident) == ("partnership", initech_partnership.id)


def test_the_discloser_s_colleagues_the_recipients_and_the_receiving_org_s_admins_see_a_disclosure(
        world: World) -> None:
    agreement = world.signed()
    made = disclosures.disclose(world.uow(), world.mia.id, _draft(world.note(), agreement))

    seen = [register.view_disclosure(world.uow(), p.id, made.id)
            for p in (world.mia, world.alice, world.sam, world.gina, world.grace)]
    with pytest.raises(NotFound) as missing:
        register.view_disclosure(world.uow(), world.ian.id, made.id)

    assert (missing.value.kind, missing.value.ident) == ("disclosure", made.id)
    assert [v.disclosure.id for v in seen] == [made.id] * 5
    assert seen[-1].body is None  # grace answers for globex's register, she is no recipient
