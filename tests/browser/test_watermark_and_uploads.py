"""The watermark page's live preview, and the bulk-upload form's per-file rows, in Chromium."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from sharebound import bootstrap
from sharebound.services import folders, watermarks
from tests.browser.test_journeys import PASSWORD
from tests.browser.test_library_and_admin import _acme


def test_the_preview_follows_the_form_and_saving_keeps_the_template(
    core: bootstrap.App, people: Any
) -> None:
    ids = _acme(core)
    alice = people()
    page = alice.sign_in("alice@acme.example", PASSWORD)
    page.click("nav a:has-text('Watermark')")
    preview = page.locator("#watermark-preview")
    expect(preview).to_have_attribute("src", "/admin/watermark/preview.png")

    page.select_option("#position", "footer")
    page.fill("#custom_text", "Do not forward")
    page.check("input[name=fields][value=custom_text]")
    expect(preview).to_have_attribute("src", _matching("position=footer"))
    expect(preview).to_have_attribute("src", _matching("custom_text=Do+not+forward"))
    assert page.evaluate("document.getElementById('watermark-preview').naturalWidth") == 496
    alice.shot("admin-watermark")
    page.click("button:has-text('Save the template')")

    expect(page.locator("p.notice[role=status]")).to_contain_text("The template is saved")
    saved = watermarks.org_watermark(core.uow(), ids["alice"], "acme").setting
    assert saved is not None and saved.template.position.value == "footer"
    assert saved.template.custom_text == "Do not forward"
    assert alice.console_errors == []


def _matching(part: str) -> re.Pattern[str]:
    return re.compile(".*" + re.escape(part) + ".*")


def test_each_chosen_file_gets_a_row_with_its_own_classification(
    core: bootstrap.App, people: Any
) -> None:
    ids = _acme(core)
    alice = people()
    page = alice.sign_in("alice@acme.example", PASSWORD)
    page.goto(alice.server.url + "/items")
    page.set_input_files("#bulk-files", [
        {"name": "a.txt", "mimeType": "text/plain", "buffer": b"alpha"},
        {"name": "b.txt", "mimeType": "text/plain", "buffer": b"beta"}])
    expect(page.locator("#bulk-per-file tbody tr")).to_have_count(2)

    page.select_option("#per-file-0-classification", "confidential")
    page.fill("#per-file-1-topics", "thermal")
    alice.shot("bulk-upload-per-file")
    page.click("#bulk-upload button:has-text('Upload')")

    expect(page.locator("#upload-summary")).to_contain_text("2 stored, 0 refused")
    rows = {r.name: r.item for r in folders.library(core.uow(), ids["alice"]).rows if r.item}
    assert rows["a.txt"] is not None and rows["a.txt"].classification.value == "confidential"
    assert rows["b.txt"] is not None and sorted(rows["b.txt"].topics) == ["thermal"]
    assert rows["b.txt"].classification.value == "internal"
