"""Give and take in Chromium, on the demo: each chart on the partnership page and on home is
visible, has a bar per row of its data table and side, labelled as the table is, at desktop
(1280 px) and phone (390 px) width, with nothing overflowing sideways and no Content-Security-
Policy complaint in the console. Screenshots of each chart are saved under the test's tmp dir."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from sharebound import bootstrap
from sharebound.demo import build_demo

WIDTHS = (1280, 390)


def _check_charts(page: Page, keys: list[str], shots: Path, name: str, width: int) -> None:
    for key in keys:
        chart = page.locator(f"svg[data-chart='{key}']")
        expect(chart).to_be_visible()
        assert chart.get_attribute("role") == "img"
        assert chart.locator("title").first.text_content()
        rows = page.locator(f"table[data-figure='{key}'] tbody tr th").all_text_contents()
        assert rows, key
        assert chart.locator("g.bar").count() == 2 * len(rows), key  # given and received per row
        labels = chart.locator("g.axis.x text").all_text_contents()
        assert labels == rows, key
        box = chart.bounding_box()
        assert box is not None and box["width"] > 0 and box["x"] + box["width"] <= width + 1, key
        chart.scroll_into_view_if_needed()
        chart.screenshot(path=str(shots / f"{name}-{key}-{width}.png"))
    overflow = page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= width, f"{name} is {overflow} px wide at {width} px"


def test_the_demos_charts_read_at_desktop_and_phone_width(core: bootstrap.App, people: Any,
                                                          tmp_path: Path) -> None:
    build_demo(core)
    with core.uow() as uow:
        sensor = next(p for p in uow.partnerships.list_for_org("acme") if p.name == "Joint thermal sensor")
    alice = people()
    page = alice.sign_in("alice@acme.example")

    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        alice.go(f"/partnerships/{sensor.id}")
        expect(page.locator("#health-panel")).to_contain_text("What would help")
        expect(page.locator(".definition")).to_contain_text("given ÷ (given + received)")
        _check_charts(page, ["flows", "levels", "topics"], tmp_path, "partnership", width)
        page.screenshot(path=str(tmp_path / f"partnership-page-{width}.png"), full_page=True)
        alice.go("/")
        _check_charts(page, ["partnerships", "flows"], tmp_path, "home", width)

    assert not [e for e in alice.console_errors if "Content Security Policy" in e], alice.console_errors
    assert len(list(tmp_path.glob("*.png"))) == 2 * (5 + 1)
