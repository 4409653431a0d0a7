"""decide_reshare and decide_reshare_access: a re-share is never wider than the original, and a
representative's access ends with the original, its withdrawal or a demand."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from sharebound.domain.classification import Classification
from sharebound.domain.disclosures import Revocation
from sharebound.domain.representatives import (
    Representative,
    RepresentativeState,
    Reshare,
    decide_reshare,
    decide_reshare_access,
)
from sharebound.domain.terms import Action
from tests.factories import NOW, make_disclosure, make_person, make_terms, signed_agreement

LATER = NOW + timedelta(days=1)
JO = replace(make_person("rep-precision", "Jo"), roles=frozenset())  # a guest holds no role
AGREEMENT = signed_agreement()
ORIGINAL = make_disclosure(agreement=AGREEMENT, recipients={"per_globex_grace"},
                           actions={"view", "download"}, expires_at=NOW + timedelta(days=30))
APPROVED = Representative(
    id="rep_1", agreement_id=AGREEMENT.id, partnership_id="prt_1", org="globex",
    organization="Precision Parts Ltd", name="Jo", email="jo@precision.example", reason="Machines it",
    state=RepresentativeState.APPROVED, named_by="per_globex_grace", named_at=NOW,
    decided_org="acme", decided_by="per_acme_alice", decided_at=NOW, person_id=JO.id)
RESHARE = Reshare(id="rsh_1", disclosure_id=ORIGINAL.id, representative_id="rep_1", org="globex",
                  shared_by="per_globex_grace", actions=frozenset({Action.VIEW}), created_at=NOW,
                  expires_at=ORIGINAL.expires_at)


def reshare(**overrides: object) -> list[str]:
    fields: dict[str, object] = dict(
        org="globex", disclosure=ORIGINAL, representative=APPROVED, agreement=AGREEMENT,
        actions=["view"], expires_at=ORIGINAL.expires_at, now=LATER, demanded_at=None)
    fields.update(overrides)
    return list(decide_reshare(**fields).codes)  # type: ignore[arg-type]


def access(**overrides: object) -> list[str]:
    fields: dict[str, object] = dict(
        person=JO, reshare=RESHARE, representative=APPROVED, disclosure=ORIGINAL,
        agreement=AGREEMENT, action="view", now=LATER, demanded_at=None)
    fields.update(overrides)
    decision = decide_reshare_access(**fields)  # type: ignore[arg-type]
    return ["not_found"] if decision.not_found else list(decision.codes)


def test_a_reshare_within_the_original_is_allowed() -> None:
    assert reshare() == []


def test_a_crown_jewel_is_never_reshared_even_when_raised_after_the_disclosure() -> None:
    assert reshare(classification=Classification.RESTRICTED) == ["ceiling"]


def test_a_topic_the_schedule_excludes_is_refused() -> None:
    excluded = signed_agreement(make_terms(schedule={"topics_excluded": ["thermal"]}))
    original = replace(ORIGINAL, agreement_id=excluded.id, topics=frozenset({"thermal"}))
    assert reshare(agreement=excluded, disclosure=original) == ["topics"]


def test_a_pending_declined_withdrawn_or_other_partys_representative_is_refused() -> None:
    for state in (RepresentativeState.PENDING, RepresentativeState.DECLINED, RepresentativeState.WITHDRAWN):
        assert reshare(representative=replace(APPROVED, state=state)) == ["representative"]
    assert reshare(representative=replace(APPROVED, decided_org="initech")) == ["representative"]
    assert reshare(org="initech") == ["representative"]


def test_a_revoked_demanded_or_expired_original_is_refused() -> None:
    revoked = replace(ORIGINAL, revocation=Revocation(person_id="p", reason="", at=NOW))
    assert reshare(disclosure=revoked) == ["revoked"]
    assert reshare(demanded_at=NOW + timedelta(hours=1)) == ["demanded"]
    assert "expired" in reshare(now=ORIGINAL.expires_at + timedelta(hours=1),
                                expires_at=ORIGINAL.expires_at + timedelta(days=2))


@given(actions=st.lists(st.sampled_from(["view", "download", "print"]), max_size=3),
       days=st.integers(min_value=-2, max_value=60), label=st.sampled_from(list(Classification)))
def test_an_allowed_reshare_is_never_wider_than_the_original(
        actions: list[str], days: int, label: Classification) -> None:
    original = replace(ORIGINAL, actions=frozenset({Action.VIEW}))
    expires_at = LATER + timedelta(days=days)

    allowed = reshare(disclosure=original, actions=actions, expires_at=expires_at,
                      classification=label) == []

    if allowed:
        assert actions and set(actions) <= {"view"}
        assert LATER < expires_at <= original.expires_at
        assert label is not Classification.RESTRICTED


def test_only_the_representatives_guest_reads_the_reshare() -> None:
    assert access() == []
    assert access(person=make_person("globex", "Grace")) == ["not_found"]


def test_the_guests_access_ends_with_the_original_a_withdrawal_a_demand_or_its_window() -> None:
    revoked = replace(ORIGINAL, revocation=Revocation(person_id="p", reason="", at=NOW))
    assert access(disclosure=revoked) == ["revoked"]
    assert access(representative=replace(APPROVED, state=RepresentativeState.WITHDRAWN)) == ["withdrawn"]
    assert access(demanded_at=LATER - timedelta(hours=1)) == ["demanded"]
    assert access(reshare=replace(RESHARE, expires_at=LATER)) == ["expired"]
    assert access(action="download") == ["actions"]
