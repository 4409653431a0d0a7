"""The package journey in Chromium: a ZIP of 30 files in folders is imported, the library shows
the tree with index numbers, a folder is disclosed as one package, the recipient downloads one
ZIP whose every file is stamped for them, and the register shows 30 entries in the package."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from sharebound import bootstrap
from sharebound.services import agreements, orgs, partnerships, trace
from tests.factories import sign_as, terms_json
from tests.zips import build, sample_files

PASSWORD = "correct horse battery"


def _partners(core: bootstrap.App) -> str:
    """acme (alice) and globex (grace, gina) under a signed NDA: its partnership's id."""
    _, alice = orgs.create_org(core.uow(), handle="acme", name="Acme Sensors", admin_name="Alice Archer",
                               admin_email="alice@acme.example", admin_password=PASSWORD)
    _, grace = orgs.create_org(core.uow(), handle="globex", name="Globex", admin_name="Grace Green",
                               admin_email="grace@globex.example", admin_password=PASSWORD)
    orgs.add_person(core.uow(), grace.id, org="globex", name="Gina Gray", email="gina@globex.example",
                    roles=["member"], password=PASSWORD)
    partnership = partnerships.propose_partnership(core.uow(), alice.id, name="Joint sensor",
                                                   purpose="new_product", invite=["globex"])
    partnerships.accept_partnership(core.uow(), grace.id, partnership.id)
    today = core.clock().date()
    agreement = agreements.draft_agreement(core.uow(), alice.id, partnership.id, terms_json(
        effective_date=today.isoformat(), term_end=today.replace(year=today.year + 1).isoformat()))
    digest = agreement.current.digest
    sign_as(core.uow(), alice.id, agreement.id, digest=digest, title="CEO", password=PASSWORD)
    sign_as(core.uow(), grace.id, agreement.id, digest=digest, title="CEO", password=PASSWORD)
    return partnership.id


def test_a_zip_of_30_files_becomes_a_numbered_tree_disclosed_as_one_package_and_downloaded_stamped(
    core: bootstrap.App, people: Any, tmp_path: Path,
) -> None:
    partnership_id = _partners(core)
    archive = tmp_path / "spec-package.zip"
    archive.write_bytes(build([(f"Spec package/{name}", data) for name, data in sample_files(30)]))
    alice, gina = people(), people()

    page = alice.sign_in("alice@acme.example", PASSWORD)
    page.click("nav a:has-text('Items')")
    page.set_input_files("#zip-file", str(archive))
    page.fill("#zip-topics", "specs")
    page.click("button:has-text('Import')")
    expect(page.locator("#upload-summary")).to_have_text("30 stored, 0 refused.")
    page.click("a:has-text('Back to the library')")
    folders = page.locator("tr.folder")
    expect(folders).to_have_count(5)
    expect(page.locator("tr.folder td.number")).to_have_text(["1", "1.1", "1.1.1", "1.1.2", "1.2"])
    expect(folders.nth(2)).to_contain_text("Mechanical/")
    alice.shot("library-tree")
    folders.nth(0).locator("a:has-text('Disclose this folder')").click()
    page.fill("#package-recipients", "gina@globex.example")
    page.click("button:has-text('Disclose the package')")
    expect(page.locator("table.tree tbody tr")).to_have_count(30)
    package_url = page.url

    page = gina.sign_in("gina@globex.example", PASSWORD)
    page.goto(package_url)
    expect(page.locator("table.tree tbody tr").first).to_contain_text("1.1.1")
    with page.expect_download() as downloading:
        page.click("#package-zip")
    zipped = zipfile.ZipFile(io.BytesIO(Path(downloading.value.path()).read_bytes()))
    names = zipped.namelist()
    assert len(names) == 30 and all(n.startswith("1 Spec package/") for n in names)
    for name in names:  # every file carries a copy id that traces back to gina, unchanged
        traced = trace.trace_file(core.uow(), None, zipped.read(name))
        assert (traced.recipient.name, traced.unchanged) == ("Gina Gray", True), name
    assert all("Gina Gray" in zipped.read(n).decode() for n in names if n.endswith(".txt"))

    page = alice.go(f"/partnerships/{partnership_id}")
    package_path = package_url.split(alice.server.url)[1]
    expect(page.locator(f"a.package-link[href='{package_path}']")).to_have_count(25)  # the newest 25
    alice.shot("register-package")
    page.locator("nav[aria-label='given pages'] a[rel=next]").click()  # "Older": the other 5
    expect(page.locator(f"a.package-link[href='{package_path}']")).to_have_count(5)
