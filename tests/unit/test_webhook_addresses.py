"""The address rule for webhooks: only the public internet, unless the operator allows more.

Unit tests only: resolution is faked, and nothing here sends traffic or asks a DNS server.
"""

from __future__ import annotations

import pytest

from sharebound.adapters import webhooks as http
from sharebound.domain.addresses import (
    AllowList,
    address_kind,
    check_addresses,
    literal_address,
    parse_allow_list,
)

NOBODY = AllowList()
PUBLIC = "93.184.215.14"  # why: a global unicast address (it is never contacted here)


def fake_dns(answers: dict[str, list[str]]) -> http.Resolver:
    def resolve(host: str, port: int) -> list[str]:
        literal = literal_address(host)
        return [str(literal)] if literal is not None else answers.get(host.rstrip("."), [])
    return resolve


@pytest.mark.parametrize(("spelling", "address"), [
    ("127.1", "127.0.0.1"),
    ("0x7f000001", "127.0.0.1"),
    ("2130706433", "127.0.0.1"),
    ("0177.0.0.1", "127.0.0.1"),
    ("0x7f.1", "127.0.0.1"),
    ("[::1]", "::1"),
    ("127.0.0.1.", "127.0.0.1"),
    ("[::ffff:127.0.0.1]", "::ffff:7f00:1"),
    ("10.0.0.1", "10.0.0.1"),
])
def test_odd_spellings_of_an_address_are_read_as_the_c_library_reads_them(spelling: str,
                                                                           address: str) -> None:
    assert str(literal_address(spelling)) == address


@pytest.mark.parametrize("name", ["hooks.example", "localhost", "1.2.3.4.5", "0x", "256.1.1.1.", "08.1"])
def test_a_name_is_not_taken_for_an_address(name: str) -> None:
    assert literal_address(name) is None


@pytest.mark.parametrize(("address", "kind"), [
    ("127.0.0.1", "loopback"), ("::1", "loopback"), ("::ffff:127.0.0.1", "loopback"),
    ("2002:7f00:1::", "loopback"), ("64:ff9b::a9fe:a9fe", "link-local"),
    ("10.0.0.1", "private"), ("192.168.1.1", "private"), ("172.16.0.1", "private"), ("fd00::1", "private"),
    ("169.254.169.254", "link-local"), ("fe80::1", "link-local"),
    ("224.0.0.1", "multicast"), ("ff02::1", "multicast"),
    ("0.0.0.0", "unspecified"), ("::", "unspecified"),
    ("240.0.0.1", "reserved"), ("100.64.0.1", "reserved"),
])
def test_addresses_off_the_public_internet_are_named_by_kind(address: str, kind: str) -> None:
    parsed = literal_address(address)
    assert parsed is not None and address_kind(parsed) == kind


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:5432/", "http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/",
    "http://127.1/", "http://0x7f000001/", "http://2130706433/", "http://[::ffff:127.0.0.1]/",
    "http://[::1]:8000/", "http://localhost/", "http://intranet.corp./", "http://0.0.0.0/",
])
def test_a_webhook_may_not_reach_inside(url: str) -> None:
    dns = fake_dns({"localhost": ["127.0.0.1", "::1"], "intranet.corp": ["10.2.3.4"]})

    reason = http.refusal(url, NOBODY, dns)

    assert reason is not None and "address" in reason
    assert "10.2.3.4" not in reason  # how internal names resolve is not told


def test_a_name_resolving_to_a_public_and_a_private_address_is_refused() -> None:
    dns = fake_dns({"split.example": [PUBLIC, "10.0.0.7"]})

    assert http.refusal("https://split.example/in", NOBODY, dns) is not None


def test_a_public_host_passes() -> None:
    dns = fake_dns({"hooks.example": [PUBLIC, "2606:2800:21f:cb07:6820:80da:af6b:8b2c"]})

    assert http.refusal("https://hooks.example/in", NOBODY, dns) is None


def test_a_name_that_does_not_resolve_is_refused() -> None:
    assert check_addresses("nowhere.example", [], NOBODY) == "does not resolve to any address"


def test_the_operators_allow_list_admits_named_hosts_domains_and_ranges_without_resolving() -> None:
    allow = parse_allow_list(" hooks.corp., *.lab.corp, 10.1.0.0/16, [::1] ,127.0.0.1")

    def no_dns(host: str, port: int) -> list[str]:
        raise AssertionError(f"{host} was resolved")

    assert http.refusal("http://HOOKS.corp/in", allow, no_dns) is None
    assert http.refusal("http://ci.lab.corp/in", allow, no_dns) is None
    assert http.refusal("http://10.1.200.3/in", allow, fake_dns({})) is None
    assert http.refusal("http://[::1]:9000/in", allow, fake_dns({})) is None
    assert http.refusal("http://[::ffff:127.0.0.1]/", allow, fake_dns({})) is None
    assert http.refusal("http://10.2.0.1/in", allow, fake_dns({})) is not None
    assert http.refusal("http://lab.corp/in", allow, fake_dns({"lab.corp": ["10.9.9.9"]})) is not None


@pytest.mark.parametrize("entry", ["hooks corp", "*.", "10.0.0.0/33", "http://hooks.corp"])
def test_a_bad_allow_list_entry_is_named(entry: str) -> None:
    with pytest.raises(ValueError, match="neither a host name"):
        parse_allow_list(f"hooks.corp,{entry}")


def test_a_delivery_checks_the_address_again_and_sends_nothing_when_dns_moved_inside() -> None:
    moved = fake_dns({"hooks.example": ["169.254.169.254"]})

    result = http.post_signed("https://hooks.example/in", b"{}", ["whsec_x"], timestamp=0, timeout=0.1,
                              allow=NOBODY, resolve=moved)

    assert result.status_code is None
    assert result.error is not None and result.error.startswith("not allowed: reaches a link-local address")
    assert "169.254" not in result.error


def test_a_delivery_to_a_name_that_no_longer_resolves_says_so() -> None:
    result = http.post_signed("https://gone.example/in", b"{}", ["whsec_x"], timestamp=0, timeout=0.1,
                              allow=NOBODY, resolve=fake_dns({}))

    assert result.error == "name not found"
