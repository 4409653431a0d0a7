"""The worker delivers the outbox to a real SMTP server and a real webhook receiver on loopback."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest
from pydantic import SecretStr

from sharebound.bootstrap import App
from sharebound.domain.addresses import AllowList
from sharebound.domain.errors import InvalidInput
from sharebound.domain.notifications import verify_signature
from sharebound.services import notifications, webhooks
from sharebound.services.digests import run_digests
from sharebound.services.worker import PassReport, run_pass
from tests.conftest import FakeClock
from tests.integration.notify_helpers import ask, disclose, outbox_rows
from tests.integration.servers import free_port, smtp_server, webhook_receiver
from tests.integration.world import World

BASE = "https://sharebound.acme.example"


def core(world: World, **settings: Any) -> App:
    return replace(world.app, settings=world.app.settings.model_copy(update={
        "base_url": BASE, "smtp_tls": "none", "smtp_timeout_seconds": 2.0, **settings}))


def deliver(app: App) -> PassReport:
    return run_pass(app, "test-worker", schedules=False)


def test_the_recipient_gets_an_email_with_the_title_and_a_link_but_not_the_content(world: World) -> None:
    agreement = world.signed()
    with smtp_server() as (inbox, port):
        app = core(world, smtp_host="127.0.0.1", smtp_port=port)
        made = disclose(world, agreement.id, title_body="secret-body-text-kestrel")
        deliver(app)  # the NDA's notifications go too

        to_gina = [m for m in inbox.messages if m["To"] == "gina@globex.example"]
    assert [m["Subject"] for m in to_gina] == ["Sharebound: acme disclosed “Thermal test results” to you"]
    parts = inbox.parts(to_gina[0])
    assert f"{BASE}/disclosures/{made.id}" in parts["text/plain"]
    assert f'href="{BASE}/disclosures/{made.id}"' in parts["text/html"]
    assert all("secret-body-text-kestrel" not in body for body in parts.values())
    assert {r.state for r in outbox_rows(world)} == {"sent"}


def test_the_worker_signs_in_to_the_smtp_server_when_told_to(world: World) -> None:
    agreement = world.signed()
    with smtp_server(login=("mailer", "s3cret")) as (inbox, port):
        app = core(world, smtp_host="127.0.0.1", smtp_port=port, smtp_user="mailer",
                   smtp_password=SecretStr("s3cret"))
        disclose(world, agreement.id)
        report = deliver(app)

    assert report.sent == len(inbox.messages) == len(inbox.logins) > 0
    assert set(inbox.logins) == {("mailer", "s3cret")}


def test_a_second_pass_sends_nothing_again(world: World) -> None:
    agreement = world.signed()
    with smtp_server() as (inbox, port):
        app = core(world, smtp_host="127.0.0.1", smtp_port=port)
        disclose(world, agreement.id)
        first = deliver(app)
        second = deliver(app)

        assert (first.sent, second.claimed) == (len(inbox.messages), 0)


def test_the_daily_digest_names_what_was_shared_and_what_waits(world: World, clock: FakeClock) -> None:
    agreement = world.signed()
    notifications.set_preferences(world.uow(), world.gina.id, {"disclosed_to_me": "daily"})
    disclose(world, agreement.id)
    ask(world, due_on=clock().date().replace(day=20), title="Thermal test results")
    with smtp_server() as (inbox, port):
        app = core(world, smtp_host="127.0.0.1", smtp_port=port, digest_hour=7)
        deliver(app)
        assert [m for m in inbox.messages if m["To"] == "gina@globex.example"] == []  # no instant email

        clock.advance(days=1)  # the next day, after 07:00 UTC
        report = run_pass(app, "test-worker")
        again = run_pass(app, "test-worker")

        digests = [m for m in inbox.messages if m["To"] == "gina@globex.example"]
    assert (report.digests, again.digests) == (1, 0)
    assert digests[0]["Subject"].startswith("Sharebound daily digest")
    text = inbox.parts(digests[0])["text/plain"]
    assert "acme disclosed “Thermal test results” to you" in text  # the notification
    assert "Shared with you" in text and "acme: “Thermal test results”" in text
    assert "globex asks acme: “Thermal test results”, due 2027-03-20" in text  # open requests
    assert "Thermal test results" in inbox.parts(digests[0])["text/html"]


def test_nobody_gets_an_empty_digest(world: World, clock: FakeClock) -> None:
    notifications.set_preferences(world.uow(), world.ian.id, {"mentioned": "daily"})
    clock.advance(days=1)

    report = run_pass(core(world), "test-worker")

    assert report.digests == 0


def test_smtp_unreachable_is_retried_then_failed_and_reported_losing_nothing(world: World,
                                                                             clock: FakeClock) -> None:
    agreement = world.signed()
    app = core(world, smtp_host="127.0.0.1", smtp_port=free_port(), mail_max_attempts=2)
    made = disclose(world, agreement.id)

    first = deliver(app)
    clock.advance(seconds=29)
    early = deliver(app)
    clock.advance(seconds=2)  # the first wait (30 s) is over
    last = deliver(app)

    assert (first.retrying, early.claimed, last.failed) == (first.claimed, 0, first.claimed)
    trouble = webhooks.org_deliveries(world.uow(), world.grace.id)["emails"]
    assert isinstance(trouble, list)
    assert ("failed", "gina@globex.example") in [(entry.state, address) for entry, address in trouble]
    assert {entry.state for entry, _ in trouble} == {"failed"}  # globex's own people only
    assert {address.split("@")[1] for _, address in trouble} == {"globex.example"}
    assert all("ConnectionRefusedError" in (entry.last_error or "") for entry, _ in trouble)
    found, _ = notifications.list_notifications(world.uow(), world.gina.id)
    assert [n.subject for n in found] == [made.id]  # the in-app notification is there
    with world.uow() as uow:
        kinds = [e.kind for e in uow.events.read(f"partnership:{world.partnership.id}")]
    assert "disclosure_made" in kinds


def test_without_smtp_settings_emails_are_skipped_not_left_waiting(world: World) -> None:
    world.draft()

    report = deliver(core(world))

    assert report.skipped == report.claimed > 0
    assert {r.last_error for r in outbox_rows(world)} == {"email is off: SHAREBOUND_SMTP_HOST is not set"}


def _hook(world: World, url: str, kinds: list[str] | None = None) -> tuple[str, str]:
    hook, secret = webhooks.create_webhook(world.uow(), world.grace.id, "globex", url=url,
                                           kinds=kinds or ["disclosed_to_me"], base_url=BASE,
                                           allow=world.app.settings.webhook_allow_list)
    return hook.id, secret


def test_a_webhook_gets_a_signed_delivery_and_a_retry_after_a_500(world: World, clock: FakeClock) -> None:
    agreement = world.signed()
    with webhook_receiver([500, 200]) as receiver:
        hook_id, secret = _hook(world, receiver.url)
        made = disclose(world, agreement.id)
        app = core(world)

        first = deliver(app)
        clock.advance(seconds=30)
        second = deliver(app)

    assert (first.retrying, second.sent) == (1, 1)
    assert len(receiver.received) == 2
    assert receiver.received[0].body == receiver.received[1].body
    last = receiver.received[1]
    assert verify_signature(secret, last.headers["Sharebound-Signature"], last.body)
    assert last.headers["Sharebound-Signature"].startswith(f"t={int(clock().timestamp())},v1=")
    body = json.loads(last.body)
    assert (body["type"], body["event"], body["subject"], body["org"], body["people"]) == (
        "disclosed_to_me", "disclosure_made", made.id, "globex", [world.gina.id])
    assert "title" not in body and b"Thermal test results" not in last.body  # ids and links only
    _, log = webhooks.get_webhook(world.uow(), world.grace.id, hook_id)
    assert [(d.attempt, d.status_code, d.error) for d in log] == [
        (2, 200, None), (1, 500, "HTTP 500")]


def test_a_webhook_that_is_down_is_retried_a_bounded_number_of_times_then_failed(
        world: World, clock: FakeClock) -> None:
    agreement = world.signed()
    hook_id, _ = _hook(world, f"http://127.0.0.1:{free_port()}/down")
    disclose(world, agreement.id)
    app = core(world, webhook_max_attempts=3)

    outcomes = []
    for _ in range(5):
        outcomes.append(deliver(app))
        clock.advance(hours=1)

    assert [(r.retrying, r.failed) for r in outcomes] == [(1, 0), (1, 0), (0, 1), (0, 0), (0, 0)]
    _, log = webhooks.get_webhook(world.uow(), world.grace.id, hook_id)
    assert [d.status_code for d in log] == [None, None, None]
    assert [d.error for d in log] == ["refused", "refused", "refused"]  # a category, no socket error
    failed = webhooks.org_deliveries(world.uow(), world.grace.id)["webhooks"]
    assert isinstance(failed, list) and len(failed) == 1
    with world.uow() as uow:  # the event stays in the log
        assert "disclosure_made" in [e.kind for e in uow.events.read(f"partnership:{world.partnership.id}")]


def test_a_slow_webhook_times_out(world: World) -> None:
    agreement = world.signed()
    with webhook_receiver([200], delay=1.5) as receiver:
        hook_id, _ = _hook(world, receiver.url)
        disclose(world, agreement.id)
        report = deliver(core(world, webhook_timeout_seconds=0.3))

    assert report.retrying == 1
    _, log = webhooks.get_webhook(world.uow(), world.grace.id, hook_id)
    assert log[0].error == "timed out"


def test_a_rotated_secret_signs_beside_the_old_one_for_a_day(world: World, clock: FakeClock) -> None:
    agreement = world.signed()
    with webhook_receiver([200]) as receiver:
        hook_id, old = _hook(world, receiver.url, kinds=[])
        _, new = webhooks.rotate_secret(world.uow(), world.grace.id, hook_id)
        disclose(world, agreement.id)
        deliver(core(world))
        clock.advance(hours=25)
        disclose(world, agreement.id)
        deliver(core(world))

    first, later = receiver.received[0], receiver.received[-1]
    assert verify_signature(new, first.headers["Sharebound-Signature"], first.body)
    assert verify_signature(old, first.headers["Sharebound-Signature"], first.body)
    assert verify_signature(new, later.headers["Sharebound-Signature"], later.body)
    assert not verify_signature(old, later.headers["Sharebound-Signature"], later.body)


@pytest.mark.parametrize("url", ["ftp://hooks.example/in", f"{BASE}/api/v1/anything"])
def test_a_webhook_url_that_is_not_http_or_is_the_app_is_refused(world: World, url: str) -> None:
    with pytest.raises(InvalidInput) as bad:
        _hook(world, url)

    assert list(bad.value.errors) == ["url"]


def test_a_deleted_webhook_gets_nothing_more(world: World) -> None:
    agreement = world.signed()
    with webhook_receiver([200]) as receiver:
        hook_id, _ = _hook(world, receiver.url)
        disclose(world, agreement.id)
        webhooks.delete_webhook(world.uow(), world.grace.id, hook_id)
        report = deliver(core(world))

    assert receiver.received == []
    assert report.skipped >= 1


def test_a_weekly_digest_missed_on_monday_goes_at_the_next_pass_once(world: World, clock: FakeClock) -> None:
    agreement = world.signed()
    notifications.set_preferences(world.uow(), world.gina.id, {"disclosed_to_me": "weekly"})
    disclose(world, agreement.id)
    # the worker was down all next Monday: it comes back on Tuesday at noon
    clock.advance(days=8 - clock().weekday())
    clock.now = clock.now.replace(hour=12)

    first = run_digests(world.uow(), digest_hour=7, base_url=BASE)
    again = run_digests(world.uow(), digest_hour=7, base_url=BASE)
    clock.advance(days=1)
    next_day = run_digests(world.uow(), digest_hour=7, base_url=BASE)

    assert (first, again, next_day) == (1, 0, 0)


def test_a_daily_digest_after_a_worker_was_down_three_days_covers_all_three_days_once(
        world: World, clock: FakeClock) -> None:
    agreement = world.signed()
    notifications.set_preferences(world.uow(), world.gina.id, {"disclosed_to_me": "daily"})
    disclose(world, agreement.id)
    clock.advance(days=1)  # 12:00 the next day: the worker sends that day's digest
    assert run_digests(world.uow(), digest_hour=7, base_url=BASE) == 1
    made = []
    for _ in range(3):  # then it is down for three days, one disclosure each day
        clock.advance(days=1)
        made.append(disclose(world, agreement.id).id)

    clock.advance(hours=1)  # 13:00 on the third day: the worker is back
    back = run_digests(world.uow(), digest_hour=7, base_url=BASE)
    again = run_digests(world.uow(), digest_hour=7, base_url=BASE)
    clock.advance(days=1)
    next_day = run_digests(world.uow(), digest_hour=7, base_url=BASE)

    # the digest of the day the worker came back covers every day since the last one sent, up
    # to that day's 07:00; the next day's the rest: each disclosure named in exactly one digest
    texts = [json.loads(r.payload)["text"] for r in outbox_rows(world) if r.notification_id is None]
    assert (back, again, next_day) == (1, 0, 1)
    assert len(texts) == 3
    assert [sum(f"/disclosures/{d}" in t for t in texts) for d in made] == [1, 1, 1]


def test_a_webhook_allowed_at_registration_is_checked_again_at_delivery(world: World) -> None:
    agreement = world.signed()
    with webhook_receiver([200]) as receiver:
        hook_id, _ = _hook(world, receiver.url)  # loopback, allowed when it was registered
        disclose(world, agreement.id)
        report = deliver(core(world, webhook_allow=""))  # the operator withdrew the allowance

    assert receiver.received == [] and report.retrying == 1
    _, log = webhooks.get_webhook(world.uow(), world.grace.id, hook_id)
    assert log[0].status_code is None
    assert (log[0].error or "").startswith("not allowed: reaches a loopback address")


@pytest.mark.parametrize("url", ["http://127.0.0.1:5432/", "http://169.254.169.254/latest/meta-data/",
                                 "http://10.0.0.1/", "http://0x7f000001/", "http://[::ffff:127.0.0.1]/"])
def test_a_webhook_into_the_servers_network_is_refused_naming_url_and_nothing_is_stored(
        world: World, url: str) -> None:
    with pytest.raises(InvalidInput) as bad:
        webhooks.create_webhook(world.uow(), world.grace.id, "globex", url=url, kinds=[], base_url=BASE,
                                allow=AllowList())

    assert list(bad.value.errors) == ["url"] and "address" in bad.value.errors["url"]
    assert webhooks.list_webhooks(world.uow(), world.grace.id, "globex") == []
