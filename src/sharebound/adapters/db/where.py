"""Conditions that read the same on SQLite and PostgreSQL but are cheaper written per database,
and the statements the hot reads run, built once per process.

Building a statement and working out its cache key cost SQLAlchemy about as much as running
it (about 170 of 280 microseconds for an API request's token lookup on PostgreSQL): the reads
every request makes are built once (`@cache`, one per database kind) with named parameters (`bindparam`),
and run with the values (`connection.execute(statement, {"name": value})`).
"""

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


def in_list(dialect: str, column: ColumnElement[Any], name: str) -> ColumnElement[bool]:
    """`column IN :name` for a statement built once (`one_of`'s condition, its list given at
    execution under `name`): one array parameter on PostgreSQL, an expanding one on SQLite."""
    if dialect == "postgresql":
        return column == any_(bindparam(name, type_=ARRAY(column.type)))
    return column.in_(bindparam(name, expanding=True))
