"""The content gate's fast paths find exactly what their plain-Python references find.

- word shingles: `adapters/shingling.py` (compiled, and NumPy) against `domain.copies.shingles`;
- secrets: `adapters/secrets.find_secrets` (slow patterns through anchors) against
  `find_secrets_reference` (each pattern's own pass, as before);
- crown-jewel terms and marking candidates: string searches, then the exact pattern there,
  against one pass of the pattern (as before).
"""

from __future__ import annotations

import os
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sharebound.adapters import secrets, shingling, text_extract

try:
    from sharebound.domain import _scan
except ImportError:  # the compiled passes are optional
    _scan = None  # type: ignore[assignment]
from sharebound.domain.copies import shingle_hash, shingles
from sharebound.domain.gate import (
    _WORDS,
    Page,
    _candidate_lines,
    _templated_stamps,
    line_at,
    line_starts,
    term_matches,
    term_pattern,
)
from sharebound.domain.shingle_hash import word_hash
from sharebound.domain.stamps import copy_id_of, templated_copy_ids
from sharebound.domain.text_search import occurrences, occurrences_of
from tests.corpus import FOLDER as CORPUS_DIR

# Words, separators, line breaks of every kind `str.splitlines` knows, letters that change
# length or case oddly when lower-cased, digits of other scripts, astral letters, underscores
# and the invisible characters the gate removes.
PIECES = ["kestrel", "die", "Layout", "a", "b", "ZZ", "42", "x_y", "straße", "İstanbul", "Kelvin\u212a",
          "\u017f", "\u0663\u0664", "\u4e2d\u6587", "\U0001d400bc", "\U0001f600", "é", "Ǆ", " ", "  ", ", ",
          ".", "\t", "\n", "\r\n", "\r", "\v", "\f", "\x1c", "\x85", "\u2028", "\u2029", "\u200b",
          "\u00ad", "\ufeff", "_", "-", "\ud800"]
TEXTS = st.lists(st.sampled_from(PIECES), max_size=120).map("".join)
PAGES = st.lists(st.tuples(TEXTS, st.sampled_from([None, 1, 2]), st.sampled_from([None, "footnotes"])),
                 min_size=1, max_size=4).map(lambda ps: [Page(t, n, p) for t, n, p in ps])


def _same(pages: list[Page], k: int) -> None:
    reference = shingles(pages, k)
    wanted = set(list(reference.hashes)[::3]) | {1, -1}
    for compiled in (True, False):
        fast = shingling.shingles(pages, k, compiled=compiled)
        assert fast.hashes.tolist() == list(reference.hashes)
        assert [fast.where(i) for i in range(len(fast))] == list(reference.starts)
        assert fast.distinct() == reference.distinct()
        assert fast.hits(wanted) == reference.hits(wanted)


def test_the_compiled_pass_is_built_in_ci() -> None:
    # why: its build is optional (pyproject.toml), so a broken build would only be slower;
    # CI, which has a compiler, must have it
    if os.environ.get("CI") == "true":
        assert shingling.COMPILED


@settings(max_examples=200, deadline=None)
@given(pages=PAGES, k=st.sampled_from([1, 2, 8]))
def test_the_array_shingles_are_the_reference_shingles(pages: list[Page], k: int) -> None:
    _same(pages, k)


@settings(max_examples=60, deadline=None)
@given(pages=PAGES, long_word=st.integers(1, 300))
def test_chunks_cut_between_words_and_words_longer_than_a_chunk_change_nothing(
    pages: list[Page], long_word: int,
) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(shingling, "CHUNK", 16)
        _same([*pages, Page("w" * long_word + " one two three four five six seven eight")], 8)


def test_a_long_text_of_many_chunks_is_the_reference() -> None:
    words = [f"{chr(97 + i % 26)}{i % 977}" for i in range(60_000)]
    text = "\n".join(" ".join(words[i:i + 12]) for i in range(0, len(words), 12))
    _same([Page(text), Page("Ünïcode " + text[:5000], 2)], 8)


def test_the_fingerprint_function_is_pinned() -> None:
    # why: stored fingerprints depend on it; a change needs a new version and a migration
    assert word_hash("kestrel") == 0x18BCA2E5D2630AAB
    words = ["the", "kestrel", "die", "uses", "a", "three", "layer", "stack"]
    assert shingle_hash(words) == -0x3AF4BB0D461EF895


SECRETS = [
    "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----",
    "aws_access_key_id = AKIAIOSFODNN7EXAMPLE",
    "AWS secret key: \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEYab\"",
    "aWs_PaSs='wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEYab'",
    "ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8",
    "slack: xoxb-1234567890-abcdefghijklmnop", "XOXP-12-34-abc",
    "https://hooks.slack.com/services/T0001/B0002/abcdefXYZ", "HTTPS://HOOKS.SLACK.COM/services/Tx/By/z",
    "stripe sk_live_4eC39HqLyjWDarjtT1zdp7dc", "rk_live_4eC39HqLyjWDarjtT1zdp7dcQQ",
    "clone https://builder:hunter2hunter2@git.example.com/repo.git",
    "MTA4NzY1NDMyMTA5ODc2NTQzMg.GhIjKl.abcdefghijklmnopqrstuvwxyz0",
    "NTA4NzY1NDMyMTA5ODc2NTQzMgAB.GhIjKl.abcdefghijklmnopqrstuvwxyz012",
    "0123456789abcdef0123456789abcdef-us12", "a0123456789abcdef0123456789abcdef-us1",
    "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0", "bot 12345678901:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0x",
    "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
    "AccountKey=" + "a" * 86 + "==", "SG." + "a" * 22 + "." + "b" * 43, "AC" + "0" * 32,
]
NOISE = ["word", " ", "\n", ":", ".", "-", "'", '"', "us1", "k_live_", "xox", "aws", "key", "://",
         "1234567890", "\u017f\u212a", "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789", "\u2028"]


def _both(text: str) -> None:
    pages = [Page(text), Page(text[::-1], 2)]
    assert list(secrets.find_secrets(pages)) == list(secrets.find_secrets_reference(pages))


@settings(max_examples=120, deadline=None)
@given(st.lists(st.sampled_from(SECRETS + NOISE), max_size=40).map("".join))
def test_the_anchored_secret_search_finds_what_each_pattern_finds(text: str) -> None:
    _both(text)


@pytest.mark.parametrize("secret", SECRETS)
def test_each_kind_of_secret_is_found_by_both(secret: str) -> None:
    pages = [Page(f"line one\n{secret}\nline three")]
    assert list(secrets.find_secrets(pages)) == list(secrets.find_secrets_reference(pages))


def test_every_slow_pattern_has_its_anchor() -> None:
    patterns = {p.pattern for _, d in secrets.detectors() for p in getattr(d, "denylist", ())}
    assert set(secrets.ANCHORS) <= patterns  # an anchor whose pattern changed is dead weight
    assert secrets.LONG_RUN_PATTERNS.issubset(patterns)


@pytest.mark.parametrize(("text", "expected"), [
    ("a" * 19, False), ("a" * 20, True), ("x " + "A-b_c+d/e=f\\g0123456" + " y", True),
    ("words of prose. " * 50, False), ("ab:" * 10, False), ("", False)])
def test_a_long_run_of_token_characters_is_seen(text: str, expected: bool) -> None:
    assert secrets.has_long_run(text) is expected


def test_most_of_these_secrets_are_found() -> None:
    found = [s for s in SECRETS if list(secrets.find_secrets([Page(s)]))]
    assert len(found) >= len(SECRETS) - 6, sorted(set(SECRETS) - set(found))


@pytest.mark.parametrize("name", ["valid.pdf", "valid.docx", "empty.txt", "text-declared-as.pdf"])
def test_the_corpus_reads_the_same_through_both(name: str) -> None:
    path = CORPUS_DIR / name
    media = {"pdf": "application/pdf", "txt": "text/plain",
             "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
    pages = text_extract.extract(path.read_bytes(), media[path.suffix[1:]]).pages
    assert list(secrets.find_secrets(pages)) == list(secrets.find_secrets_reference(pages))
    assert shingling.shingles(pages).hashes.tolist() == list(shingles(pages).hashes)


TERM_LISTS = [["Project Kestrel", "Osprey", "Heron Mark II"], ["mark ii", "Heron Mark II", "a", "aa"],
              ["x", "x y", "y"], ["Os", "osprey", "PREY"]]
TERM_PIECES = ["project", "Kestrel", "osprey", "OSPREY", "heron", "Mark", "ii", "II", "a", "aa", "x", "y",
               "prey", " ", "  ", "\n", "\t", "_", "-", ".", "é", "\u212a", "1"]


@settings(max_examples=300, deadline=None)
@given(text=st.lists(st.sampled_from(TERM_PIECES), max_size=60).map("".join),
       terms=st.sampled_from(TERM_LISTS))
def test_the_anchored_term_search_finds_what_the_terms_pattern_finds(text: str, terms: list[str]) -> None:
    pattern = term_pattern(terms)
    assert pattern is not None
    expected = [m.span() for m in pattern.finditer(text)]
    assert [m.span() for m in term_matches(pattern, text, terms)] == expected


def _candidate_lines_reference(text: str) -> list[tuple[int, str]]:
    """The marking candidates as found before: one case-insensitive alternation."""
    starts, lines = line_starts(text), text.splitlines()
    numbers = [line_at(starts, m.start()) for m in re.finditer(_WORDS, text, re.IGNORECASE)]
    return [(n, lines[n - 1]) for n in sorted(set(numbers))]


MARK_PIECES = ["secret", "SECRET", "Confidential", "restricted", "INTERNAL", "classified", "Sensitivity",
               "marking", "word", " ", "\n", "\r\n", "\u2028", "İ", "ﬁ", ":", "-"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(MARK_PIECES), max_size=60).map("".join))
def test_the_marking_candidates_are_the_lines_the_alternation_finds(text: str) -> None:
    assert list(_candidate_lines(text)) == _candidate_lines_reference(text)


@settings(max_examples=60, deadline=None)
@given(upper=st.lists(st.booleans(), min_size=4, max_size=4),
       before=st.sampled_from(["", "Report\n", "a · "]))
def test_a_templated_stamp_is_found_whatever_the_case_of_its_word_copy(
    upper: list[bool], before: str,
) -> None:
    word = "".join(c.upper() if up else c for c, up in zip("copy", upper, strict=True))
    text = f"{before}{word} {copy_id_of(7)}\nmore"
    expected = [copy_id for _, copy_id in templated_copy_ids(text)]
    assert expected == [copy_id_of(7)]
    assert [copy_id for copy_id, _ in _templated_stamps(text)] == expected


def test_a_word_longer_than_a_chunk_hashes_as_the_reference_and_grows_no_table() -> None:
    long_word = "".join(chr(97 + i % 26) for i in range(3 * shingling.CHUNK + 7))
    _same([Page(f"one {long_word} two\n{long_word.upper()}é three four")], 2)
    assert len(shingling.POWER) == len(shingling.INVERSE) == shingling.CHUNK


SEARCHED = st.lists(st.sampled_from(["se", "secret", "cop", "copy", "co", "py", "ab", "aba", "a\n"]),
                    min_size=1, max_size=8)


@settings(max_examples=300, deadline=None)
@given(text=st.lists(st.sampled_from(["secret", "copy", "aba", "ab", "c", "o", "p", "y", " ", "\n", "é"]),
                     max_size=80).map("".join), words=SEARCHED)
def test_the_search_for_several_words_finds_each_words_occurrences(text: str, words: list[str]) -> None:
    expected = [list(occurrences(text, word)) for word in words]
    assert occurrences_of(text, words) == expected
    if text.isascii() and shingling.COMPILED:
        assert _scan.find_all(text, tuple(words)) == expected


@pytest.mark.skipif(not shingling.COMPILED, reason="the compiled passes were not built")
def test_the_compiled_search_refuses_what_it_cannot_search() -> None:
    with pytest.raises(ValueError, match="one-byte text"):
        _scan.find_all("\u4e2d copy", ("copy",))
    with pytest.raises(ValueError, match="2 characters"):
        _scan.find_all("copy", ("c",))
    with pytest.raises(ValueError, match="at most 64"):
        _scan.find_all("copy", tuple(f"w{i}" for i in range(65)))
