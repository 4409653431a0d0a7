"""The command line, run in process against a real data folder (SQLite)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from sharebound.cli import app

runner = CliRunner()


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "var"
    monkeypatch.setenv("SHAREBOUND_DATA_DIR", str(folder))
    monkeypatch.delenv("SHAREBOUND_DATABASE_URL", raising=False)
    return folder


def test_init_needs_no_arguments_and_can_run_twice(data_dir: Path) -> None:
    first = runner.invoke(app, ["init"])
    second = runner.invoke(app, ["init"])

    assert (first.exit_code, second.exit_code) == (0, 0)
    assert (data_dir / "sharebound.db").exists() and (data_dir / "blobs").is_dir()


def test_demo_then_audit_verify_succeeds_and_a_second_demo_changes_nothing(data_dir: Path) -> None:
    demo = runner.invoke(app, ["demo"])
    again = runner.invoke(app, ["demo"])
    verify = runner.invoke(app, ["audit", "verify"])

    assert demo.exit_code == 0, demo.output
    assert "alice@acme.example" in demo.output and "ceiling (schedule.ceiling)" in demo.output
    assert "already there" in again.output
    assert verify.exit_code == 0 and "every chain intact" in verify.output


def test_audit_verify_fails_naming_the_altered_event(data_dir: Path) -> None:
    runner.invoke(app, ["demo"])
    engine = create_engine(f"sqlite:///{data_dir / 'sharebound.db'}")
    with engine.begin() as connection:
        connection.execute(text("DROP TRIGGER events_no_update"))
        connection.execute(text(
            "UPDATE events SET kind = 'person_removed' WHERE log = 'org:globex' AND seq = 2"))
    engine.dispose()

    result = runner.invoke(app, ["audit", "verify"])

    assert result.exit_code == 1
    assert "log org:globex, event 2: its content does not match its hash" in result.output


def test_org_create_and_person_add_name_what_is_wrong_with_exit_codes(data_dir: Path) -> None:
    bad_handle = runner.invoke(app, ["org", "create", "Not A Handle", "--name", "X",
                                     "--admin-name", "A", "--admin-email", "a@x.example"])
    created = runner.invoke(app, ["org", "create", "acme", "--name", "Acme", "--admin-name", "Alice",
                                  "--admin-email", "alice@acme.example", "--password-stdin"],
                            input="a long enough secret\n")
    taken = runner.invoke(app, ["org", "create", "acme", "--name", "Acme", "--admin-name", "Al",
                                "--admin-email", "al@acme.example"])
    unknown_org = runner.invoke(app, ["person", "add", "--org", "nope", "--name", "B",
                                      "--email", "b@x.example", "--role", "member"])
    added = runner.invoke(app, ["person", "add", "--org", "acme", "--name", "Bo",
                                "--email", "bo@acme.example", "--role", "member", "--role", "signer"])

    assert bad_handle.exit_code == 2 and "handle:" in bad_handle.output
    assert created.exit_code == 0, created.output
    assert taken.exit_code == 5 and "taken" in taken.output
    assert unknown_org.exit_code == 3
    assert added.exit_code == 0 and "member, signer" in added.output
    assert "/invitations/accept?token=sbi_" in added.output  # no password: an invitation to set one
