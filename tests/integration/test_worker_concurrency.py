"""Several workers never send the same notification twice; a dead worker's claims are taken again;
a row or a schedule that fails does not hold back the others."""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select

from sharebound.adapters.db.engine import build_engine
from sharebound.adapters.db.tables import outbox
from sharebound.adapters.mail import Email
from sharebound.domain.ids import new_id
from sharebound.domain.notifications import Kind, Notification
from sharebound.services.worker import LEASE, PassReport, run_pass
from tests.conftest import FakeClock
from tests.integration.world import World


class Recorder:
    """Stands in for the SMTP server: counts what each worker sent (thread-safe)."""

    def __init__(self) -> None:
        self.sent: list[str] = []
        self.lock = threading.Lock()

    def send(self, email: Email) -> None:
        with self.lock:
            self.sent.append(email.subject)


def _queue(world: World, count: int) -> set[str]:
    """`count` notifications to gina, each with its instant email in the outbox."""
    subjects = set()
    with world.uow() as uow:
        now = uow.clock()
        for n in range(count):
            note = Notification(id=new_id("ntf"), person_id=world.gina.id, kind=Kind.MENTIONED,
                                title=f"note {n}", link="/", event_kind="message_posted",
                                subject=f"msg_{n}", created_at=now)
            uow.notifications.add(note)
            uow.outbox.add(id=new_id("obx"), channel="email", at=now, payload={},
                           notification_id=note.id, person_id=world.gina.id)
            subjects.add(f"Sharebound: note {n}")
        uow.commit()
    return subjects


def test_two_workers_on_postgresql_deliver_a_thousand_notifications_exactly_once(world: World) -> None:
    if world.app.engine.dialect.name != "postgresql":
        pytest.skip("several workers need PostgreSQL (SKIP LOCKED); on SQLite run one worker")
    subjects = _queue(world, 1000)
    recorder = Recorder()
    reports: dict[str, PassReport] = {}
    start = threading.Barrier(2)

    def work(name: str) -> None:
        # each worker its own engine: its own connections, as two processes would have
        engine = build_engine(world.app.engine.url.render_as_string(hide_password=False))
        app = replace(world.app, engine=engine)
        start.wait()
        reports[name] = run_pass(app, name, mailer=recorder, schedules=False)
        engine.dispose()

    threads = [threading.Thread(target=work, args=(name,)) for name in ("one", "two")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    counted = Counter(recorder.sent)
    assert set(counted) == subjects and set(counted.values()) == {1}  # each exactly once
    assert reports["one"].sent + reports["two"].sent == 1000
    assert reports["one"].sent > 0 and reports["two"].sent > 0  # both took part
    ids = reports["one"].delivered_ids + reports["two"].delivered_ids
    assert len(ids) == len(set(ids)) == 1000


def test_a_crashed_workers_claim_is_taken_again_once_its_lease_runs_out(world: World,
                                                                         clock: FakeClock) -> None:
    _queue(world, 3)
    with world.uow() as uow:  # a worker claims, commits, and dies before sending
        now = uow.clock()
        claimed = uow.outbox.claim("crashed", now, now + LEASE, 10)
        uow.commit()
    recorder = Recorder()

    during = run_pass(world.app, "survivor", mailer=recorder, schedules=False)
    clock.advance(seconds=LEASE.total_seconds() + 1)
    after = run_pass(world.app, "survivor", mailer=recorder, schedules=False)

    assert (len(claimed), during.claimed, after.sent) == (3, 0, 3)
    assert sorted(recorder.sent) == ["Sharebound: note 0", "Sharebound: note 1", "Sharebound: note 2"]


def test_a_late_worker_whose_lease_was_taken_records_nothing(world: World, clock: FakeClock) -> None:
    _queue(world, 1)
    with world.uow() as uow:
        now = uow.clock()
        [entry] = uow.outbox.claim("slow", now, now + LEASE, 10)
        uow.commit()
    clock.advance(seconds=LEASE.total_seconds() + 1)
    run_pass(world.app, "fast", mailer=Recorder(), schedules=False)

    with world.uow() as uow:
        late = uow.outbox.finish(entry.id, "slow", state="failed", at=uow.clock(), error="late")
        uow.commit()
        state = uow.outbox.get(entry.id)

    assert late is False
    assert state is not None and (state.state, state.claimed_by) == ("sent", "fast")




class SlowFirstSend(Recorder):
    """Its first send outlasts the lease, and meanwhile another worker takes what is due."""

    def __init__(self, world: World, clock: FakeClock, other: Recorder) -> None:
        super().__init__()
        self.world, self.clock, self.other = world, clock, other

    def send(self, email: Email) -> None:
        if not self.sent:  # past the lease, with no heartbeat on the fake clock's time
            self.clock.advance(seconds=LEASE.total_seconds() + 60)
            run_pass(self.world.app, "other", mailer=self.other, schedules=False)
        super().send(email)


def test_a_worker_whose_batch_outlasts_its_lease_does_not_send_what_another_took(
        world: World, clock: FakeClock) -> None:
    subjects = _queue(world, 3)
    other = Recorder()
    slow = SlowFirstSend(world, clock, other)

    run_pass(world.app, "slow", mailer=slow, schedules=False)

    # The first email was already on its way when the other worker took it again (a send
    # longer than the lease is the one case left); every later one goes exactly once.
    counts = Counter(slow.sent + other.sent)
    assert set(counts) == subjects
    assert sorted(counts.values()) == [1, 1, 2]
    assert len(slow.sent) == 1


class Killed(BaseException):
    """The process dies: nothing in the worker catches it, nothing is recorded."""


class DiesOnFirstSend(Recorder):
    def send(self, email: Email) -> None:
        raise Killed


def test_a_worker_killed_mid_batch_gives_back_the_rows_it_had_not_reached_within_seconds(
        world: World, clock: FakeClock) -> None:
    subjects = _queue(world, 5)
    with pytest.raises(Killed):
        run_pass(world.app, "killed", mailer=DiesOnFirstSend(), schedules=False)
    survivor = Recorder()

    clock.advance(seconds=LEASE.total_seconds() + 1)
    soon = run_pass(world.app, "survivor", mailer=survivor, schedules=False)

    # every row comes back after the short lease (16 s here), the one the dead worker was
    # sending too (its heartbeat died with it); each is sent once
    assert LEASE.total_seconds() <= 15
    assert soon.sent == 5
    assert sorted(survivor.sent) == sorted(subjects)


class SlowSendWhileAnotherLooks(Recorder):
    """Its first send takes longer than the lease; meanwhile another worker looks for due rows."""

    def __init__(self, world: World, clock: FakeClock, other: Recorder) -> None:
        super().__init__()
        self.world, self.clock, self.other = world, clock, other

    def send(self, email: Email) -> None:
        if not self.sent:
            self.clock.advance(seconds=LEASE.total_seconds() + 1)  # the lease taken at claim is over
            time.sleep(3 * HEARTBEAT_IN_TEST)  # ...but the heartbeat renewed it meanwhile
            run_pass(self.world.app, "other", mailer=self.other, schedules=False)
        super().send(email)


HEARTBEAT_IN_TEST = 0.2  # why: real seconds between beats, so that the test takes under a second


def test_a_row_whose_send_outlasts_the_lease_is_kept_by_its_heartbeat(
        world: World, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sharebound.services.worker.HEARTBEAT", timedelta(seconds=HEARTBEAT_IN_TEST))
    subjects = _queue(world, 1)
    other = Recorder()
    slow = SlowSendWhileAnotherLooks(world, clock, other)

    run_pass(world.app, "slow", mailer=slow, schedules=False)

    assert other.sent == []
    assert slow.sent == sorted(subjects)


class BrokenOnce(Recorder):
    """A mailer (or a renderer behind it) that raises something unexpected, once."""

    def send(self, email: Email) -> None:
        if email.subject == "Sharebound: note 0":
            raise RuntimeError("a bug, not a refusal")
        super().send(email)


def test_a_send_that_raises_is_a_failed_attempt_and_the_rest_of_the_batch_goes(world: World) -> None:
    _queue(world, 3)
    mailer = BrokenOnce()

    report = run_pass(world.app, "w", mailer=mailer, schedules=False)

    assert (report.sent, report.retrying) == (2, 1)
    assert sorted(mailer.sent) == ["Sharebound: note 1", "Sharebound: note 2"]
    ids = _outbox_ids(world)
    with world.uow().reading() as uow:
        states = Counter((e.state, e.last_error) for e in map(uow.outbox.get, ids) if e)
    assert states == Counter({("sent", None): 2, ("pending", "RuntimeError: a bug, not a refusal"): 1})


def test_a_failing_schedule_does_not_hold_back_the_deliveries(world: World,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    _queue(world, 2)
    mailer = Recorder()

    def broken(*_: object, **__: object) -> int:
        raise RuntimeError("a bug in a schedule")

    monkeypatch.setattr("sharebound.services.worker.run_reminders", broken)
    report = run_pass(world.app, "w", mailer=mailer)

    assert report.sent == 2


def _outbox_ids(world: World) -> list[str]:
    with world.app.engine.connect() as connection:
        return [r.id for r in connection.execute(select(outbox.c.id))]
