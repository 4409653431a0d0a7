"""ZIP import and bulk upload through the use cases: folders recreated, every file checked and
typed as a single upload is, each bad entry refused by name while the good ones are stored, and
the archive-wide attacks (too many entries, a bomb) refused before anything is stored.

SQLite only: the SQL is the items' and folders' own, tested on both databases elsewhere."""

from __future__ import annotations

import io

import pytest

from sharebound.domain.archives import Outcome
from sharebound.domain.errors import InvalidInput
from sharebound.domain.limits import MAX_ZIP_ENTRIES
from sharebound.services import folders, uploads
from sharebound.services.uploads import IncomingFile, UploadReport
from tests.corpus import PPTX, XLSX, corpus_file
from tests.integration.world import World, changes_nothing
from tests.zips import bomb, build, sample_files, with_symlink

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
LIMIT = 64 * 1024 * 1024  # why: over the bomb's total, so that the archive's allowance trips first
META = uploads.parse_metadata("internal", ["specs"], None)


def _import(world: World, data: bytes, meta: uploads.Metadata = META) -> UploadReport:
    return uploads.import_zip(world.uow(), world.mia.id, io.BytesIO(data), meta, limit=LIMIT)


def _lines(report: UploadReport) -> dict[str, tuple[str, str]]:
    return {f.path: (f.outcome.value, f.reason) for f in report.files}


def _tree(world: World) -> list[tuple[str, str]]:
    return [(r.number, r.name) for r in folders.library(world.uow(), world.mia.id).rows]


def test_a_zip_recreates_its_folders_and_types_every_file(world: World) -> None:
    report = _import(world, build([("Specs/", b""), *sample_files(6)]))

    assert report.stored == 6 and report.refused == 0
    assert {f.media_type for f in report.files} == {"text/plain", "image/png", "application/pdf"}
    assert _tree(world) == [
        ("1", "Specs"), ("1.1", "Mechanical"), ("1.1.1", "drawing-0004.png"),
        ("1.1.2", "note-0000.txt"), ("1.2", "Electrical"), ("1.2.1", "drawing-0001.png"),
        ("1.2.2", "report-0005.pdf"), ("2", "Test reports"), ("2.1", "report-0002.pdf"),
        ("3", "note-0003.txt")]  # folders in the order the archive first names them


def test_classification_and_topics_apply_to_all_and_change_per_file(world: World) -> None:
    meta = uploads.parse_metadata("internal", ["specs"], {"b.txt": {"classification": "confidential",
                                                                   "topics": ["pricing"]}})
    report = _import(world, build([("a.txt", b"alpha"), ("b.txt", b"beta")]), meta)

    rows = {r.name: r.item for r in folders.library(world.uow(), world.mia.id).rows if r.item}
    assert report.stored == 2
    assert (rows["a.txt"].classification.value, rows["a.txt"].topics) == ("internal", {"specs"})
    assert (rows["b.txt"].classification.value, rows["b.txt"].topics) == ("confidential", {"pricing"})


def test_each_hostile_entry_is_refused_by_name_and_the_good_ones_are_stored(world: World) -> None:
    data = build([("ok.txt", b"fine"), ("../escape.txt", b"up"), ("/etc/passwd", b"root"),
                  ("C:\\boot.ini", b"x"), ("dup/a.txt", b"one"), ("dup/A.txt", b"two"),
                  ("inner.zip", build([("x.txt", b"x")])), ("__MACOSX/._ok.txt", b"meta"),
                  ("broken.pdf", corpus_file("truncated.pdf")), ("empty.txt", b"")])

    lines = _lines(_import(world, data))

    assert lines["ok.txt"][0] == lines["dup/a.txt"][0] == "stored"
    assert lines["../escape.txt"] == ("refused", "a path that goes up (..) out of the archive")
    assert lines["/etc/passwd"] == ("refused", "an absolute path: entries must be relative")
    assert lines["C:\\boot.ini"][1] == "an absolute path: entries must be relative"
    assert lines["dup/A.txt"] == ("refused",
                                  "the same name twice in the archive: only the first is stored")
    assert lines["inner.zip"] == ("refused", "a ZIP inside the ZIP is not unpacked: import it on its own")
    assert lines["__MACOSX/._ok.txt"] == ("skipped", "the archiver's own metadata")
    assert lines["broken.pdf"][0] == "refused" and "damaged PDF" in lines["broken.pdf"][1]
    assert lines["empty.txt"] == ("refused", "is empty")
    assert [name for _, name in _tree(world)] == ["dup", "a.txt", "ok.txt"]


def test_a_symlink_is_refused_and_never_followed(world: World) -> None:
    lines = _lines(_import(world, with_symlink("passwd", "/etc/passwd", [("ok.txt", b"fine")])))

    assert lines == {"ok.txt": ("stored", ""),
                     "passwd": ("refused", "a symbolic link: links are not followed")}


def test_thousands_of_tiny_files_are_refused_before_anything_is_stored(world: World) -> None:
    data = build([(f"f{n}.txt", b"x") for n in range(MAX_ZIP_ENTRIES + 1)], compression=0)

    with changes_nothing(world), pytest.raises(InvalidInput) as refused:
        _import(world, data)

    assert refused.value.errors == {"file": f"holds more than {MAX_ZIP_ENTRIES} entries: split it "
                                            "into several archives"}


def test_an_end_record_that_understates_its_entries_is_counted_from_the_directory(world: World) -> None:
    data = bytearray(build([(f"f{n}.txt", b"x") for n in range(MAX_ZIP_ENTRIES + 1)], compression=0))
    end = data.rfind(b"PK\x05\x06")
    data[end + 8:end + 12] = (1).to_bytes(2, "little") * 2  # "one entry", says the archive

    with changes_nothing(world), pytest.raises(InvalidInput) as refused:
        _import(world, bytes(data))

    assert "entries" in refused.value.errors["file"]


def test_an_archive_after_a_preamble_is_read_as_zip_tools_read_it(world: World) -> None:
    lines = _lines(_import(world, b"#!/bin/sh\nexit 0\n" + build([("ok.txt", b"fine")])))

    assert lines == {"ok.txt": ("stored", "")}


def test_a_zip_bomb_is_refused_before_anything_is_stored(world: World) -> None:
    data = bomb(24 * 1024 * 1024)  # 24 MB of zeros in ~24 KB: over 100 times its size

    with changes_nothing(world), pytest.raises(InvalidInput) as refused:
        _import(world, data)

    assert "ZIP bomb" in refused.value.errors["file"]


def test_sizes_the_archive_declares_are_never_trusted(world: World) -> None:
    lying = bomb(2 * 1024 * 1024, declared=100)  # claims 100 bytes, holds 2 MB

    lines = _lines(_import(world, lying))

    assert lines["zeros.txt"][0] == "refused" and "cannot be read" in lines["zeros.txt"][1]
    assert _tree(world) == []


def test_a_file_over_the_upload_limit_is_refused_counting_its_bytes(world: World) -> None:
    report = uploads.import_zip(world.uow(), world.mia.id, io.BytesIO(bomb(2 * 1024 * 1024)), META,
                                limit=1024 * 1024)

    assert _lines(report) == {"zeros.txt": ("refused", f"is over the limit of {1024 * 1024} bytes")}


@pytest.mark.parametrize(("data", "message"), [
    (b"not a zip at all", "is not a ZIP archive we can read"),
    (b"PK\x03\x04" + b"\0" * 50, "is not a ZIP archive we can read"),
])
def test_what_is_not_a_zip_is_refused_naming_the_file(world: World, data: bytes,
                                                     message: str) -> None:
    with changes_nothing(world), pytest.raises(InvalidInput) as refused:
        _import(world, data)
    assert refused.value.errors == {"file": message}


def test_a_bulk_upload_stores_the_good_files_and_names_the_bad_ones(world: World) -> None:
    box = folders.create_folder(world.uow(), world.mia.id, "Drawings")
    files = [IncomingFile("a.png", io.BytesIO(corpus_file("valid.png")), "image/png"),
             IncomingFile("b.pdf", io.BytesIO(corpus_file("corrupt.pdf")), "application/pdf"),
             IncomingFile("c.pdf", io.BytesIO(b"x"), None, "is declared as application/pdf but ...")]

    report = uploads.upload_files(world.uow(), world.mia.id, files, META, folder_id=box.id)

    assert [(f.path, f.outcome) for f in report.files] == [
        ("a.png", Outcome.STORED), ("b.pdf", Outcome.REFUSED), ("c.pdf", Outcome.REFUSED)]
    assert _tree(world) == [("1", "Drawings"), ("1.1", "a.png")]


def test_bad_metadata_names_each_field_and_stores_nothing(world: World) -> None:
    with pytest.raises(InvalidInput) as bad:
        uploads.parse_metadata("secret", ["ok"], {"a.txt": {"topics": "x"}, "b": 3})

    assert set(bad.value.errors) == {"classification", "per_file.a.txt.topics", "per_file.b"}


def test_workbooks_and_decks_in_a_zip_are_typed_by_content_and_one_with_macros_is_refused_by_name(
    world: World,
) -> None:
    data = build([("Q3/figures.xlsx", corpus_file("valid.xlsx")),
                  ("Q3/review.pptx", corpus_file("valid.pptx")),
                  ("Q3/tools.xlsm", corpus_file("macros.xlsm")),
                  ("Q3/renamed.xlsx", corpus_file("macros-named.xlsx"))])

    report = _import(world, data)

    lines = _lines(report)
    types = {f.path: f.media_type for f in report.files}
    assert lines["Q3/figures.xlsx"][0] == lines["Q3/review.pptx"][0] == "stored"
    assert (types["Q3/figures.xlsx"], types["Q3/review.pptx"]) == (XLSX, PPTX)
    for name in ("Q3/tools.xlsm", "Q3/renamed.xlsx"):
        assert lines[name][0] == "refused"
        assert lines[name][1].startswith("is an Excel workbook with macros (XLSM)")
