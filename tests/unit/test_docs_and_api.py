"""Docs and code check each other; the library's public API is pinned."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

import sharebound
from sharebound.config import Settings

ROOT = Path(__file__).parents[2]


def test_every_setting_is_documented_with_its_environment_variable() -> None:
    documented = (ROOT / "docs" / "settings.md").read_text()

    missing = [name for name in Settings.model_fields
               if f"SHAREBOUND_{name.upper()}" not in documented]

    assert missing == []


def test_the_cli_reference_is_generated_from_the_cli_as_it_is() -> None:
    typer_cli = Path(sys.executable).parent / "typer"
    generated = subprocess.run(
        [str(typer_cli), "sharebound.cli", "utils", "docs", "--name", "sharebound"],
        capture_output=True, text=True, check=True).stdout

    assert (ROOT / "docs" / "cli-reference.md").read_text().strip() == generated.strip(), (
        "docs/cli-reference.md is stale: run `make docs`")


def test_the_public_api_is_exactly_this() -> None:
    assert sorted(sharebound.__all__) == [
        "AgreementTerms", "App", "Busy", "Classification", "Conflict", "Decision", "DigestMismatch",
        "DisclosureDraft", "InvalidInput", "InvalidTerms", "NotFound", "PermissionDenied",
        "RateLimited", "Reason", "Refused", "Settings", "ShareboundError", "Unauthenticated",
        "__version__", "build", "check_disclosure", "decide_access", "decide_disclosure", "disclose",
        "init", "parse_terms",
    ]
    assert all(hasattr(sharebound, name) for name in sharebound.__all__)


def test_the_changelog_has_an_unreleased_section() -> None:
    assert re.search(r"^## \[Unreleased\]", (ROOT / "CHANGELOG.md").read_text(), re.MULTILINE)


def test_every_api_route_is_in_the_api_guide() -> None:
    from sharebound.config import Settings
    from sharebound.web import create_app

    guide = (ROOT / "docs" / "api.md").read_text()
    spec = create_app(Settings(data_dir=Path("/nonexistent"))).openapi()
    routes = [f"{method.upper()} {path}" for path, ops in spec["paths"].items() for method in ops]

    assert [r for r in routes if f"`{r}`" not in guide] == []


@pytest.mark.parametrize("module", ["sharebound", "sharebound.domain.errors"])
def test_the_old_misspelt_error_name_still_works_for_one_version_and_warns(module: str) -> None:
    imported = importlib.import_module(module)

    with pytest.warns(DeprecationWarning, match="use ShareboundError"):
        old = imported.SharboundError

    assert old is sharebound.ShareboundError
    assert "SharboundError" not in sharebound.__all__


def test_every_error_carries_its_http_status_and_exit_code() -> None:
    from sharebound.domain import errors

    named = {cls.__name__: (cls.status, cls.exit_code) for cls in vars(errors).values()
             if isinstance(cls, type) and issubclass(cls, errors.ShareboundError)}

    assert named == {
        "ShareboundError": (400, 1), "InvalidInput": (422, 2), "InvalidTerms": (422, 2),
        "SecondFactorNeeded": (422, 2), "BadPageRequest": (400, 2), "BadSearchQuery": (400, 2),
        "NotFound": (404, 3),
        "PermissionDenied": (403, 4),
        "ReauthenticationRequired": (403, 4),
        "Conflict": (409, 5),
        "DigestMismatch": (409, 5), "Refused": (403, 6), "Unauthenticated": (401, 7),
        "SsoRequired": (401, 7), "SsoRefused": (401, 7), "RateLimited": (429, 8), "Busy": (503, 9),
        "DamagedRecord": (500, 10)}


def test_each_error_says_whether_a_form_shows_it_and_in_what_words() -> None:
    from sharebound.domain import errors
    from sharebound.domain.decisions import Decision, Reason

    refused = errors.Refused(Decision(reasons=(Reason("actions", "schedule.actions", "no download"),)))

    shown = {type(e).__name__: (e.on_form, e.why()) for e in (
        errors.InvalidInput({"title": "is required", "topics": "at most 20 topics"}),
        errors.Conflict("already signed"), errors.PermissionDenied("needs the signer role"), refused,
        errors.NotFound("item", "itm_1"), errors.Busy("busy"),
        errors.Unauthenticated("sign in"), errors.RateLimited("slow down", 30))}

    assert shown == {
        "InvalidInput": (True, "is required; at most 20 topics"),
        "Conflict": (True, "already signed"), "PermissionDenied": (True, "needs the signer role"),
        "Refused": (True, "no download"), "NotFound": (False, "item 'itm_1' not found"),
        "Busy": (False, "busy"), "Unauthenticated": (False, "sign in"),
        "RateLimited": (False, "slow down")}
