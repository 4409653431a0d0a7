"""The search query language (words and "quoted phrases") and what the index is made of."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sharebound.domain.errors import BadSearchQuery
from sharebound.domain.limits import MAX_SEARCH_QUERY, MAX_SEARCH_TERMS, MAX_SEARCH_WORDS
from sharebound.domain.search import (
    Query,
    fold,
    fts5_match,
    highlight,
    indexable,
    parse_query,
    snippet,
    term,
    tsquery,
)

KEYS = (b"k" * 32, b"j" * 32)
# what the database may ever receive: our letters, spaces, quotes and operators, nothing typed
FTS5_SAFE = re.compile(r'^[a-p "()ORAND]+$')
TSQUERY_SAFE = re.compile(r"^[a-p ()&|<\->]+$")


def test_words_are_anded_and_quoted_words_are_a_phrase() -> None:
    assert parse_query('Thermal  "calibration BENCH" drift').parts == (
        ("thermal",), ("calibration", "bench"), ("drift",))


def test_case_and_accents_do_not_matter_and_punctuation_separates_words() -> None:
    assert parse_query("Café-ÉCLAIR_x").parts == (("cafe",), ("eclair",), ("x",))
    assert fold("Straße") == "strasse"


def test_an_unclosed_quote_runs_to_the_end_and_repeats_are_dropped() -> None:
    assert parse_query('drift "under 0.2').parts == (("drift",), ("under", "0", "2"))
    assert parse_query("drift drift DRIFT").parts == (("drift",),)


@pytest.mark.parametrize("q", ["", "   ", '""', "***", "-- !! ()", None, 42, ["drift"]])
def test_a_query_with_no_word_is_a_bad_search_query_naming_q(q: object) -> None:
    with pytest.raises(BadSearchQuery) as bad:
        parse_query(q)

    assert list(bad.value.errors) == ["q"] and bad.value.status == 400


def test_a_query_is_bounded_in_length_and_words() -> None:
    with pytest.raises(BadSearchQuery):
        parse_query("a" * (MAX_SEARCH_QUERY + 1))
    with pytest.raises(BadSearchQuery):
        parse_query(" ".join(f"w{n}" for n in range(MAX_SEARCH_TERMS + 1)))
    assert len(parse_query(" ".join(f"w{n}" for n in range(MAX_SEARCH_TERMS))).parts) == MAX_SEARCH_TERMS


@given(st.text(max_size=600))
def test_any_string_is_a_query_or_the_named_error_and_never_reaches_the_database_as_typed(q: str) -> None:
    try:
        query = parse_query(q)
    except BadSearchQuery as bad:
        assert list(bad.errors) == ["q"]
        return
    assert query.parts and all(query.parts)
    assert FTS5_SAFE.match(fts5_match(query, KEYS))
    assert TSQUERY_SAFE.match(tsquery(query, KEYS))


@given(st.text(alphabet=st.characters(categories=["L", "N"]), min_size=1, max_size=30))
def test_a_word_hashes_to_twelve_letters_that_depend_on_the_key(word: str) -> None:
    assert re.fullmatch("[a-p]{12}", term(KEYS[0], word))
    assert term(KEYS[0], word) == term(KEYS[0], word) != term(KEYS[1], word)


def test_each_part_matches_under_any_key_and_all_parts_must_match() -> None:
    query = Query((("drift",), ("calibration", "bench")))
    a, b = (term(k, "drift") for k in KEYS)
    c1, c2 = (term(k, "calibration") for k in KEYS)
    b1, b2 = (term(k, "bench") for k in KEYS)

    assert fts5_match(query, KEYS) == f'("{a}" OR "{b}") AND ("{c1} {b1}" OR "{c2} {b2}")'
    assert tsquery(query, KEYS) == f"(({a}) | ({b})) & (({c1} <-> {b1}) | ({c2} <-> {b2}))"


def test_the_index_holds_the_first_words_of_a_long_text_only() -> None:
    text = " ".join(f"w{n}" for n in range(MAX_SEARCH_WORDS + 10))

    kept, words = indexable(text)

    assert len(words) == MAX_SEARCH_WORDS and kept.endswith(f"w{MAX_SEARCH_WORDS - 1}")


def test_the_snippet_is_escaped_html_around_the_first_hit_with_hits_marked() -> None:
    text = "<b>intro</b> " + "filler " * 40 + "the Drift & the drift <i>x</i> " + "tail " * 60

    shown = snippet(text, frozenset({"drift"}))

    assert shown.startswith("…") and shown.endswith("…")
    assert "<mark>Drift</mark> &amp; the <mark>drift</mark> &lt;i&gt;x&lt;/i&gt;" in shown
    assert "<b>" not in shown and len(shown) < 400


def test_a_title_is_highlighted_whole() -> None:
    assert highlight("Drift <results>", frozenset({"drift"})) == "<mark>Drift</mark> &lt;results&gt;"


@given(st.text(max_size=300), st.sets(st.text(alphabet="abc", min_size=1, max_size=3), max_size=3))
def test_a_snippet_never_carries_markup_of_the_text(text: str, words: set[str]) -> None:
    shown = snippet(text, frozenset(words)).replace("<mark>", "").replace("</mark>", "")

    assert "<" not in shown and ">" not in shown
