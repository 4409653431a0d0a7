"""The domain is pure: no infrastructure imports and no reading of the clock."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import sharebound.domain

DOMAIN = Path(sharebound.domain.__file__).parent
FORBIDDEN_MODULES = frozenset({"sqlalchemy", "fastapi", "starlette", "alembic", "psycopg", "os", "time"})
CLOCK_READS = frozenset({"now", "utcnow", "today"})
CLOCK_OWNERS = frozenset({"datetime", "date"})


def impurities(source: str) -> list[str]:
    """What in this module's source reaches for infrastructure or the clock."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in FORBIDDEN_MODULES:
                    found.append(f"line {node.lineno}: import {alias.name}")
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level == 0 and module.split(".")[0] in FORBIDDEN_MODULES:
                found.append(f"line {node.lineno}: from {module} import ...")
            if module == "datetime":
                found.extend(f"line {node.lineno}: from datetime import {alias.name}"
                             for alias in node.names if alias.name in CLOCK_READS)
        elif isinstance(node, ast.Attribute) and node.attr in CLOCK_READS:
            owner = node.value
            name = owner.id if isinstance(owner, ast.Name) else getattr(owner, "attr", None)
            if name in CLOCK_OWNERS:
                found.append(f"line {node.lineno}: {name}.{node.attr}")
    return found


def domain_modules() -> list[Path]:
    return sorted(DOMAIN.glob("*.py"))


def test_the_domain_has_modules_to_check() -> None:
    names = {path.name for path in domain_modules()}

    assert {"terms.py", "agreements.py", "rules.py", "audit.py"} <= names


@pytest.mark.parametrize("path", domain_modules(), ids=lambda path: path.name)
def test_domain_module_imports_no_infrastructure_and_reads_no_clock(path: Path) -> None:
    assert impurities(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "source",
    [
        "import sqlalchemy",
        "import sqlalchemy.orm as orm",
        "from sqlalchemy.orm import Session",
        "from fastapi import FastAPI",
        "import starlette.requests",
        "import alembic",
        "import psycopg",
        "import os",
        "from os import environ",
        "import time",
        "from time import monotonic",
        "from datetime import datetime\nx = datetime.now()",
        "import datetime\nx = datetime.datetime.utcnow()",
        "from datetime import date\nx = date.today()",
        "import datetime as dt\nx = dt.date.today()",
        "from datetime import datetime\nclock = datetime.now",
    ],
)
def test_the_purity_check_catches_each_kind_of_impurity(source: str) -> None:
    assert impurities(source) != []


@pytest.mark.parametrize(
    "source",
    [
        "from datetime import UTC, date, datetime, time, timedelta",
        "import hashlib, json, re, uuid",
        "from sharebound.domain.values import start_of_day",
        "def f(now): return now.date()",
        "class Clock:\n    def now(self): ...",
    ],
)
def test_the_purity_check_lets_pure_code_pass(source: str) -> None:
    assert impurities(source) == []
