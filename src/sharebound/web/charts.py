"""Give-and-take charts as inline SVG, drawn on the server by pygal (docs/reciprocity.md).

Our Content-Security-Policy allows no inline script and no inline style (web/security.py), so
each chart is cleaned before it reaches a page: pygal's <script> (its config, for tooltips)
and <style> go, and its classes are styled by /static/app.css instead. What is left is plain
SVG that reads without JavaScript: role="img", named by its <title>, with a data table beside
it on the page for screen readers (the templates' `figure` macro).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import pygal
from markupsafe import Markup, escape
from pygal.style import Style

from sharebound.domain.reciprocity import GiveAndTake, Pair

# why: importing pygal appends a finder for its map plugins to sys.meta_path that has only the
# legacy find_module(); every later import that reaches it warns (ImportWarning, an error under
# our warnings policy) and Python 3.12 ignores it anyway. We draw no maps: take it out again.
sys.meta_path[:] = [f for f in sys.meta_path if type(f).__name__ != "PluginImportFixer"]

MAX_TOPICS = 10  # why: beyond ten bars the topic chart stops being readable at phone width
# why: the drawing's own units, CSS scales it to the column's width; narrow enough that its
# 14-unit labels still read about 10 px high in a 390 px wide phone's column
WIDTH, HEIGHT = 480, 340
LABEL_WIDTH = 8  # why: about the width of a character of a 14-unit label
MARGINS = 80  # the y axis and its labels, beside the plot
SLANT = -45  # degrees: slanted labels end under their bar
Y_STEPS = 5  # why: five grid lines are enough to read a count off a bar

# Given is ours, received the partner's: two colours that differ for colour-blind readers
# too (blue and orange), matched by app.css's .pygal-chart .color-0 / .color-1.
# The font sizes are those app.css gives: pygal makes room for the labels by them.
STYLE = Style(colors=("#1f5fae", "#c25e00"), background="transparent",
              plot_background="transparent", font_family="system-ui, sans-serif",
              label_font_size=14, major_label_font_size=14, legend_font_size=15, title_font_size=16)

_SCRIPT = re.compile(r"<script\b.*?</script>", re.S)
_STYLE = re.compile(r"<style\b.*?</style>", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_INLINE_STYLE = re.compile(r'\sstyle="[^"]*"')


@dataclass(frozen=True)
class Figure:
    """A chart and the rows of its data table."""

    key: str  # an id on the page: "flows", "levels", "topics", "partnerships"
    title: str
    svg: Markup
    head: tuple[str, str, str]  # the table's column headings
    rows: tuple[tuple[str, int, int], ...]
    caption: str


def flows_figure(flows: GiveAndTake, org: str) -> Figure:
    rows = tuple((b.label, b.pair.given, b.pair.received) for b in flows.buckets)
    period = flows.window.period.value
    title = f"Disclosures given and received by {org}, per {period}"
    return _figure("flows", title, (period.capitalize() + (" of" if period == "week" else ""),
                                    "Given", "Received"), rows)


def levels_figure(flows: GiveAndTake, org: str) -> Figure:
    rows = tuple((level.value, p.given, p.received) for level, p in flows.by_classification)
    return _figure("levels", f"Disclosures by classification, given and received by {org}",
                   ("Classification", "Given", "Received"), rows)


def topics_figure(flows: GiveAndTake, org: str) -> Figure:
    rows = tuple((topic, p.given, p.received) for topic, p in flows.by_topic[:MAX_TOPICS])
    return _figure("topics", f"Disclosures by topic, given and received by {org} (top {MAX_TOPICS})",
                   ("Topic", "Given", "Received"), rows)


def partnerships_figure(rows: Sequence[tuple[str, Pair]], org: str) -> Figure:
    data = tuple((name, p.given, p.received) for name, p in rows)
    return _figure("partnerships", f"Disclosures given and received by {org}, per partnership",
                   ("Partnership", "Given", "Received"), data)


# why a cache: drawing the three charts of a partnership page took about 23 ms of its ~75; a
# figure is a pure function of its (hashable) arguments, which change only when a disclosure
# is made, so a page view mostly draws nothing (256 figures of ~15 KB at most per process)
@lru_cache(maxsize=256)
def _figure(key: str, title: str, head: tuple[str, str, str],
            rows: tuple[tuple[str, int, int], ...]) -> Figure:
    # why: labels that would not fit side by side under the plot are slanted instead of overlapping
    slanted = sum(len(name) for name, _, _ in rows) * LABEL_WIDTH > WIDTH - MARGINS
    chart = pygal.Bar(
        style=STYLE, width=WIDTH, height=HEIGHT, js=[], disable_xml_declaration=True,
        no_prefix=True, legend_at_bottom=True, legend_at_bottom_columns=2, show_title=False,
        x_label_rotation=SLANT if slanted else 0, truncate_label=-1, print_zeroes=False,
        no_data_text="Nothing yet")
    if rows:  # why only then: pygal cannot place y labels on a chart with no series
        chart.y_labels = _steps(max(max(g, r) for _, g, r in rows))
    chart.title = title
    chart.x_labels = [name for name, _, _ in rows]
    if rows:
        chart.add("Given", [g for _, g, _ in rows])
        chart.add("Received", [r for _, _, r in rows])
    return Figure(key=key, title=title, svg=_clean(chart.render(is_unicode=True), key, title),
                  head=head, rows=rows, caption=title)


def _steps(top: int) -> list[int]:
    """Whole numbers for the y axis (counts have no halves), about Y_STEPS of them."""
    step = max(1, -(-top // Y_STEPS))
    return list(range(0, max(top, 1) + step, step))


def _clean(svg: str, key: str, title: str) -> Markup:
    """pygal's SVG without script, style or comments, named for assistive technology."""
    svg = _COMMENT.sub("", _STYLE.sub("", _SCRIPT.sub("", svg)))
    svg = _INLINE_STYLE.sub("", svg).replace("<defs></defs>", "").replace("<defs/>", "")
    label = f"chart-{key}-title"
    svg = svg.replace(' id=""', "", 1).replace(
        "<svg ", f'<svg role="img" aria-labelledby="{label}" focusable="false" data-chart="{key}" ', 1)
    svg = re.sub(r"<title>.*?</title>", f'<title id="{label}">{escape(title)}</title>', svg, count=1,
                 flags=re.S)
    return Markup(svg)  # noqa: S704 - pygal escapes every label it draws; we add only escaped text
