"""The pure rules of second factors: whom a policy covers, which TOTP steps still count,
how typed codes are read, and the relying party a base URL gives."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sharebound.domain.orgs import Role
from sharebound.domain.second_factors import (
    FactorProof,
    Policy,
    RelyingParty,
    candidate_steps,
    format_recovery_code,
    looks_like_recovery_code,
    looks_like_totp,
    normalize_code,
    policy_covers,
    time_step,
)

AT = datetime(2027, 3, 1, 12, 0, 10, tzinfo=UTC)
MEMBER = frozenset({Role.MEMBER})
SIGNER = frozenset({Role.SIGNER, Role.MEMBER})
ADMIN = frozenset({Role.ADMIN})


@pytest.mark.parametrize(("policy", "roles", "covered"), [
    (Policy.NONE, ADMIN, False), (Policy.NONE, MEMBER, False),
    (Policy.ADMINS_AND_SIGNERS, ADMIN, True), (Policy.ADMINS_AND_SIGNERS, SIGNER, True),
    (Policy.ADMINS_AND_SIGNERS, MEMBER, False),
    (Policy.EVERYONE, MEMBER, True), (Policy.EVERYONE, frozenset(), True),
])
def test_a_policy_covers_the_roles_it_names(policy: Policy, roles: frozenset[Role], covered: bool) -> None:
    assert policy_covers(policy, roles) is covered


def test_a_time_step_is_thirty_seconds() -> None:
    assert time_step(AT + timedelta(seconds=19)) == time_step(AT)
    assert time_step(AT + timedelta(seconds=20)) == time_step(AT) + 1


def test_the_current_step_and_its_neighbours_count_when_none_was_used() -> None:
    now = time_step(AT)

    assert candidate_steps(AT, None) == [now - 1, now, now + 1]


def test_no_step_at_or_before_the_last_used_one_counts_again() -> None:
    now = time_step(AT)

    assert candidate_steps(AT, now) == [now + 1]
    assert candidate_steps(AT, now + 1) == []
    assert candidate_steps(AT, now - 5) == [now - 1, now, now + 1]


def test_typed_codes_are_read_without_spaces_dashes_or_case() -> None:
    assert normalize_code(" 123 456 ") == "123456"
    assert normalize_code("K7M2Q-X9C4R") == "k7m2qx9c4r"
    fullwidth = "".join(chr(0xFF10 + d) for d in (1, 2, 3, 4, 5, 6))  # digits, but not ASCII ones
    assert looks_like_totp("123456") and not looks_like_totp("12345") and not looks_like_totp(fullwidth)
    assert looks_like_recovery_code("k7m2qx9c4r") and not looks_like_recovery_code("k7m2qx9c40")
    assert format_recovery_code("k7m2qx9c4r") == "k7m2q-x9c4r"


def test_a_proof_without_a_code_or_an_assertion_gives_nothing() -> None:
    assert not FactorProof().given and not FactorProof(code="").given
    assert FactorProof(code="123456").given and FactorProof(webauthn={}).given


@pytest.mark.parametrize(("url", "rp_id", "expected"), [
    ("http://localhost:8000", None, RelyingParty(id="localhost", origin="http://localhost:8000")),
    ("https://Share.Example.com/", None, RelyingParty(id="share.example.com", origin="https://share.example.com")),
    ("https://share.example.com", "example.com", RelyingParty(id="example.com", origin="https://share.example.com")),
])
def test_the_relying_party_comes_from_the_base_url(
    url: str, rp_id: str | None, expected: RelyingParty
) -> None:
    assert RelyingParty.of_url(url, rp_id) == expected
