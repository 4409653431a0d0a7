"""Where single sign-on may fetch from: the issuer's host under the webhooks' address rule."""

from __future__ import annotations

import pytest

from sharebound.adapters.oidc import Oidc, ProviderError
from sharebound.domain.addresses import parse_allow_list


def never_resolve(host: str, port: int) -> list[str]:
    raise AssertionError(f"{host} must not be resolved")


def test_a_name_reserved_for_examples_is_not_found_without_asking_dns() -> None:
    oidc = Oidc(allow=parse_allow_list(""), resolve=never_resolve)

    with pytest.raises(ProviderError, match="not found"):
        oidc.discover("https://login.acme.example")


@pytest.mark.parametrize("address", ["10.0.0.1", "127.0.0.1", "169.254.169.254", "::ffff:192.168.1.1"])
def test_an_issuer_that_resolves_off_the_public_internet_is_refused(address: str) -> None:
    oidc = Oidc(allow=parse_allow_list(""), resolve=lambda host, port: [address])

    with pytest.raises(ProviderError, match="SHAREBOUND_SSO_ALLOW"):
        oidc.discover("https://idp.acme.com")


def test_a_public_name_resolving_to_any_private_address_is_refused() -> None:
    oidc = Oidc(allow=parse_allow_list(""), resolve=lambda host, port: ["93.184.215.14", "10.0.0.7"])

    with pytest.raises(ProviderError, match="private"):
        oidc.discover("https://idp.acme.com")
