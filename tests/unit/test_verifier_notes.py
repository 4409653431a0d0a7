"""The standalone verifier's signed notes, keys, checkpoints, cosignatures and leaves."""

from __future__ import annotations

import base64
import hashlib
import json
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sharebound_verify.leaves import (
    LeafProblem,
    body_hash,
    canonical_json,
    check_opening,
    fits,
    leaf_tail,
    opens,
    parse_leaf,
)
from sharebound_verify.note import (
    COSIGNER,
    EM_DASH,
    NOTE_SIGNER,
    Checkpoint,
    NoteError,
    SigningKey,
    cosignature_time,
    cosigned_message,
    parse_checkpoint,
    parse_note,
    parse_signing_key,
    parse_vkey,
)
from tests.verifier_fakes import make_entry

INSTANCE = SigningKey.generate("sharebound.example", NOTE_SIGNER)
WITNESS = SigningKey.generate("globex.example/witness", COSIGNER)
CHECKPOINT = Checkpoint("sharebound.example/partnership:ptn_1", 5, b"\x07" * 32)


def test_a_vkey_carries_the_signed_note_key_hash_of_its_name_type_and_key() -> None:
    vkey = INSTANCE.vkey
    expected = hashlib.sha256(b"sharebound.example\n\x01" + vkey.public).digest()[:4]

    name, hex_hash, encoded = vkey.text().split("+", 2)

    assert (name, hex_hash) == ("sharebound.example", expected.hex())
    assert base64.b64decode(encoded) == b"\x01" + vkey.public
    assert parse_vkey(vkey.text()) == vkey


@pytest.mark.parametrize("mangle", [
    lambda t: t.replace("sharebound.example", "other.example"),  # the hash no longer matches
    lambda t: t.rsplit("+", 1)[0] + "+AAAA",  # not a 33-byte key
    lambda t: t + "+extra",
    lambda t: t.rsplit("+", 1)[0] + "+!!!",
])
def test_a_vkey_that_does_not_hold_together_is_refused(mangle) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NoteError):
        parse_vkey(mangle(INSTANCE.vkey.text()))


def test_a_witness_vkey_is_not_accepted_where_an_instance_key_is_pinned() -> None:
    with pytest.raises(NoteError, match="type 0x01"):
        parse_vkey(WITNESS.vkey.text())
    assert parse_vkey(WITNESS.vkey.text(), COSIGNER) == WITNESS.vkey


def test_a_signed_checkpoint_round_trips_and_verifies_only_with_its_key() -> None:
    text = CHECKPOINT.body()
    served = text + "\n" + INSTANCE.sign_note(text).line()

    note = parse_note(served)

    assert served.splitlines()[-1].startswith(f"{EM_DASH} sharebound.example ")
    assert parse_checkpoint(note.text) == CHECKPOINT
    assert note.signed_by(INSTANCE.vkey)
    assert not note.signed_by(SigningKey.generate("sharebound.example", NOTE_SIGNER).vkey)
    assert not parse_note(served.replace("\n5\n", "\n6\n")).signed_by(INSTANCE.vkey)


@pytest.mark.parametrize("raw", [
    "origin\n5\nAAAA\n",  # no signature block
    "origin\n5\nAAAA\n\n- name AAAAAAAA\n",  # a hyphen, not an em dash
    "origin\n5\nAAAA\n\n\u2014 name AAAAAAAA",  # no final newline
    "origin\x07\n5\nAAAA\n\n\u2014 name AAAAAAAA\n",  # a control character
    "origin\n5\nAAAA\n\n\u2014 name AA\n",  # too short for a key hash
])
def test_a_note_that_is_not_a_signed_note_is_refused(raw: str) -> None:
    with pytest.raises(NoteError):
        parse_note(raw)


@pytest.mark.parametrize("text", ["o\n05\n" + "A" * 43 + "=\n", "o\n5\nAAAA\n", "\n5\n" + "A" * 43 + "=\n",
                                  "o\n5\n"])
def test_a_checkpoint_body_that_is_not_origin_size_root_is_refused(text: str) -> None:
    with pytest.raises(NoteError):
        parse_checkpoint(text)


def test_a_cosignature_is_the_tlog_cosignature_v1_message_signed_with_a_timestamp() -> None:
    text = CHECKPOINT.body()

    signature = WITNESS.cosign(text, 1_796_000_000)

    assert signature.key_hash == hashlib.sha256(
        b"globex.example/witness\n\x04" + WITNESS.vkey.public).digest()[:4]
    assert struct.unpack(">Q", signature.data[:8]) == (1_796_000_000,)
    assert cosigned_message(text, 1_796_000_000) == (
        b"cosignature/v1\ntime 1796000000\n" + text.encode())
    assert WITNESS.vkey.verify(signature.data[8:], cosigned_message(text, 1_796_000_000))
    assert cosignature_time(signature, WITNESS.vkey, text) == 1_796_000_000
    assert cosignature_time(signature, WITNESS.vkey, text.replace("\n5\n", "\n6\n")) is None
    assert cosignature_time(signature, INSTANCE.vkey, text) is None


def test_a_witness_key_file_round_trips_and_a_tampered_one_is_refused() -> None:
    text = WITNESS.text()

    assert text.startswith("PRIVATE+KEY+globex.example/witness+")
    assert parse_signing_key(text).vkey == WITNESS.vkey
    with pytest.raises(NoteError):
        parse_signing_key(text.replace("globex", "acme"))


def test_canonical_json_sorts_keys_and_keeps_unicode() -> None:
    assert canonical_json({"b": 1, "a": ["é", None]}) == '{"a":["é",null],"b":1}'.encode()
    with pytest.raises(ValueError):
        canonical_json({"x": float("nan")})


def test_an_opening_re_derives_the_leaf_and_any_change_to_its_content_is_found() -> None:
    entry = make_entry("partnership:ptn_1", 3, {"n": 3})
    leaf = parse_leaf(entry.leaf)
    assert entry.opening is not None
    check_opening(leaf, entry.opening)

    edited = {**entry.opening, "body": {**entry.opening["body"], "data": {"n": 4}}}
    with pytest.raises(LeafProblem, match="does not match its leaf"):
        check_opening(leaf, edited)
    moved = {**entry.opening, "body": {**entry.opening["body"], "seq": 4}}
    salt = base64.b64decode(entry.opening["salt"])
    forged_leaf = parse_leaf(canonical_json({"v": 1, "log": leaf.log, "seq": 3,
                                             "body": body_hash(salt, moved["body"])}))
    with pytest.raises(LeafProblem, match="log or seq"):
        check_opening(forged_leaf, moved)


@pytest.mark.parametrize("raw", [
    b"not json", b'{"v":1}', b'{"body":"ab","log":"l","seq":1,"v":1}',
    b'{"v":1,"log":"l","seq":1,"body":"' + b"a" * 64 + b'"}',  # keys not sorted: not canonical
    b'{"body":"' + b"a" * 64 + b'","log":"l","seq":true,"v":1}',
])
def test_a_leaf_that_is_not_the_contracts_canonical_json_is_refused(raw: bytes) -> None:
    with pytest.raises(LeafProblem):
        parse_leaf(raw)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12)


@settings(max_examples=120, deadline=None, database=None)
@given(JSON)
def test_canonical_json_is_exactly_the_contracts_json_dumps(value: object) -> None:
    assert canonical_json(value) == json.dumps(value, sort_keys=True, separators=(",", ":"),
                                               ensure_ascii=False, allow_nan=False).encode()


@settings(max_examples=200, deadline=None, database=None)
@given(st.text(min_size=1, max_size=30), st.integers(1, 10**12), st.binary(min_size=1, max_size=90))
def test_the_fast_leaf_check_agrees_with_parsing_the_leaf(log: str, seq: int, noise: bytes) -> None:
    entry = make_entry(log, seq, {"n": 1})
    tail = leaf_tail(log)
    mangled = entry.leaf[:len(noise)] + noise[::-1] + entry.leaf[len(noise) * 2:]

    assert fits(entry.leaf, tail, seq)
    assert entry.opening is not None and opens(entry.leaf, entry.opening, log, seq)
    assert not fits(entry.leaf, tail, seq + 1)
    if mangled != entry.leaf:
        parsed_ok = True
        try:
            leaf = parse_leaf(mangled)
            parsed_ok = (leaf.log, leaf.seq) == (log, seq)
        except LeafProblem:
            parsed_ok = False
        assert fits(mangled, tail, seq) == parsed_ok
