"""Reads the standard terms shipped in the package (`sharebound/standard_terms/`)."""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files

from sharebound.domain.standard_terms import StandardTermsCatalog, catalog_from_index

FOLDER = "standard_terms"  # beside the package's modules, listed in pyproject package-data


def read_file(name: str) -> bytes:
    return files("sharebound").joinpath(FOLDER, name).read_bytes()


@cache
def shipped_catalog() -> StandardTermsCatalog:
    """The catalog of the installed package (read once: released files never change)."""
    return catalog_from_index(json.loads(read_file("index.json")), read_file)
