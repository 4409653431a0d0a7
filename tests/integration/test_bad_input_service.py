"""The bad-input corpus through the use case itself, on every database: whichever entry point
calls it (API, pages, CLI, demo), a bad file is refused before anything is stored."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest

from sharebound.domain.errors import InvalidInput
from sharebound.services import items
from tests.corpus import CASES, REFUSED, Case
from tests.integration.world import World, changes_nothing

# The type check belongs to the upload path (the declared type against the content); these
# are the files whose content itself is the problem.
CONTENT_CASES = [c for c in REFUSED if "is declared as" not in (c.refusal or "")]
VALID_PDF = next(c for c in CASES if c.name == "valid.pdf").content


def _on_disk(world: World) -> list[str]:
    root = world.app.settings.blobs_dir
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.mark.parametrize("case", CONTENT_CASES, ids=lambda c: c.name)
def test_a_bad_file_is_refused_by_the_use_case_and_nothing_is_stored(case: Case, world: World) -> None:
    assert case.refusal is not None
    before = _on_disk(world)

    with changes_nothing(world), pytest.raises(InvalidInput) as refused:
        items.add_item(world.uow(), world.mia.id, title="Upload", classification="internal", topics=[],
                       content=io.BytesIO(case.content), kind="file", media_type=case.declared,
                       filename=case.name)

    assert list(refused.value.errors) == ["file"]
    assert case.refusal in refused.value.errors["file"]
    assert _on_disk(world) == before


def test_a_bad_new_version_is_refused_and_the_item_keeps_its_current_one(world: World) -> None:
    truncated = next(c for c in REFUSED if c.name == "truncated.pdf")
    item = items.add_item(world.uow(), world.mia.id, title="Spec", classification="internal", topics=[],
                          content=VALID_PDF, kind="file", media_type="application/pdf", filename="spec.pdf")
    before = _on_disk(world)

    with changes_nothing(world), pytest.raises(InvalidInput) as refused:
        items.add_item_version(world.uow(), world.mia.id, item.id, content=truncated.content)

    assert refused.value.errors["file"].startswith("is a damaged PDF")
    assert _on_disk(world) == before


def test_an_empty_note_is_refused_naming_the_body_and_stores_no_empty_blob(world: World) -> None:
    with changes_nothing(world), pytest.raises(InvalidInput) as refused:
        items.add_item(world.uow(), world.mia.id, title="Nothing", classification="internal", topics=[],
                       content=b"")

    assert refused.value.errors == {"body": "is empty"}
    assert _on_disk(world) == []


def test_a_file_over_the_limit_is_refused_and_no_temporary_file_is_left(world: World) -> None:
    with changes_nothing(world), pytest.raises(InvalidInput) as refused:
        items.add_item(world.uow(), world.mia.id, title="Big", classification="internal", topics=[],
                       content=io.BytesIO(b"x" * 4097), kind="file", media_type="text/plain", limit=4096)

    assert refused.value.errors == {"file": "is over the limit of 4096 bytes"}
    assert _on_disk(world) == []


def test_a_pdf_longer_than_the_configured_page_limit_is_refused(world: World) -> None:
    strict = replace(world.app, settings=world.app.settings.model_copy(update={"max_pdf_pages": 2}))

    with changes_nothing(world), pytest.raises(InvalidInput) as refused:
        items.add_item(strict.uow(), world.mia.id, title="Spec", classification="internal", topics=[],
                       content=VALID_PDF, kind="file", media_type="application/pdf")

    assert refused.value.errors == {
        "file": "is a PDF of 3 pages; the most we accept is 2 pages: split it into smaller documents"}
