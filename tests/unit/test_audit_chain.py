"""The audit log's hash chain: chain_hash links events; verify_chain names the first bad seq."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from sharebound.domain.audit import (
    GENESIS,
    ChainProblem,
    Event,
    chain_hash,
    event_body,
    org_log,
    partnership_log,
    verify_chain,
)

LOG = partnership_log("prt_1")
T0 = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)


def make_chain(count: int = 5, log: str = LOG) -> list[Event]:
    """`count` events correctly linked from the genesis hash."""
    events: list[Event] = []
    prev = GENESIS
    for seq in range(1, count + 1):
        events.append(link(log, seq, prev, kind=f"kind.{seq}", at=T0 + timedelta(minutes=seq),
                           actor=f"per_{seq}", data={"n": seq, "digest": "ab" * 32}))
        prev = events[-1].hash
    return events


def link(log: str, seq: int, prev: str, *, kind: str, at: datetime, actor: str | None,
         data: dict[str, Any], subject: str = "agr_1") -> Event:
    body = event_body(log, seq, at, kind, actor, subject, data)
    return Event(log=log, seq=seq, at=at, kind=kind, actor=actor, subject=subject, data=data,
                 prev_hash=prev, hash=chain_hash(prev, body))


def rehashed(event: Event) -> Event:
    """The event with its own hash recomputed, as a forger who edits one row would do."""
    return replace(event, hash=chain_hash(event.prev_hash, event.body()))


def test_log_names_say_whose_log_it_is() -> None:
    assert partnership_log("prt_1") == "partnership:prt_1"
    assert org_log("acme") == "org:acme"


def test_chain_hash_covers_the_previous_hash_and_the_canonical_body() -> None:
    body = {"seq": 1, "log": LOG, "data": {"b": 1, "a": "é"}}

    expected = hashlib.sha256(GENESIS.encode() + '{"data":{"a":"é","b":1},"log":"partnership:prt_1",'
                              '"seq":1}'.encode()).hexdigest()

    assert chain_hash(GENESIS, body) == expected
    assert chain_hash("1" * 64, body) != expected


def test_the_event_body_records_time_to_the_microsecond() -> None:
    body = event_body(LOG, 1, T0, "agreement.signed", None, "agr_1", {"version": 1})

    assert body == {"log": LOG, "seq": 1, "at": "2027-03-01T12:00:00.000000+00:00",
                    "kind": "agreement.signed", "actor": None, "subject": "agr_1",
                    "data": {"version": 1}}


def test_a_valid_chain_verifies() -> None:
    events = make_chain()

    assert verify_chain(LOG, events) is None
    assert verify_chain(LOG, events, head_seq=5) is None


def test_an_empty_log_verifies() -> None:
    assert verify_chain(LOG, []) is None
    assert verify_chain(LOG, [], head_seq=0) is None


def test_the_first_event_links_to_the_genesis_hash() -> None:
    events = make_chain(1)
    events[0] = rehashed(replace(events[0], prev_hash="1" * 64))

    assert verify_chain(LOG, events) == ChainProblem(
        LOG, 1, "its previous hash does not match the event before")


@pytest.mark.parametrize(
    "change",
    [
        {"data": {"n": 3, "digest": "cd" * 32}},
        {"data": {"n": 3, "digest": "ab" * 32, "extra": True}},
        {"kind": "disclosure.revoked"},
        {"at": T0 + timedelta(minutes=3, microseconds=1)},
        {"actor": "per_mallory"},
        {"actor": None},
        {"subject": "agr_2"},
    ],
    ids=["data", "data added", "kind", "at", "actor", "actor removed", "subject"],
)
def test_altering_an_event_is_found_at_its_seq(change: dict[str, Any]) -> None:
    events = make_chain()
    events[2] = replace(events[2], **change)

    problem = verify_chain(LOG, events)

    assert problem == ChainProblem(LOG, 3, "its content does not match its hash (altered)")


def test_an_altered_event_with_a_recomputed_hash_is_found_at_the_next_seq() -> None:
    events = make_chain()
    events[2] = rehashed(replace(events[2], data={"n": 3, "digest": "cd" * 32}))

    problem = verify_chain(LOG, events)

    assert problem == ChainProblem(LOG, 4, "its previous hash does not match the event before")


def test_an_altered_previous_hash_is_found_at_its_seq() -> None:
    events = make_chain()
    events[3] = replace(events[3], prev_hash="f" * 64)

    assert verify_chain(LOG, events) == ChainProblem(
        LOG, 4, "its previous hash does not match the event before")


def test_an_altered_last_event_is_found() -> None:
    events = make_chain()
    events[4] = replace(events[4], kind="nothing.happened")

    problem = verify_chain(LOG, events)

    assert problem is not None
    assert problem.seq == 5


def test_reordered_events_are_found_at_the_first_seq_out_of_place() -> None:
    events = make_chain()
    events[1], events[2] = events[2], events[1]

    problem = verify_chain(LOG, events)

    assert problem == ChainProblem(LOG, 2, "event 2 is missing or out of order (found 3)")


def test_a_deleted_middle_event_is_found_at_its_seq() -> None:
    events = make_chain()
    del events[2]

    problem = verify_chain(LOG, events, head_seq=5)

    assert problem == ChainProblem(LOG, 3, "event 3 is missing or out of order (found 4)")


def test_a_deleted_first_event_is_found_at_seq_1() -> None:
    events = make_chain()[1:]

    problem = verify_chain(LOG, events)

    assert problem is not None
    assert problem.seq == 1


def test_a_deleted_tail_is_found_through_the_recorded_head() -> None:
    events = make_chain()[:3]

    problem = verify_chain(LOG, events, head_seq=5)

    assert problem == ChainProblem(LOG, 4, "the log recorded 5 events but 3 remain (deleted)")


def test_a_deleted_tail_goes_unnoticed_without_the_recorded_head() -> None:
    assert verify_chain(LOG, make_chain()[:3]) is None


def test_a_whole_deleted_log_is_found_through_the_recorded_head() -> None:
    problem = verify_chain(LOG, [], head_seq=2)

    assert problem is not None
    assert problem.seq == 1


def test_the_problem_names_the_log() -> None:
    log = org_log("acme")
    events = make_chain(log=log)
    events[0] = replace(events[0], data={})

    problem = verify_chain(log, events)

    assert problem is not None
    assert problem.log == log
    assert problem.seq == 1


def test_events_of_another_log_do_not_verify_as_this_log() -> None:
    other = make_chain(log=org_log("acme"))

    problem = verify_chain(LOG, other)

    assert problem is not None
    assert (problem.log, problem.seq) == (LOG, 1)


def test_an_event_moved_in_from_another_log_is_found_at_its_place() -> None:
    events = make_chain(3)
    events.append(make_chain(4, log=org_log("acme"))[3])

    problem = verify_chain(LOG, events)

    assert problem is not None
    assert problem.seq == 4
