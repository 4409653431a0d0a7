"""`sharebound folder …` and `sharebound package disclose`, acting as a named person, run in
process against a real data folder (SQLite)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sharebound import bootstrap
from sharebound.cli import app
from sharebound.config import Settings
from sharebound.services import folders, items, packages
from tests.integration.world import World, build_world, changes_nothing, everything

runner = CliRunner()
MIA = "mia@acme.example"


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    monkeypatch.setenv("SHAREBOUND_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("SHAREBOUND_DATABASE_URL", raising=False)
    built = bootstrap.init(Settings())
    yield build_world(built)
    built.close()


def _run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def _tree(world: World) -> list[tuple[str, str]]:
    return [(r.number, r.name) for r in folders.library(world.uow(), world.mia.id).folder_rows()]


def _item(world: World, title: str, folder_id: str | None, classification: str = "internal") -> str:
    return items.add_item(world.uow(), world.mia.id, title=title, classification=classification,
                          topics=["thermal"], content=b"Drift under 0.2 K",
                          folder_id=folder_id).id


def test_folders_are_made_listed_moved_renamed_and_deleted_by_number(world: World) -> None:
    assert _run("folder", "create", "Specs", "--as", MIA)[0] == 0
    assert _run("folder", "create", "Reports", "--as", MIA)[0] == 0
    code, said = _run("folder", "create", "Thermal", "--in", "2", "--as", MIA)
    assert code == 0 and "created folder 2.1 Thermal" in said

    assert _run("folder", "move", "2", "--into", "1", "--as", MIA)[0] == 0
    assert _run("folder", "rename", "1.1", "Test reports", "--as", MIA)[0] == 0
    code, listed = _run("folder", "list", "--as", MIA)

    assert code == 0
    assert _tree(world) == [("1", "Specs"), ("1.1", "Test reports"), ("1.1.1", "Thermal")]
    assert "1 Specs/" in listed and "    1.1.1 Thermal/" in listed
    assert _run("folder", "move", "1.1.1", "--into", "root", "--as", MIA)[0] == 0
    assert _run("folder", "delete", "2", "--as", MIA)[0] == 0
    assert _tree(world) == [("1", "Specs"), ("1.1", "Test reports")]


def test_a_name_that_looks_like_markup_is_printed_as_typed(world: World) -> None:
    code, said = _run("folder", "create", "Drawings [bold] [red]v2", "--as", MIA)
    listed = _run("folder", "list", "--as", MIA)[1]
    again, refused = _run("folder", "create", "x" * 500, "--as", MIA)

    assert code == 0 and "Drawings [bold] [red]v2" in said
    assert "Drawings [bold] [red]v2/" in listed
    assert _tree(world) == [("1", "Drawings [bold] [red]v2")]
    assert again != 0 and "Traceback" not in refused


def test_a_folder_that_holds_something_is_not_deleted_and_nothing_changes(world: World) -> None:
    made = folders.create_folder(world.uow(), world.mia.id, "Specs")
    _item(world, "Datasheet", made.id)

    with changes_nothing(world):
        code, said = _run("folder", "delete", "1", "--as", MIA)

    assert code == 5 and "only an empty folder" in said


def test_an_unknown_folder_or_person_is_not_found(world: World) -> None:
    theirs = folders.create_folder(world.uow(), world.grace.id, "Globex only")

    with changes_nothing(world):
        assert _run("folder", "rename", "9", "X", "--as", MIA)[0] == 3
        assert _run("folder", "list", "--as", "nobody@nowhere.example")[0] == 3
        assert _run("folder", "delete", theirs.id, "--as", MIA)[0] == 3  # another org's: not found


def test_a_folder_is_disclosed_as_one_package(world: World) -> None:
    agreement = world.signed()
    specs = folders.create_folder(world.uow(), world.mia.id, "Specs")
    _item(world, "Datasheet", specs.id)
    _item(world, "Pinout", specs.id)

    code, said = _run("package", "disclose", "--agreement", agreement.id, "--folder", "1",
                      "--to", "gina@globex.example", "--action", "view", "--action", "download",
                      "--as", MIA)

    assert code == 0, said
    assert "2 items" in said and "1.1 Datasheet" in said
    package_id = said.split("(")[1].split(")")[0]
    view = packages.view_package(world.uow(), world.gina.id, package_id)
    assert sorted(r.disclosure.item_title for r in view.rows) == ["Datasheet", "Pinout"]


def test_a_package_with_a_refused_item_is_refused_whole_unless_allowed_only(world: World) -> None:
    agreement = world.signed()
    fine = _item(world, "Datasheet", None)
    jewel = _item(world, "Die layout", None, classification="restricted")
    args = ["package", "disclose", "--agreement", agreement.id, "--item", fine, "--item", jewel,
            "--to", "gina@globex.example", "--as", MIA]

    code, said = _run(*args)

    assert code == 6 and "ceiling" in said and "Die layout" in said
    assert everything(world)[1]["disclosures"] == [] and everything(world)[1]["packages"] == []

    code, said = _run(*args, "--allowed-only")
    assert code == 0, said
    assert "1 items" in said and "left out:" in said and "Die layout" in said


def test_bad_options_are_named(world: World) -> None:
    agreement = world.signed()

    code, said = _run("package", "disclose", "--agreement", agreement.id, "--to",
                      "gina@globex.example", "--as", MIA)
    assert code == 2 and "item_ids" in said
    code, said = _run("package", "disclose", "--agreement", agreement.id, "--item", "itm_x",
                      "--to", "gina@globex.example", "--expires", "soon", "--as", MIA)
    assert code == 2 and "expires" in said
