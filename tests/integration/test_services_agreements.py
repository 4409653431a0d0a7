"""Agreements: draft, amend, sign, terminate, read, through the use cases, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from sharebound.domain.agreements import Agreement, AgreementStatus
from sharebound.domain.disclosures import Disclosure
from sharebound.domain.errors import (
    Conflict,
    DigestMismatch,
    InvalidInput,
    InvalidTerms,
    NotFound,
    PermissionDenied,
    Refused,
)
from sharebound.domain.partnerships import Partnership
from sharebound.services import agreements, disclosures, partnerships
from sharebound.services.disclosures import DisclosureDraft
from tests.conftest import FakeClock
from tests.factories import ready_to_sign, sign_as, terms_json
from tests.integration.world import World, changes_nothing

INITECH_NOTICE = {"acme": "legal@acme.example", "initech": "legal@initech.example"}


def _status(world: World, agreement: Agreement) -> AgreementStatus:
    return agreements.get_agreement(world.uow(), world.alice.id, agreement.id).status(world.app.clock())


def _terms(world: World, **overrides: object) -> dict[str, object]:
    """Terms like World.draft's: effective from the clock's today, for a year."""
    today = world.app.clock().date()
    overrides.setdefault("effective_date", today.isoformat())
    overrides.setdefault("term_end", today.replace(year=today.year + 1).isoformat())
    return terms_json(**overrides)


def _give_gina_a_note(world: World, agreement: Agreement) -> Disclosure:
    return disclosures.disclose(world.uow(), world.mia.id, DisclosureDraft(
        item_id=world.note(), agreement_id=agreement.id, recipients=["gina@globex.example"],
        actions=["view"]))


def _proposed_to_initech(world: World) -> Partnership:
    return partnerships.propose_partnership(world.uow(), world.alice.id, name="Market entry",
                                            purpose="market_access", invite=["initech"])


def test_an_agreement_is_a_draft_then_awaits_signatures_then_is_in_force_once_every_party_signs(
    world: World,
) -> None:
    drafted = world.draft()
    digest = drafted.current.digest
    statuses = [_status(world, drafted)]
    sign_as(world.uow(), world.sam.id, drafted.id, digest=digest, title=" GC ")
    statuses.append(_status(world, drafted))
    signed = sign_as(world.uow(), world.grace.id, drafted.id, digest=digest, title="CEO")
    statuses.append(_status(world, drafted))

    assert statuses == [AgreementStatus.DRAFT, AgreementStatus.AWAITING_SIGNATURES, AgreementStatus.IN_FORCE]
    assert [(s.org, s.name, s.title, s.version, s.digest) for s in signed.signatures] == [
        ("acme", "Sam", "GC", 1, digest), ("globex", "Grace", "CEO", 1, digest)]
    with world.uow() as uow:
        events = [(e.kind, e.data) for e in uow.events.read(f"partnership:{world.partnership.id}")][2:]
    core = ("org", "version", "digest", "status")
    assert [d["methods"] for kind, d in events if kind == "agreement_signed"] == [["password"]] * 2
    events = [(kind, {k: v for k, v in d.items() if kind != "agreement_signed" or k in core})
              for kind, d in events]
    assert events == [
        ("agreement_drafted", {"version": 1, "digest": digest}),
        ("agreement_signed", {"org": "acme", "version": 1, "digest": digest,
                              "status": "awaiting_signatures"}),
        ("agreement_signed", {"org": "globex", "version": 1, "digest": digest, "status": "in_force"}),
    ]


def test_a_member_without_the_admin_or_signer_role_cannot_draft(world: World) -> None:
    with changes_nothing(world), pytest.raises(PermissionDenied) as denied:
        agreements.draft_agreement(world.uow(), world.mia.id, world.partnership.id, _terms(world))

    assert str(denied.value) == "this action needs the admin or signer role in acme"


def test_an_outsider_cannot_draft_in_a_partnership_it_is_not_in(world: World) -> None:
    with changes_nothing(world), pytest.raises(NotFound) as missing:
        agreements.draft_agreement(world.uow(), world.ian.id, world.partnership.id, _terms(world))

    assert (missing.value.kind, missing.value.ident) == ("partnership", world.partnership.id)


def test_a_party_outside_the_partnership_is_named_in_the_parties_term(world: World) -> None:
    terms = _terms(world, parties=["acme", "initech"], notice=INITECH_NOTICE)

    with changes_nothing(world), pytest.raises(InvalidTerms) as bad:
        agreements.draft_agreement(world.uow(), world.alice.id, world.partnership.id, terms)

    assert bad.value.errors == {"parties": "initech is not in this partnership"}


def test_a_party_that_has_not_accepted_the_partnership_yet_is_a_conflict(world: World) -> None:
    proposal = _proposed_to_initech(world)
    terms = _terms(world, parties=["acme", "initech"], notice=INITECH_NOTICE)

    with changes_nothing(world), pytest.raises(Conflict) as pending:
        agreements.draft_agreement(world.uow(), world.alice.id, proposal.id, terms)

    assert str(pending.value) == "initech has not accepted the partnership yet"
    assert agreements.list_agreements(world.uow(), world.alice.id, proposal.id) == []


def test_the_drafting_org_must_itself_be_a_party(world: World) -> None:
    consortium = partnerships.propose_partnership(world.uow(), world.alice.id, name="Consortium",
                                                  purpose="other", invite=["globex", "initech"])
    partnerships.accept_partnership(world.uow(), world.grace.id, consortium.id)
    partnerships.accept_partnership(world.uow(), world.ian.id, consortium.id)
    terms = _terms(world, parties=["acme", "globex"])

    with changes_nothing(world), pytest.raises(InvalidTerms) as bad:
        agreements.draft_agreement(world.uow(), world.ian.id, consortium.id, terms)

    assert bad.value.errors == {"parties": "your organization, initech, must be a party"}


def test_malformed_terms_name_each_bad_term_field_and_draft_nothing(world: World) -> None:
    cases: dict[str, tuple[dict[str, object], dict[str, str]]] = {
        "restricted ceiling": ({"schedule": {"ceiling": "restricted"}}, {
            "schedule.ceiling": "must be internal or confidential (restricted is never shared)"}),
        "ends before it starts": ({"term_end": "2027-02-01"},
                                  {"term_end": "must be after the effective date"}),
        "one-way without a discloser": ({"kind": "one_way"}, {
            "disclosing_parties": "a one-way agreement names its disclosing parties"}),
        "unknown term": ({"royalty": 5}, {"royalty": "is not a term"}),
        "two bad fields": ({"effective_date": "20270301", "schedule": {"max_access_days": 0}}, {
            "effective_date": "must be a date as YYYY-MM-DD",
            "schedule.max_access_days": "must be a whole number from 1 to 3650"}),
    }
    found = {}

    for case, (overrides, _) in cases.items():
        with changes_nothing(world), pytest.raises(InvalidTerms) as bad:
            agreements.draft_agreement(world.uow(), world.alice.id, world.partnership.id,
                                       _terms(world, **overrides))
        found[case] = bad.value.errors

    assert found == {case: errors for case, (_, errors) in cases.items()}


def test_signing_a_digest_that_is_no_longer_current_is_a_digest_mismatch_and_signs_nothing(
    world: World,
) -> None:
    agreement = world.signed()
    old_digest = agreement.current.digest
    amended = agreements.amend_agreement(world.uow(), world.alice.id, agreement.id,
                                         _terms(world, schedule={"max_access_days": 30}))

    with changes_nothing(world), pytest.raises(DigestMismatch) as stale:
        sign_as(world.uow(), world.grace.id, agreement.id, digest=old_digest,
                                  title="CEO")

    assert str(stale.value) == ("that digest is not the current version's: read the terms again and "
                                f"sign version 2 ({amended.current.digest})")
    assert amended.current.number == 2 and amended.current.digest != old_digest


def test_an_amendment_leaves_the_signed_version_in_force_until_every_party_signs_it(
    world: World, clock: FakeClock,
) -> None:
    agreement = world.signed()
    v1 = agreement.current.digest
    amended = agreements.amend_agreement(world.uow(), world.sam.id, agreement.id,
                                         _terms(world, schedule={"max_access_days": 30}))
    v2 = amended.current.digest

    before_signing = _give_gina_a_note(world, agreement)
    sign_as(world.uow(), world.alice.id, agreement.id, digest=v2, title="CEO")
    half_signed = _give_gina_a_note(world, agreement)
    status_half_signed = _status(world, agreement)
    sign_as(world.uow(), world.grace.id, agreement.id, digest=v2, title="CEO")
    fully_signed = _give_gina_a_note(world, agreement)

    now = clock()
    assert [(d.agreement_version, d.agreement_digest) for d in (before_signing, half_signed, fully_signed)] \
        == [(1, v1), (1, v1), (2, v2)]
    # the window each was given follows the terms of the version it was made under
    assert [d.expires_at for d in (before_signing, half_signed, fully_signed)] == [
        now + timedelta(days=90), now + timedelta(days=90), now + timedelta(days=30)]
    assert status_half_signed is AgreementStatus.IN_FORCE
    final = agreements.get_agreement(world.uow(), world.gina.id, agreement.id)
    assert final.signed_version is not None and final.signed_version.digest == v2
    assert final.pending_amendment is None


def test_amending_with_the_current_terms_is_a_conflict(world: World) -> None:
    agreement = world.signed()

    with changes_nothing(world), pytest.raises(Conflict) as same:
        agreements.amend_agreement(world.uow(), world.alice.id, agreement.id, _terms(world))

    assert str(same.value) == "these terms are the current version's; nothing to amend"


def test_a_person_without_the_signer_role_cannot_sign(world: World) -> None:
    agreement = world.draft()
    messages = []

    for person in (world.mia, world.gina):
        ready_to_sign(world.uow(), person.id)
        with changes_nothing(world), pytest.raises(PermissionDenied) as denied:
            sign_as(world.uow(), person.id, agreement.id, digest=agreement.current.digest,
                    title="Engineer")
        messages.append(str(denied.value))

    assert messages == ["this action needs the signer role in acme",
                        "this action needs the signer role in globex"]


def test_a_party_signs_each_version_once(world: World) -> None:
    agreement = world.draft()
    digest = agreement.current.digest
    sign_as(world.uow(), world.sam.id, agreement.id, digest=digest, title="GC")
    ready_to_sign(world.uow(), world.alice.id)

    with changes_nothing(world), pytest.raises(Conflict) as twice:
        sign_as(world.uow(), world.alice.id, agreement.id, digest=digest, title="CEO")

    assert str(twice.value) == "acme has already signed version 1"


def test_a_signature_needs_the_signer_s_title(world: World) -> None:
    agreement = world.draft()
    errors = []
    ready_to_sign(world.uow(), world.sam.id)

    for title in ("", "   "):
        with changes_nothing(world), pytest.raises(InvalidInput) as bad:
            sign_as(world.uow(), world.sam.id, agreement.id, digest=agreement.current.digest,
                    title=title)
        errors.append(bad.value.errors)

    assert errors == [{"title": "is required"}] * 2


def test_terminating_needs_a_reason(world: World) -> None:
    agreement = world.signed()
    errors = []

    for reason in ("", "  \n "):
        with changes_nothing(world), pytest.raises(InvalidInput) as bad:
            agreements.terminate_agreement(world.uow(), world.grace.id, agreement.id, reason=reason)
        errors.append(bad.value.errors)

    assert errors == [{"reason": "is required: say why the agreement ends"}] * 2
    assert _status(world, agreement) is AgreementStatus.IN_FORCE


def test_a_member_cannot_terminate(world: World) -> None:
    agreement = world.signed()

    with changes_nothing(world), pytest.raises(PermissionDenied) as denied:
        agreements.terminate_agreement(world.uow(), world.gina.id, agreement.id, reason="I am bored")

    assert str(denied.value) == "this action needs the admin or signer role in globex"


def test_a_terminated_agreement_cannot_be_terminated_signed_or_amended_again(world: World) -> None:
    agreement = world.signed()
    ended = agreements.terminate_agreement(world.uow(), world.grace.id, agreement.id,
                                           reason=" project ended ")

    with changes_nothing(world):
        with pytest.raises(Conflict) as twice:
            agreements.terminate_agreement(world.uow(), world.alice.id, agreement.id, reason="again")
        with pytest.raises(Conflict) as amend:
            agreements.amend_agreement(world.uow(), world.alice.id, agreement.id,
                                       _terms(world, purpose="Something else"))

    assert ended.termination is not None
    assert (ended.termination.org, ended.termination.person_id, ended.termination.reason) == (
        "globex", world.grace.id, "project ended")
    assert str(twice.value) == "the agreement is already terminated"
    assert str(amend.value) == "the agreement is terminated; it cannot be amended"
    assert _status(world, agreement) is AgreementStatus.TERMINATED


def test_an_outsider_is_told_the_agreement_does_not_exist(world: World) -> None:
    agreement = world.signed()
    digest = agreement.current.digest
    ready_to_sign(world.uow(), world.ian.id)

    with changes_nothing(world):
        calls: list[Callable[[], object]] = [
            lambda: agreements.get_agreement(world.uow(), world.ian.id, agreement.id),
            lambda: sign_as(world.uow(), world.ian.id, agreement.id, digest=digest, title="CEO"),
            lambda: agreements.terminate_agreement(world.uow(), world.ian.id, agreement.id, reason="x"),
            lambda: agreements.amend_agreement(world.uow(), world.ian.id, agreement.id, _terms(world)),
        ]
        for call in calls:
            with pytest.raises(NotFound) as missing:
                call()
            assert (missing.value.kind, missing.value.ident) == ("agreement", agreement.id)
        with pytest.raises(NotFound) as listing:
            agreements.list_agreements(world.uow(), world.ian.id, world.partnership.id)

    assert (listing.value.kind, listing.value.ident) == ("partnership", world.partnership.id)


def test_an_agreement_is_visible_only_to_its_parties_not_to_other_members_of_the_partnership(
    world: World,
) -> None:
    consortium = partnerships.propose_partnership(world.uow(), world.alice.id, name="Consortium",
                                                  purpose="other", invite=["globex", "initech"])
    partnerships.accept_partnership(world.uow(), world.grace.id, consortium.id)
    partnerships.accept_partnership(world.uow(), world.ian.id, consortium.id)
    bilateral = agreements.draft_agreement(world.uow(), world.alice.id, consortium.id, _terms(world))

    with pytest.raises(NotFound):
        agreements.get_agreement(world.uow(), world.ian.id, bilateral.id)


def test_an_agreement_signed_before_its_effective_date_is_signed_and_refuses_disclosures_until_then(
    world: World, clock: FakeClock,
) -> None:
    start = clock().date() + timedelta(days=10)
    agreement = world.signed(effective_date=start.isoformat())
    draft = DisclosureDraft(item_id=world.note(), agreement_id=agreement.id,
                            recipients=["gina@globex.example"], actions=["view"])

    status_before = _status(world, agreement)
    with pytest.raises(Refused) as early:
        disclosures.disclose(world.uow(), world.mia.id, draft)
    clock.advance(days=10)
    status_on_the_day = _status(world, agreement)
    made = disclosures.disclose(world.uow(), world.mia.id, draft)

    assert status_before is AgreementStatus.SIGNED
    assert [r.as_dict() for r in early.value.decision.reasons] == [
        {"code": "in_force", "term": "effective_date",
         "message": "the agreement is signed but not yet effective"}]
    assert status_on_the_day is AgreementStatus.IN_FORCE
    assert made.agreement_digest == agreement.current.digest


def test_an_agreement_expires_at_its_term_end(world: World, clock: FakeClock) -> None:
    end = clock().date() + timedelta(days=30)
    agreement = world.signed(term_end=end.isoformat())
    item_id = world.note()

    clock.advance(days=29, hours=11, minutes=59)
    status_just_before = _status(world, agreement)
    clock.advance(minutes=1)
    status_at_end = _status(world, agreement)
    decision = disclosures.check_disclosure(world.uow(), world.mia.id, DisclosureDraft(
        item_id=item_id, agreement_id=agreement.id, recipients=["gina@globex.example"],
        actions=["view"]))
    with changes_nothing(world), pytest.raises(Conflict) as over:
        agreements.terminate_agreement(world.uow(), world.alice.id, agreement.id, reason="too late")

    assert (status_just_before, status_at_end) == (AgreementStatus.IN_FORCE, AgreementStatus.EXPIRED)
    assert [(r.code, r.term) for r in decision.reasons] == [
        ("in_force", "term_end"), ("window", "expires_at")]
    assert str(over.value) == "the agreement is already expired"
