"""Pure rules of notifications: preferences, retries, webhook URLs and signatures, email words."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sharebound.domain.emails import Line, Section, digest_email, instant_email
from sharebound.domain.errors import InvalidInput
from sharebound.domain.notifications import (
    Kind,
    Mode,
    backoff,
    check_webhook_url,
    parse_kinds,
    parse_preferences,
    sign_body,
    signature_header,
    verify_signature,
    with_defaults,
)
from tests.factories import NOW

BASE = "https://sharebound.acme.example"


def test_preferences_name_each_unknown_kind_and_mode() -> None:
    with pytest.raises(InvalidInput) as bad:
        parse_preferences({"mentioned": "hourly", "gossip": "instant", "disclosed_to_me": "off"})

    assert set(bad.value.errors) == {"preferences.mentioned", "preferences.gossip"}


def test_kinds_without_a_choice_are_instant() -> None:
    chosen = with_defaults(parse_preferences({"mentioned": "weekly"}))

    assert chosen[Kind.MENTIONED] is Mode.WEEKLY
    assert chosen[Kind.DISCLOSED_TO_ME] is Mode.INSTANT
    assert set(chosen) == set(Kind)


def test_the_wait_doubles_from_thirty_seconds_up_to_an_hour() -> None:
    waits = [backoff(n) for n in range(1, 10)]

    assert waits[:4] == [timedelta(seconds=s) for s in (30, 60, 120, 240)]
    assert waits[-1] == timedelta(hours=1)
    assert backoff(10_000) == timedelta(hours=1)


@pytest.mark.parametrize("url", [
    "ftp://hooks.example/in", "javascript:alert(1)", "hooks.example/in", "", "   ", "http://",
    "https://sharebound.acme.example/api/v1/hooks", "https://SHAREBOUND.acme.example:443/x",
    "https://hooks.example:99999/x",
])
def test_a_webhook_url_must_be_http_and_not_the_app_itself(url: str) -> None:
    with pytest.raises(InvalidInput) as bad:
        check_webhook_url(url, BASE)

    assert list(bad.value.errors) == ["url"]


@pytest.mark.parametrize("url", [
    "http://localhost:8000/hook", "http://127.0.0.1:8000/hook", "http://127.0.0.2:8000/hook",
    "http://[::1]:8000/hook", "http://LOCALHOST.:8000/hook", "http://0.0.0.0:8000/hook",
])
def test_the_app_on_loopback_is_refused_under_any_of_its_names(url: str) -> None:
    with pytest.raises(InvalidInput) as bad:
        check_webhook_url(url, "http://127.0.0.1:8000")

    assert list(bad.value.errors) == ["url"]
    assert check_webhook_url("http://localhost:9000/hook", "http://127.0.0.1:8000")  # another port


def test_the_app_on_another_port_or_scheme_is_another_origin() -> None:
    assert check_webhook_url("http://sharebound.acme.example/in", BASE) == "http://sharebound.acme.example/in"
    assert check_webhook_url(" https://hooks.example/in ", BASE) == "https://hooks.example/in"


def test_webhook_kinds_must_be_known() -> None:
    assert parse_kinds(["mentioned"]) == {Kind.MENTIONED}
    assert parse_kinds([]) == frozenset()
    with pytest.raises(InvalidInput) as bad:
        parse_kinds(["mentioned", "weather"])
    assert "weather" in bad.value.errors["kinds"]


@given(body=st.binary(max_size=300), secret=st.text(min_size=1, max_size=40),
       stamp=st.integers(min_value=0, max_value=2**40))
def test_a_receiver_verifies_what_we_signed_and_nothing_else(body: bytes, secret: str, stamp: int) -> None:
    header = signature_header([secret], stamp, body)

    assert verify_signature(secret, header, body)
    assert not verify_signature(secret + "x", header, body)
    assert not verify_signature(secret, header, body + b" ")
    assert not verify_signature(secret, header.replace(f"t={stamp}", f"t={stamp + 1}"), body)


def test_during_a_rotation_both_secrets_sign() -> None:
    header = signature_header(["new", "old"], 1700000000, b'{"a":1}')

    assert header.startswith("t=1700000000,v1=")
    assert header.count("v1=") == 2
    assert verify_signature("new", header, b'{"a":1}') and verify_signature("old", header, b'{"a":1}')
    assert sign_body("new", 1700000000, b'{"a":1}') in header


def test_an_instant_email_has_the_title_and_a_link_and_escapes_html() -> None:
    from sharebound.domain.notifications import Notification

    note = Notification(id="ntf_1", person_id="per_1", kind=Kind.DISCLOSED_TO_ME,
                        title="acme disclosed “<b>Drift</b>” to you", link="/disclosures/dis_1",
                        event_kind="disclosure_made", subject="dis_1", created_at=NOW)

    email = instant_email(note, "Gina", BASE + "/")

    assert email.subject == "Sharebound: acme disclosed “<b>Drift</b>” to you"
    assert f"{BASE}/disclosures/dis_1" in email.text
    assert "&lt;b&gt;Drift&lt;/b&gt;" in email.html and "<b>Drift" not in email.html


def test_a_digest_shows_only_sections_with_lines_and_counts_them() -> None:
    email = digest_email("Gina", "daily", [
        Section("Shared with you", (Line("acme: “Drift”", "/disclosures/dis_1"),)),
        Section("Open requests", ()),
    ], BASE)

    assert email.subject == "Sharebound daily digest: 1 item"
    assert "Shared with you" in email.text and "Open requests" not in email.text
    assert f'href="{BASE}/disclosures/dis_1"' in email.html
