"""The shared `metadata` (with its naming convention) and the column sizes every table uses."""


from __future__ import annotations

from sqlalchemy import (
    MetaData,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

ID = 40  # why: a 3-4 letter prefix, "_" and 32 hex digits
HANDLE = 40
DIGEST = 64
