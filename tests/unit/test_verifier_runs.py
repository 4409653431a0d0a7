"""Runs of the standalone verifier against a reference log (tests/verifier_fakes.py), honest
and attacked: each attack is named in the finding and gives its own exit code."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from sharebound_verify import check
from sharebound_verify.check import Finding, verify_log
from sharebound_verify.leaves import body_hash, canonical_json
from sharebound_verify.note import NOTE_SIGNER, SigningKey
from sharebound_verify.state import StateDir
from tests.verifier_fakes import FakeLog, make_entry, witness


@pytest.fixture
def log() -> FakeLog:
    fake = FakeLog()
    fake.append(5)
    fake.append(2, visible=False)  # events the caller may not see: sealed, still verified
    return fake


@pytest.fixture
def state(tmp_path: Path) -> StateDir:
    return StateDir(tmp_path / "state")


def finding(log: FakeLog, state: StateDir) -> Finding:
    with pytest.raises(Finding) as caught:
        verify_log(log, log.log, log.vkey, state)
    return caught.value


def rewrite(log: FakeLog, index: int, data: dict[str, object]) -> None:
    """The database-level attacker: a new event body, its leaf and every hash recomputed."""
    log.entries[index] = make_entry(log.log, index + 1, data)


def test_a_first_run_verifies_every_entry_and_stores_the_checkpoint(log: FakeLog, state: StateDir) -> None:
    report = verify_log(log, log.log, log.vkey, state)

    assert (report.size, report.entries, report.opened, report.previous_size) == (7, 7, 5, None)
    assert state.load(log.log) == log.sign(log.checkpoint())
    assert [p.name for p in state.path.iterdir()] == ["partnership%3Aptn_1.checkpoint"]
    assert log.requests.count("/api/v1/partnerships/ptn_1/log/proof/inclusion") == 1


def test_a_later_run_checks_the_log_grew_consistently(log: FakeLog, state: StateDir) -> None:
    verify_log(log, log.log, log.vkey, state)
    log.append(2500)  # why: more than two pages of 1,000

    report = verify_log(log, log.log, log.vkey, state)

    assert (report.size, report.previous_size, report.opened) == (2507, 7, 2505)
    assert log.requests.count("/api/v1/partnerships/ptn_1/log/proof/consistency") == 1


def test_an_edited_event_whose_leaf_was_kept_is_a_content_mismatch_at_its_index(
        log: FakeLog, state: StateDir) -> None:
    opening = log.entries[3].opening
    assert opening is not None
    opening["body"]["data"] = {"n": 99}

    found = finding(log, state)

    assert (found.code, found.index) == (check.CONTENT_MISMATCH, 3)
    assert "content mismatch at index 3 (seq 4)" in found.message
    assert state.load(log.log) is None  # nothing stored from a failed run


def test_an_edited_event_with_every_hash_recomputed_and_re_signed_is_a_fork(
        log: FakeLog, state: StateDir) -> None:
    verify_log(log, log.log, log.vkey, state)
    rewrite(log, 2, {"n": "rewritten"})

    found = finding(log, state)

    assert found.code == check.FORK
    assert "two checkpoints of size 7 with different roots" in found.message
    assert any(".fork-7" in p.name for p in state.path.iterdir())  # the evidence is kept


def test_a_rewrite_hidden_behind_a_longer_log_is_a_fork(log: FakeLog, state: StateDir) -> None:
    verify_log(log, log.log, log.vkey, state)
    rewrite(log, 0, {"n": "rewritten"})
    log.append(3)

    found = finding(log, state)

    assert found.code == check.FORK and "consistency proof fails" in found.message


def test_deleting_the_last_rows_is_a_rollback(log: FakeLog, state: StateDir) -> None:
    verify_log(log, log.log, log.vkey, state)
    del log.entries[5:]

    found = finding(log, state)

    assert found.code == check.ROLLBACK
    assert "rollback/truncation" in found.message and "5 entries, fewer than the 7" in found.message


def test_deleting_rows_under_an_old_checkpoint_is_a_truncation(log: FakeLog, state: StateDir) -> None:
    log.note = log.sign(log.checkpoint())
    del log.entries[6:]

    found = finding(log, state)

    assert found.code == check.ROLLBACK
    assert found.message == "truncation: the checkpoint counts 7 entries but the server serves only 6"


def test_two_reordered_rows_are_a_content_mismatch(log: FakeLog, state: StateDir) -> None:
    log.entries[1], log.entries[2] = log.entries[2], log.entries[1]

    found = finding(log, state)

    assert (found.code, found.index) == (check.CONTENT_MISMATCH, 1)
    assert "the leaf says partnership:ptn_1 seq 3" in found.message


def test_two_parties_served_different_checkpoints_of_one_size_is_a_fork(
        log: FakeLog, state: StateDir, tmp_path: Path) -> None:
    other_party = StateDir(tmp_path / "other")
    verify_log(log, log.log, log.vkey, state)
    honest = log.entries[4]
    rewrite(log, 4, {"n": "what the other party is shown"})
    verify_log(log, log.log, log.vkey, other_party)  # a first run sees nothing wrong...
    forked_note = log.sign(log.checkpoint())
    log.entries[4] = honest

    log.note = forked_note  # ...but as soon as the first party is served the other view
    found = finding(log, state)

    assert found.code == check.FORK


def test_a_checkpoint_signed_by_another_key_is_a_bad_signature(log: FakeLog, state: StateDir) -> None:
    log.note = log.sign(log.checkpoint(), SigningKey.generate("sharebound.test", NOTE_SIGNER))

    found = finding(log, state)

    assert found.code == check.BAD_SIGNATURE
    assert found.message.startswith("bad signature: the server's checkpoint is not signed by the pinned key")


def test_a_checkpoint_for_another_log_is_refused(log: FakeLog, state: StateDir) -> None:
    other = FakeLog(log="partnership:ptn_2", key=log.key)
    other.append(7)
    log.note = other.sign(other.checkpoint())

    found = finding(log, state)

    assert (found.code, found.kind) == (check.BAD_SIGNATURE, "wrong origin")


def test_a_root_that_the_entries_do_not_hash_to_is_an_inclusion_failure(
        log: FakeLog, state: StateDir) -> None:
    log.note = log.sign(log.checkpoint(root=b"\x01" * 32))

    found = finding(log, state)

    assert found.code == check.INCLUSION_FAILURE
    assert "do not hash to the checkpoint's root" in found.message


def test_a_sealed_leaf_for_another_content_still_changes_the_root(log: FakeLog, state: StateDir) -> None:
    verify_log(log, log.log, log.vkey, state)
    salt = b"\x00" * 32
    log.entries[6].leaf = canonical_json({"v": 1, "log": log.log, "seq": 7,
                                          "body": body_hash(salt, {"forged": True})})

    assert finding(log, state).code == check.FORK


def test_a_verified_checkpoint_is_cosigned_and_posted(log: FakeLog, state: StateDir) -> None:
    key = witness()
    log.witnesses[key.name] = key.vkey

    report = verify_log(log, log.log, log.vkey, state, key, clock=lambda: 1_796_000_000)

    assert report.cosignature == {"witness": key.name, "timestamp": 1_796_000_000, "server": {
        "witness": key.name, "timestamp": 1_796_000_000}}
    assert log.cosignatures == [(key.name, 1_796_000_000, log.checkpoint().body())]


def test_a_refused_cosignature_is_its_own_exit_code_and_the_checkpoint_is_still_stored(
        log: FakeLog, state: StateDir) -> None:
    with pytest.raises(Finding) as caught:
        verify_log(log, log.log, log.vkey, state, witness())

    assert caught.value.code == check.COSIGN_REFUSED
    assert "no valid cosignature by a registered witness" in caught.value.message
    assert state.load(log.log) is not None


def test_an_entry_whose_leaf_is_not_base64_names_its_index(log: FakeLog, state: StateDir) -> None:
    pages = [[{"index": 0, "leaf": "!!", "opening": None}]]

    with pytest.raises(Finding) as caught:
        check.verify_entries(log.log, 1, pages)

    assert (caught.value.code, caught.value.index) == (check.CONTENT_MISMATCH, 0)


def test_the_report_as_json_says_what_was_verified(log: FakeLog, state: StateDir) -> None:
    report = verify_log(log, log.log, log.vkey, state)

    assert json.loads(json.dumps(report.as_dict())) == {
        "ok": True, "log": "partnership:ptn_1", "size": 7,
        "root": base64.b64encode(log.checkpoint().root).decode(), "previous_size": None,
        "entries": 7, "opened": 5, "sealed": 2, "cosignature": None}
