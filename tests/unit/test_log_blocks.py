"""`audit verify --jobs N` checks a log in aligned blocks and combines them: on any damage, and
wherever the blocks are cut, it names the same event with the same words as the check of the
whole log in one pass (domain/log_check.check_log)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sharebound.domain import merkle
from sharebound.domain.audit import GENESIS, chain_hash, event_body
from sharebound.domain.log_blocks import check_log_in_blocks, plan
from sharebound.domain.log_check import SignedCheckpoint, StoredEvent, check_log
from sharebound.domain.transparency import body_digest, leaf_bytes
from sharebound.domain.values import canonical_json

LOG = "partnership:prt_blocks"
T0 = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)


def build(count: int) -> tuple[list[StoredEvent], list[bytes]]:
    """`count` intact rows as the repository streams them, and their leaf hashes."""
    rows: list[StoredEvent] = []
    leaves: list[bytes] = []
    prev = GENESIS
    for seq in range(1, count + 1):
        at = T0 + timedelta(microseconds=seq * 1371)
        data = {"message": f"msg_{seq}", "n": seq % 7}
        body = event_body(LOG, seq, at, "message_posted", "per_1", f"msg_{seq}", data)
        digest = chain_hash(prev, body)
        salt = hashlib.sha256(b"salt %d" % seq).digest()
        leaf = merkle.leaf_hash(leaf_bytes(LOG, seq, body_digest(salt, body)))
        rows.append((seq, at.isoformat(timespec="microseconds"), "message_posted", "per_1",
                     f"msg_{seq}", canonical_json(data).decode(), prev, digest, salt, leaf))
        leaves.append(leaf)
        prev = digest
    return rows, leaves


def rewrite(rows: list[StoredEvent]) -> tuple[list[StoredEvent], list[bytes]]:
    """Every hash recomputed from the rows as they are, as an attacker who read our code."""
    out: list[StoredEvent] = []
    leaves: list[bytes] = []
    prev = GENESIS
    for r in rows:
        body = event_body(LOG, r[0], datetime.fromisoformat(r[1]), r[2], r[3], r[4],
                          json.loads(r[5]))
        digest = chain_hash(prev, body)
        assert r[8] is not None
        leaf = merkle.leaf_hash(leaf_bytes(LOG, r[0], body_digest(r[8], body)))
        out.append((*r[:6], prev, digest, r[8], leaf))
        leaves.append(leaf)
        prev = digest
    return out, leaves


def frontier_of(leaves: list[bytes]) -> list[bytes]:
    frontier: list[bytes] = []
    for size, leaf in enumerate(leaves):
        frontier = merkle.append_leaf(size, frontier, leaf)[1]
    return frontier


DAMAGE = ["none", "edit", "corrupt", "delete", "delete_tail", "swap", "prev", "salt", "leaf",
          "no_leaf", "rewrite", "head_up", "head_down", "frontier", "extra", "unsigned",
          "bad_root", "first_seq"]


@st.composite
def damaged_logs(draw: st.DrawFn) -> tuple[list[StoredEvent], int, list[bytes],
                                           list[SignedCheckpoint], int]:
    count = draw(st.integers(1, 40))
    rows, leaves = build(count)
    frontier = frontier_of(leaves)
    head = count
    sizes = draw(st.sets(st.integers(1, count), max_size=5))
    checkpoints = [SignedCheckpoint(size, merkle.root(leaves[:size]), True) for size in sorted(sizes)]
    kind = draw(st.sampled_from(DAMAGE))
    at = draw(st.integers(0, count - 1))
    other = draw(st.integers(0, count - 1))
    r = rows[at]
    if kind == "edit":
        rows[at] = (*r[:5], '{"message":"forged"}', *r[6:])
    elif kind == "corrupt":
        rows[at] = (*r[:5], "{not json", *r[6:])
    elif kind == "delete":
        del rows[at]
    elif kind == "delete_tail":
        del rows[at:]
    elif kind == "swap" and at != other:
        rows[at], rows[other] = (rows[other][0], *r[1:]), (r[0], *rows[other][1:])
        rows.sort(key=lambda row: row[0])
    elif kind == "prev":
        rows[at] = (*r[:6], "f" * 64, *r[7:])
    elif kind == "salt":
        rows[at] = (*r[:8], None, r[9])
    elif kind == "leaf":
        rows[at] = (*r[:9], b"\x01" * 32)
    elif kind == "no_leaf":
        rows[at] = (*r[:9], None)
    elif kind == "rewrite":
        rows[at] = (*r[:5], '{"message":"forged"}', *r[6:])
        rows, new_leaves = rewrite(rows)
        frontier = frontier_of(new_leaves)
    elif kind == "head_up":
        head = count + draw(st.integers(1, 5))
    elif kind == "head_down":
        head = max(0, count - draw(st.integers(1, 5)))
    elif kind == "frontier":
        frontier = [b"\x02" * 32, *frontier[1:]]
    elif kind == "extra":
        extra, _ = build(count + 2)
        rows += extra[count:]
    elif kind == "unsigned" and checkpoints:
        checkpoints[0] = SignedCheckpoint(checkpoints[0].size, checkpoints[0].root, False)
    elif kind == "bad_root" and checkpoints:
        checkpoints[-1] = SignedCheckpoint(checkpoints[-1].size, b"\x03" * 32, True)
    elif kind == "first_seq":
        rows[0] = (-1, *rows[0][1:])
        rows.sort(key=lambda row: row[0])
    block = 1 << draw(st.integers(0, 4))
    return rows, head, frontier, checkpoints, block


@settings(max_examples=600, deadline=None)
@given(damaged_logs())
def test_checking_in_blocks_finds_what_checking_the_whole_log_finds(
        case: tuple[list[StoredEvent], int, list[bytes], list[SignedCheckpoint], int]) -> None:
    rows, head, frontier, checkpoints, block = case

    whole = check_log(LOG, rows, head, frontier, checkpoints)
    blocks = check_log_in_blocks(LOG, rows, head, frontier, checkpoints, block)

    assert blocks == whole


@pytest.mark.parametrize("block", [1, 2, 4, 8])
def test_damage_exactly_at_a_block_boundary_is_named_as_the_whole_check_names_it(block: int) -> None:
    rows, leaves = build(4 * block + 1)
    checkpoints = [SignedCheckpoint(size, merkle.root(leaves[:size]), True)
                   for size in (block, 2 * block, 4 * block + 1)]
    frontier = frontier_of(leaves)
    first = rows[block]  # the first row of the second block: its link crosses the boundary
    for damaged in ([*rows[:block], (*first[:6], "f" * 64, *first[7:]), *rows[block + 1:]],
                    [*rows[:block], *rows[block + 1:]],
                    [*rows[:block - 1], *rows[block:]],
                    [*rows[:block], (*first[:5], "{not json", *first[6:]), *rows[block + 1:]]):
        whole = check_log(LOG, damaged, len(rows), frontier, checkpoints)

        assert whole is not None
        assert check_log_in_blocks(LOG, damaged, len(rows), frontier, checkpoints, block) == whole


def test_an_intact_log_checked_in_blocks_has_no_problem() -> None:
    rows, leaves = build(100)
    checkpoints = [SignedCheckpoint(size, merkle.root(leaves[:size]), True) for size in (1, 31, 32, 33, 100)]

    for block in (1, 2, 4, 8, 16, 32, 64, 128):
        assert check_log_in_blocks(LOG, rows, 100, frontier_of(leaves), checkpoints, block) is None


def test_blocks_are_aligned_powers_of_two_that_end_at_the_head() -> None:
    assert plan(10, 4) == [(0, 4), (4, 8), (8, 10)]
    assert plan(8, 4) == [(0, 4), (4, 8)]
    assert plan(0, 4) == []
    with pytest.raises(ValueError, match="power of two"):
        plan(10, 3)


def _stored_nodes(leaves: list[bytes]) -> dict[tuple[int, int], bytes]:
    nodes: dict[tuple[int, int], bytes] = {}
    frontier: list[bytes] = []
    for size, leaf in enumerate(leaves):
        made, frontier = merkle.append_leaf(size, frontier, leaf)
        nodes.update(made)
    return nodes


@settings(max_examples=400, deadline=None)
@given(count=st.integers(1, 40), block=st.sampled_from([1, 2, 4, 8, 16]),
       damage=st.sampled_from(["none", "alter", "drop", "extra"]), level=st.integers(0, 5),
       pick=st.integers(0, 1000))
def test_the_levels_checked_in_blocks_from_one_read_each_find_what_check_level_finds(
        count: int, block: int, damage: str, level: int, pick: int) -> None:
    from sharebound.domain.log_blocks import (
        Made,
        check_block,
        check_block_levels,
        first_tree_problem,
    )
    from sharebound.domain.log_check import check_level

    rows, leaves = build(count)
    nodes = _stored_nodes(leaves)
    at_level = sorted(k for k in nodes if k[0] == level) or sorted(nodes)
    key = at_level[pick % len(at_level)]
    if damage == "alter":
        nodes[key] = b"\x07" * 32
    elif damage == "drop":
        del nodes[key]
    elif damage == "extra":
        nodes[(key[0], key[1] + (count >> key[0]) + 1)] = b"\x08" * 32
    levels = max(count, 1).bit_length() - 1

    def stream(lv: int, low: int | None = None, high: int | None = None) -> list[tuple[int, bytes]]:
        return sorted((i, h) for (v, i), h in nodes.items() if v == lv
                      and (low is None or i >= low) and (high is None or i < high))

    whole = next((p for lv in range(1, levels + 1)
                  if (p := check_level(LOG, lv, stream(lv - 1), stream(lv))) is not None), None)
    inside = min(levels, block.bit_length() - 1)
    results = []
    blocks = plan(count, block)
    for n, (start, end) in enumerate(blocks):
        def bounds(lv: int, n: int = n, start: int = start) -> tuple[int | None, int | None]:
            return (None if n == 0 else start >> lv,
                    None if n == len(blocks) - 1 else (start + block) >> lv)
        made: Made = []
        leaves_here = dict(stream(0, *bounds(0)))
        result = check_block(LOG, start, end, [(*r[:9], leaves_here.get(r[0] - 1)) for r in rows
                                               if start < r[0] <= end], (), made)
        if result.problem is not None:  # a stored leaf altered or dropped: the rows say so first,
            assert result.problem.message.startswith("its leaf")  # as check_log would
            return
        def read(lv: int, bounds: Callable[[int], tuple[int | None, int | None]] = bounds
                 ) -> list[tuple[int, bytes]]:
            return stream(lv, *bounds(lv))
        tree = check_block_levels(LOG, inside, result, leaves_here, made, read)
        results.append(result if tree is None else replace(result, tree=tree))
    found = first_tree_problem(results) or next(
        (p for lv in range(inside + 1, levels + 1)
         if (p := check_level(LOG, lv, stream(lv - 1), stream(lv))) is not None), None)

    assert found == whole
