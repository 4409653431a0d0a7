"""The export routes over HTTP: the file, its headers, streaming, and bad input named and
changing nothing. (Who may export what: tests/e2e/test_isolation_matrix.py and
tests/integration/test_exports.py.)"""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient

from sharebound.domain.exports import REGISTER_COLUMNS
from sharebound.services import disclosures
from sharebound.services.disclosures import DisclosureDraft
from tests.e2e.conftest import WORLD_PASSWORD, sign_in, sign_in_page
from tests.integration.world import World, changes_nothing


def _world_with_a_disclosure(world: World) -> str:
    agreement = world.signed()
    disclosures.disclose(world.uow(), world.alice.id, DisclosureDraft(
        item_id=world.note(by=world.alice), agreement_id=agreement.id,
        recipients=["gina@globex.example"], actions=["view"]))
    return agreement.id


def test_a_register_csv_streams_with_its_name_type_and_row_count(client: TestClient, world: World) -> None:
    agreement_id = _world_with_a_disclosure(world)
    alice = sign_in(client, "alice@acme.example", WORLD_PASSWORD)

    with client.stream("GET", f"/api/v1/agreements/{agreement_id}/register.csv",
                       headers=alice.headers) as answer:
        body = b"".join(answer.iter_bytes())

    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/csv; charset=utf-8; header=present"
    assert "content-length" not in answer.headers  # streamed, not built first
    assert answer.headers["content-disposition"].startswith(f'attachment; filename="register-{agreement_id}-')
    assert answer.headers["x-sharebound-rows"] == "1"
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8"), newline="")))
    assert list(rows[0]) == list(REGISTER_COLUMNS) and rows[0]["direction"] == "given"


def test_the_partnership_register_as_pdf_and_by_format(client: TestClient, world: World) -> None:
    _world_with_a_disclosure(world)
    grace = sign_in(client, "grace@globex.example", WORLD_PASSWORD)

    pdf = grace.get(f"/partnerships/{world.partnership.id}/register", params={"format": "pdf"})
    report = grace.get(f"/partnerships/{world.partnership.id}/access-report.csv")

    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert pdf.headers["content-type"] == "application/pdf"
    assert report.status_code == 200 and report.text.startswith("access_id,")


@pytest.mark.parametrize(("path", "params", "field"), [
    ("/agreements/{a}/register.xlsx", {}, "format"),
    ("/agreements/{a}/register", {"format": "docx"}, "format"),
    ("/agreements/{a}/register.csv", {"from": "2026-03-02", "to": "2026-03-01"}, "to"),
    ("/agreements/{a}/register.csv", {"from": "last week"}, "from"),
    ("/agreements/{a}/register.csv", {"direction": "sideways"}, "direction"),
    ("/agreements/{a}/register.csv", {"classification": "top secret"}, "classification"),
    ("/agreements/{a}/access-report.csv", {"direction": "received"}, "direction"),
])
def test_a_bad_option_is_a_422_naming_it_and_changes_nothing(
        client: TestClient, world: World, path: str, params: dict[str, str], field: str) -> None:
    agreement_id = _world_with_a_disclosure(world)
    alice = sign_in(client, "alice@acme.example", WORLD_PASSWORD)

    with changes_nothing(world):
        answer = alice.get(path.format(a=agreement_id), params=params)

    assert answer.status_code == 422, answer.text
    assert field in answer.json()["errors"]


def test_an_unknown_agreement_is_a_404(client: TestClient, world: World) -> None:
    alice = sign_in(client, "alice@acme.example", WORLD_PASSWORD)

    answer = alice.get("/agreements/agr_0nonexistent0/register.csv")

    assert answer.status_code == 404 and answer.headers["content-type"] == "application/problem+json"


def test_the_agreement_page_s_export_form_answers_the_file_and_names_a_bad_option(
        client: TestClient, world: World) -> None:
    agreement_id = _world_with_a_disclosure(world)
    sign_in_page(client, "alice@acme.example", WORLD_PASSWORD)

    page = client.get(f"/agreements/{agreement_id}")
    pdf = client.get(f"/agreements/{agreement_id}/export",
                     params={"report": "access", "format": "pdf", "direction": "both", "topic": ""})
    partnership = client.get(f"/partnerships/{world.partnership.id}")
    csv_file = client.get(f"/partnerships/{world.partnership.id}/export",
                          params={"report": "register", "format": "csv", "direction": "given"})
    bad = client.get(f"/agreements/{agreement_id}/export", params={"report": "everything", "format": "xls"})

    assert f'action="/agreements/{agreement_id}/export"' in page.text
    assert f'action="/partnerships/{world.partnership.id}/export"' in partnership.text
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert csv_file.status_code == 200 and csv_file.text.count("\r\n") == 2  # the header and one row
    assert bad.status_code == 422 and "report" in bad.text
