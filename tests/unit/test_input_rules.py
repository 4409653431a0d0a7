"""One source for input rules: the API schemas derive their vocabularies and limits from the
domain."""

from __future__ import annotations

import ast
import importlib
import typing
from enum import StrEnum
from pathlib import Path

import pytest
from pydantic import BaseModel

from sharebound.domain import limits
from sharebound.domain.classification import CEILINGS, Classification
from sharebound.domain.messages import MAX_BODY
from sharebound.domain.orgs import Role
from sharebound.domain.partnerships import Purpose
from sharebound.domain.terms import MAX_TEXT, Action, Kind, RecipientMode, UnreadableFiles
from sharebound.web import schemas

request_api = importlib.import_module("sharebound.web.api.requests")  # the package names its router so
SCHEMA_FILES = [Path(schemas.__file__), Path(request_api.__file__)]
# why these: a list needs an entry or two, a count starts at 0 or 1; every other bound is a name
SMALL = {0, 1, 2}


def _bounds(path: Path) -> list[tuple[int, str, object]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Field":
            for keyword in node.keywords:
                if keyword.arg in {"max_length", "min_length", "le", "ge", "lt", "gt"}:
                    value = keyword.value
                    if isinstance(value, ast.Constant):
                        found.append((node.lineno, keyword.arg, value.value))
    return found


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_no_schema_writes_a_limit_as_a_number_instead_of_the_domain_s_name(path: Path) -> None:
    written = [(line, arg, value) for line, arg, value in _bounds(path) if value not in SMALL]

    assert written == []


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_no_schema_spells_out_a_vocabulary_the_domain_has_as_an_enum(path: Path) -> None:
    declared = [node for node in ast.parse(path.read_text()).body  # classes and aliases, not routes
                if not isinstance(node, ast.FunctionDef)]
    literals = [node.lineno for top in declared for node in ast.walk(top)
                if isinstance(node, ast.Subscript) and getattr(node.value, "id", "") == "Literal"]

    allowed = [_line_of(path, "CeilingName = Literal")] if path.name == "schemas.py" else []
    assert literals == allowed


def _line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def test_the_ceilings_the_api_takes_are_the_domain_s() -> None:
    assert typing.get_args(schemas.CeilingName) == tuple(c.value for c in CEILINGS)


def _limit(model: type[BaseModel], field: str, kind: str = "max_length") -> object:
    for meta in model.model_fields[field].metadata:
        if hasattr(meta, kind):
            return getattr(meta, kind)
    raise AssertionError(f"{model.__name__}.{field} has no {kind}")


def _choices(model: type[BaseModel], field: str) -> set[str]:
    annotation = model.model_fields[field].annotation
    while not (isinstance(annotation, type) and issubclass(annotation, StrEnum)):
        annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
    assert isinstance(annotation, type) and issubclass(annotation, StrEnum), annotation
    return {member.value for member in annotation}


@pytest.mark.parametrize(("model", "field", "expected"), [
    (schemas.NoteRequest, "title", limits.MAX_TITLE),
    (schemas.ItemPatch, "title", limits.MAX_TITLE),
    (request_api.RequestCreate, "title", limits.MAX_TITLE),
    (schemas.NoteRequest, "topics", limits.MAX_TOPICS),
    (schemas.NoteRequest, "body", limits.MAX_NOTE_BYTES),
    (schemas.DisclosureRequest, "note", limits.MAX_NOTE),
    (schemas.DisclosureRequest, "recipients", limits.MAX_RECIPIENTS),
    (schemas.DisclosureRequest, "actions", len(Action)),
    (schemas.PartnershipRequest, "invite", limits.MAX_INVITES),
    (schemas.Terms, "purpose", MAX_TEXT),
    (schemas.MessageRequest, "body", MAX_BODY),
    (schemas.SignupRequest, "handle", limits.MAX_HANDLE),
])
def test_each_limit_in_the_api_schemas_equals_the_domain_s(
    model: type[BaseModel], field: str, expected: int
) -> None:
    assert _limit(model, field) == expected


@pytest.mark.parametrize(("model", "field", "enum"), [
    (schemas.NoteRequest, "classification", Classification),
    (schemas.ItemPatch, "classification", Classification),
    (schemas.MessageRequest, "classification", Classification),
    (request_api.RequestCreate, "classification", Classification),
    (schemas.PersonRequest, "roles", Role),
    (schemas.RecipientsTerms, "roles", Role),
    (schemas.ScheduleTerms, "actions", Action),
    (schemas.PartnershipRequest, "purpose", Purpose),
    (schemas.Terms, "kind", Kind),
    (schemas.RecipientsTerms, "mode", RecipientMode),
    (schemas.ScheduleTerms, "unreadable_files", UnreadableFiles),
])
def test_each_vocabulary_in_the_api_schemas_is_the_domain_s(
    model: type[BaseModel], field: str, enum: type[StrEnum]
) -> None:
    assert _choices(model, field) == {member.value for member in enum}
