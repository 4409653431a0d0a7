"""The give-and-take charts: plain SVG the Content-Security-Policy lets through, named for
assistive technology, a bar per row and side, and a chart even when nothing was shared."""

from __future__ import annotations

import re
from datetime import date

from sharebound.domain.classification import Classification
from sharebound.domain.reciprocity import Pair, Period, Side, Tally, Window, give_and_take
from sharebound.web.charts import flows_figure, levels_figure, partnerships_figure, topics_figure

WINDOW = Window(date(2026, 11, 2), date(2026, 12, 7), Period.WEEK)
SHARED = give_and_take([
    Tally(Side.GIVEN, date(2026, 11, 3), Classification.INTERNAL, frozenset({"<thermal>"}), 2),
    Tally(Side.RECEIVED, date(2026, 12, 1), Classification.CONFIDENTIAL, frozenset(), 5)], WINDOW)
NOTHING = give_and_take([], WINDOW)


def test_each_chart_is_plain_named_svg_with_a_bar_per_row_and_side() -> None:
    for figure in (flows_figure(SHARED, "acme"), levels_figure(SHARED, "acme"), topics_figure(SHARED, "acme"),
                   partnerships_figure([("Joint <sensor>", Pair(1, 2))], "acme")):
        svg = str(figure.svg)

        assert not re.search(r"<script|<style|\sstyle=|<!--", svg), figure.key
        assert svg.startswith(f'<svg role="img" aria-labelledby="chart-{figure.key}-title"')
        assert f'<title id="chart-{figure.key}-title">' in svg
        assert svg.count('class="bar"') == 2 * len(figure.rows), figure.key
        assert "<sensor>" not in svg and "<thermal>" not in svg  # labels are escaped


def test_a_chart_of_nothing_says_so_and_still_renders() -> None:
    topics = topics_figure(NOTHING, "acme")
    flows = flows_figure(NOTHING, "acme")

    assert topics.rows == () and "Nothing yet" in str(topics.svg)
    assert [r[1:] for r in flows.rows] == [(0, 0)] * 6
    assert partnerships_figure([], "acme").rows == ()
