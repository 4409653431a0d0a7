"""The view-only page cache: bounded by bytes, least recently used out first."""

from __future__ import annotations

from sharebound.adapters.stamping.page_cache import Bounded


def test_the_least_recently_used_entries_go_first_past_the_bound() -> None:
    cache: Bounded[str, bytes] = Bounded(max_bytes=100)
    for key in "abcd":
        cache.put(key, key.encode() * 12, 12)  # 48 bytes in all
    assert cache.get("a") == b"a" * 12  # a is now the most recently used

    for key in "efghi":
        cache.put(key, b"", 12)  # 108 bytes: the oldest (b) must go

    assert cache.get("b") is None and cache.get("a") is not None and cache.get("i") is not None


def test_an_entry_over_an_eighth_of_the_bound_is_not_kept() -> None:
    cache: Bounded[str, bytes] = Bounded(max_bytes=80)
    cache.put("small", b"x", 10)

    cache.put("huge", b"y" * 11, 11)

    assert cache.get("huge") is None and cache.get("small") == b"x"


def test_putting_a_key_again_replaces_it_and_its_size() -> None:
    cache: Bounded[str, int] = Bounded(max_bytes=80)
    cache.put("a", 1, 10)
    cache.put("a", 2, 10)
    for key in "bcdefg":
        cache.put(key, 0, 10)

    assert cache.get("a") == 2  # 70 bytes: nothing went
