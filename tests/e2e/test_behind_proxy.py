"""Behind a TLS proxy: forwarded headers count only from SHAREBOUND_TRUSTED_PROXIES.

The test client plays the direct peer (the proxy, or a stranger) by its `client` address; no
traffic leaves the process.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from sharebound.bootstrap import App
from sharebound.config import Settings
from sharebound.web import create_app
from sharebound.web.pages.common import LOGIN_CSRF_COOKIE, SESSION_COOKIE
from sharebound.web.proxies import forwarded_as_x_forwarded
from tests.e2e.conftest import csrf_of, sign_up

PROXY = "10.0.0.2"
STRANGER = "198.51.100.66"
PASSWORD = "a long passphrase"


@pytest.fixture
def behind_proxy(app: App) -> App:
    return replace(app, settings=app.settings.model_copy(
        update={"open_signup": True, "trusted_proxies": f"{PROXY}, 10.9.0.0/16"}))


def client_from(core: App, peer: str) -> Iterator[TestClient]:
    with TestClient(create_app(core=core), base_url="http://testserver", client=(peer, 40000)) as client:
        yield client


@pytest.fixture
def via_proxy(behind_proxy: App) -> Iterator[TestClient]:
    yield from client_from(behind_proxy, PROXY)


@pytest.fixture
def from_stranger(behind_proxy: App) -> Iterator[TestClient]:
    yield from client_from(behind_proxy, STRANGER)


def login(client: TestClient, headers: dict[str, str]) -> tuple[int, str]:
    """Sign in through the form with `headers` on both requests: the status and the Set-Cookie."""
    form = client.get("/login", headers=headers)
    csrf_cookie = form.headers["set-cookie"].partition(f"{LOGIN_CSRF_COOKIE}=")[2].split(";")[0]
    answer = client.post("/login", data={"csrf": csrf_of(form.text), "email": "alice@acme.example",
                                         "password": PASSWORD, "next": "/"},
                         headers={**headers, "Cookie": f"{LOGIN_CSRF_COOKIE}={csrf_cookie}"},
                         follow_redirects=False)
    return answer.status_code, answer.headers.get("set-cookie", "")


def test_over_https_through_a_trusted_proxy_the_cookie_is_secure_and_hsts_is_sent(
        via_proxy: TestClient) -> None:
    sign_up(via_proxy, "acme", "alice@acme.example", PASSWORD)
    https = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}

    status, cookie = login(via_proxy, https)
    home = via_proxy.get("/healthz", headers=https)

    assert status == 303 and f"{SESSION_COOKIE}=" in cookie and "secure" in cookie.lower()
    assert home.headers["strict-transport-security"].startswith("max-age=")


def test_a_trusted_proxy_seen_as_an_ipv4_mapped_address_is_still_trusted(behind_proxy: App) -> None:
    # a server listening on a dual-stack socket sees the IPv4 proxy as ::ffff:10.0.0.2
    https = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}
    for client in client_from(behind_proxy, f"::ffff:{PROXY}"):
        sign_up(client, "acme", "alice@acme.example", PASSWORD)
        status, cookie = login(client, https)

        assert status == 303 and "secure" in cookie.lower()


def test_the_standard_forwarded_header_is_read_too(via_proxy: TestClient) -> None:
    answer = via_proxy.get("/healthz", headers={"Forwarded": 'for="[2001:db8::7]:4711";proto=https'})

    assert "strict-transport-security" in answer.headers


def test_forwarded_headers_from_a_peer_that_is_not_a_trusted_proxy_are_ignored(
        via_proxy: TestClient, from_stranger: TestClient) -> None:
    sign_up(via_proxy, "acme", "alice@acme.example", PASSWORD)
    spoofed = {"X-Forwarded-Proto": "https", "Forwarded": "proto=https"}

    status, cookie = login(from_stranger, spoofed)
    home = from_stranger.get("/healthz", headers=spoofed)

    assert status == 303 and "secure" not in cookie.lower()
    assert "strict-transport-security" not in home.headers


def test_sign_in_failures_behind_a_proxy_count_the_real_client_not_the_proxy(via_proxy: TestClient) -> None:
    sign_up(via_proxy, "acme", "alice@acme.example", PASSWORD)
    guesser = {"X-Forwarded-For": "203.0.113.7"}

    failures = [via_proxy.post("/api/v1/auth/token", headers=guesser, json={
        "email": f"nobody{n}@acme.example", "password": "guess"}).status_code for n in range(20)]
    blocked = via_proxy.post("/api/v1/auth/token", headers=guesser,
                             json={"email": "alice@acme.example", "password": PASSWORD})
    colleague = via_proxy.post("/api/v1/auth/token", headers={"X-Forwarded-For": "203.0.113.8, 10.9.1.1"},
                               json={"email": "alice@acme.example", "password": PASSWORD})

    assert failures == [401] * 20
    assert blocked.status_code == 429  # the guesser's own address is stopped
    assert colleague.status_code == 201  # another person behind the same proxy is not


def test_a_stranger_cannot_escape_the_limits_by_sending_x_forwarded_for(
        via_proxy: TestClient, from_stranger: TestClient) -> None:
    sign_up(via_proxy, "acme", "alice@acme.example", PASSWORD)

    for n in range(20):
        from_stranger.post("/api/v1/auth/token", headers={"X-Forwarded-For": f"203.0.113.{n}"},
                           json={"email": f"nobody{n}@acme.example", "password": "guess"})
    blocked = from_stranger.post("/api/v1/auth/token", headers={"X-Forwarded-For": "203.0.113.99"},
                                 json={"email": "alice@acme.example", "password": PASSWORD})

    assert blocked.status_code == 429


def test_forwarded_lists_every_for_and_takes_the_last_proto() -> None:
    assert forwarded_as_x_forwarded('for=192.0.2.60;proto=http, for="[2001:db8::1]:4711";proto=HTTPS') == (
        "192.0.2.60, [2001:db8::1]:4711", "https")


def test_a_trusted_proxy_that_is_not_an_address_stops_the_start() -> None:
    with pytest.raises(ValidationError, match="trusted_proxies"):
        Settings(trusted_proxies="10.0.0.2, proxy.corp")
