"""The ID token's claims and the provider settings, checked by the pure domain (domain/sso.py)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from sharebound.domain.addresses import parse_allow_list
from sharebound.domain.errors import InvalidInput, SsoRefused
from sharebound.domain.orgs import Role
from sharebound.domain.sso import (
    Endpoints,
    RoleRule,
    SsoProvider,
    check_claims,
    parse_settings,
    roles_for,
)
from tests.factories import NOW

PROVIDER = SsoProvider(
    org="acme", issuer="https://login.acme.example", client_id="sharebound", client_secret="s",
    endpoints=Endpoints("https://login.acme.example/auth", "https://login.acme.example/token",
                        "https://login.acme.example/jwks"),
    domains=frozenset({"acme.example"}),
    role_rules=(RoleRule("groups", "partner-admins", frozenset({Role.ADMIN, Role.SIGNER})),),
    require_sso=False, jit=True, updated_by="per_1", updated_at=NOW)


def claims(**overrides: Any) -> dict[str, Any]:
    now = int(NOW.timestamp())
    base: dict[str, Any] = {
        "iss": "https://login.acme.example", "aud": "sharebound", "sub": "alice", "exp": now + 300,
        "iat": now, "nonce": "n-1", "email": "Alice@Acme.example", "email_verified": True,
        "name": "Alice", "groups": ["partner-admins"], "auth_time": now - 10}
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


def reason(**overrides: Any) -> str:
    with pytest.raises(SsoRefused) as refused:
        check_claims(claims(**overrides), provider=PROVIDER, nonce="n-1", now=NOW,
                     max_age=timedelta(minutes=5))
    return refused.value.reason


def test_claims_that_all_hold_name_the_person_with_the_mapped_roles() -> None:
    identity = check_claims(claims(), provider=PROVIDER, nonce="n-1", now=NOW)

    assert (identity.email, identity.name, identity.subject) == ("alice@acme.example", "Alice", "alice")
    assert identity.roles == {Role.ADMIN, Role.SIGNER}


@pytest.mark.parametrize(("overrides", "code"), [
    ({"iss": "https://evil.example"}, "issuer"),
    ({"aud": "another-app"}, "audience"),
    ({"aud": ["sharebound", "another-app"]}, "audience"),  # several audiences and no azp
    ({"exp": int(NOW.timestamp()) - 600}, "expired"),
    ({"iat": int(NOW.timestamp()) + 600}, "expired"),
    ({"exp": "tomorrow"}, "expired"),
    ({"nonce": "n-2"}, "nonce"),
    ({"nonce": None}, "nonce"),
    ({"email_verified": False}, "email_not_verified"),
    ({"email_verified": "true"}, "email_not_verified"),  # a string is not the JSON true
    ({"email": "alice@evil.example"}, "domain"),
    ({"email": None}, "email"),
    ({"auth_time": int(NOW.timestamp()) - 3600}, "auth_time"),
    ({"auth_time": None}, "auth_time"),
])
def test_each_failing_claim_is_refused_with_its_reason(overrides: dict[str, Any], code: str) -> None:
    assert reason(**overrides) == code


def test_several_audiences_pass_when_we_are_the_authorized_party() -> None:
    identity = check_claims(claims(aud=["sharebound", "api"], azp="sharebound"), provider=PROVIDER,
                            nonce="n-1", now=NOW)

    assert identity.email == "alice@acme.example"


def test_no_matching_rule_gives_member_and_a_string_claim_matches_by_equality() -> None:
    rules = (RoleRule("department", "legal", frozenset({Role.SIGNER})),)

    assert roles_for(rules, {"groups": ["x"]}) == {Role.MEMBER}
    assert roles_for(rules, {"department": "legal"}) == {Role.SIGNER}


def test_settings_name_every_bad_field_at_once() -> None:
    with pytest.raises(InvalidInput) as bad:
        parse_settings({"issuer": "http://idp.example", "client_id": "", "domains": ["acme"],
                        "role_mapping": [{"claim": "nonce", "value": "", "roles": ["owner"]}],
                        "jit": "yes", "surprise": 1},
                       allow=parse_allow_list(""), has_secret=False)

    assert set(bad.value.errors) == {"issuer", "client_id", "client_secret", "domains",
                                     "role_mapping[0].claim", "role_mapping[0].value",
                                     "role_mapping[0].roles", "jit", "surprise"}


def test_plain_http_is_only_for_a_host_the_operator_allows() -> None:
    given = {"issuer": "http://127.0.0.1:9000/", "client_id": "c", "client_secret": "s",
             "domains": ["Acme.Example"]}

    allowed = parse_settings(given, allow=parse_allow_list("127.0.0.1"), has_secret=False)

    assert allowed.issuer == "http://127.0.0.1:9000" and allowed.domains == {"acme.example"}
    with pytest.raises(InvalidInput, match="https"):
        parse_settings(given, allow=parse_allow_list(""), has_secret=False)
