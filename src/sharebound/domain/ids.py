"""Identifiers: a short prefix naming the kind, then 128 random bits.

Random, so that an id reveals nothing about how many of a thing another tenant has.
"""

from __future__ import annotations

import uuid


def new_id(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex}"
