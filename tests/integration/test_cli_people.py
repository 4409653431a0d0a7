"""The command line's offboarding and SCIM token commands, in process against a real data
folder (SQLite)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from sharebound.cli import app

runner = CliRunner()


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "var"
    monkeypatch.setenv("SHAREBOUND_DATA_DIR", str(folder))
    monkeypatch.delenv("SHAREBOUND_DATABASE_URL", raising=False)
    assert runner.invoke(app, ["org", "create", "acme", "--name", "Acme", "--admin-name", "Alice",
                               "--admin-email", "alice@acme.example"]).exit_code == 0
    assert runner.invoke(app, ["person", "add", "--org", "acme", "--name", "Sam",
                               "--email", "sam@acme.example", "--role", "member"]).exit_code == 0
    return folder


def test_the_operator_deactivates_reactivates_and_erases_a_person(data_dir: Path) -> None:
    early_erase = runner.invoke(app, ["person", "erase", "sam@acme.example"])
    off = runner.invoke(app, ["person", "deactivate", "SAM@acme.example"])
    on = runner.invoke(app, ["person", "reactivate", "sam@acme.example"])
    runner.invoke(app, ["person", "deactivate", "sam@acme.example"])
    erased = runner.invoke(app, ["person", "erase", "sam@acme.example"])
    gone = runner.invoke(app, ["person", "reactivate", "sam@acme.example"])

    assert early_erase.exit_code != 0 and "deactivate them first" in early_erase.output
    assert off.exit_code == 0 and "deactivated sam@acme.example of acme" in off.output
    assert on.exit_code == 0 and "reactivated sam@acme.example" in on.output
    assert erased.exit_code == 0 and "'former member'" in erased.output
    assert gone.exit_code != 0  # nobody has that email any more


def test_the_last_admin_cannot_be_deactivated_from_the_command_line(data_dir: Path) -> None:
    result = runner.invoke(app, ["person", "deactivate", "alice@acme.example"])

    assert result.exit_code != 0 and "last active admin" in result.output


def test_the_operator_makes_and_revokes_a_scim_token(data_dir: Path) -> None:
    made = runner.invoke(app, ["scim", "token-create", "acme", "--name", "Okta"])
    token_id = made.output.split()[2]
    unknown_org = runner.invoke(app, ["scim", "token-create", "nope", "--name", "Okta"])
    revoked = runner.invoke(app, ["scim", "token-revoke", "acme", token_id])

    assert made.exit_code == 0 and "sbscim_" in made.output and token_id.startswith("sct_")
    assert unknown_org.exit_code != 0
    assert revoked.exit_code == 0 and f"revoked {token_id}" in revoked.output
