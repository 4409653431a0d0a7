"""Keyset pages in SQL: one page of a list costs one index range read, whatever comes
before it. Any repository adopts it with `keyset(query, sort_columns, request)` and cuts the
rows it returns with `domain.paging.cut`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, literal, tuple_

from sharebound.domain.errors import BadPageRequest
from sharebound.domain.paging import Key, PageRequest


def keyset(query: Select[Any], columns: Sequence[ColumnElement[Any]], request: PageRequest, *,
           newest_first: bool = True) -> Select[Any]:
    """`query` limited to the page `request` asks for, in the list's order on `columns`
    (newest first unless told otherwise), reading one row more than the page to tell
    whether more follow. A `before` page is read towards the top of the list (`cut` turns
    it back). A cursor whose key does not fit the columns is a `BadPageRequest`."""
    key = request.after if request.before is None else request.before
    descending = newest_first if request.before is None else not newest_first
    if key is not None:
        bound = tuple_(*[literal(value, column.type) for column, value in zip(columns, _fits(key, columns),
                                                                             strict=True)])
        row = tuple_(*columns)
        query = query.where(row < bound if descending else row > bound)
    order = [c.desc() if descending else c.asc() for c in columns]
    return query.order_by(*order).limit(request.limit + 1)


def _fits(key: Key, columns: Sequence[ColumnElement[Any]]) -> Key:
    if len(key) != len(columns) or not all(
            isinstance(value, column.type.python_type) for column, value in zip(columns, key, strict=True)):
        raise BadPageRequest({"after": "is not a cursor this list gave (take `next` from the previous page)"})
    return key
