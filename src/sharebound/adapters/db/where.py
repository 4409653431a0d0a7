"""Conditions that read the same on SQLite and PostgreSQL but are cheaper written per database."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, Connection, any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY


def one_of(connection: Connection, column: ColumnElement[Any], values: Iterable[Any]) -> ColumnElement[bool]:
    """`column IN values`. On PostgreSQL, one array parameter (`column = ANY(%s)`): the
    statement's text is the same however many values it names, so SQLAlchemy renders it once
    and psycopg can prepare it, where `IN` renders a parameter per value on every execution
    (and a page of 50 ids outgrows psycopg's cache of parsed queries). SQLite keeps `IN`."""
    wanted = list(values)
    if connection.dialect.name == "postgresql":
        return column == any_(bindparam(None, wanted, type_=ARRAY(column.type)))
    return column.in_(wanted)
