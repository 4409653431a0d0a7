"""The transparency log over HTTP (docs/transparency-log.md): the instance key, signed
checkpoints, leaves with their openings, inclusion and consistency proofs, for the log of a
partnership and of one's own org."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi import Path as FastPath
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel, ConfigDict, Field

from sharebound.domain.errors import InvalidInput
from sharebound.domain.limits import MAX_ID, MAX_LOG_ENTRIES, MAX_LOG_SIZE
from sharebound.services import transparency
from sharebound.web.deps import Core, Me, Uow

router = APIRouter(tags=["transparency log"])
well_known = APIRouter(tags=["transparency log"])

Index = Annotated[int, Query(ge=0, le=MAX_LOG_SIZE, description="A leaf index (0-based: seq - 1).")]
Size = Annotated[int, Query(ge=0, le=MAX_LOG_SIZE, description="A tree size (a number of leaves).")]
Count = Annotated[int, Query(ge=1, le=MAX_LOG_ENTRIES, description="How many leaves.")]
From = Annotated[int, Query(alias="from", ge=0, le=MAX_LOG_SIZE, description="The older tree size.")]
Disclosure = Annotated[str | None, Query(max_length=MAX_ID, description=(
    "A disclosure's id, instead of `index`: the proof for the event that made it."))]
NOTE = "text/plain; charset=utf-8"


class OpeningOut(BaseModel):
    salt: str = Field(description="The event's 32-byte salt, base64.")
    body: dict[str, Any] = Field(description="The event body (domain/audit.event_body).")


class EntryOut(BaseModel):
    index: int
    leaf: str | None = Field(description="The leaf bytes (canonical JSON), base64; null for a damaged row.")
    opening: OpeningOut | None = Field(description="Null when the caller's org may not see the event.")


class EntriesOut(BaseModel):
    size: int
    entries: list[EntryOut]


class InclusionOut(BaseModel):
    index: int
    size: int
    proof: list[str] = Field(description="RFC 9162 PATH(index, D[size]), base64 hashes.")
    disclosure: str | None = Field(default=None, description="Asked for by disclosure: its id.")
    seq: int | None = Field(default=None, description="Asked for by disclosure: the seq of the "
                                                      "event that made it (index + 1).")


class ConsistencyOut(BaseModel):
    model_config = ConfigDict(populate_by_name=True)
    from_: int = Field(alias="from")
    to: int
    proof: list[str] = Field(description="RFC 9162 PROOF(from, D[to]), base64 hashes.")


@well_known.get("/.well-known/sharebound-log-key", response_class=PlainTextResponse)
def log_key(app: Core) -> PlainTextResponse:
    """The instance's verifier key (signed-note vkey) that signs every log's checkpoints: pin it."""
    return PlainTextResponse(transparency.instance_key(app.log_key) + "\n", media_type=NOTE)


def _routes(kind: Literal["partnership", "org"], param: str) -> None:
    """The four GET routes of one kind of log; the path names its id `param`."""
    prefix = f"/{kind}s/{{{param}}}"

    def get_checkpoint(ident: str, me: Me, uow: Uow, app: Core) -> PlainTextResponse:
        """The log's latest checkpoint as a signed note (C2SP tlog-checkpoint, signed-note)."""
        return PlainTextResponse(transparency.checkpoint(uow, app.log_key, me.id, (kind, ident)),
                                 media_type=NOTE)

    def get_entries(ident: str, me: Me, uow: Uow, start: Index = 0, limit: Count = 100) -> Any:
        """Every leaf from `start`; each opened (salt and event body) if your org may see it."""
        return transparency.entries(uow, me.id, (kind, ident), start, limit)

    def get_inclusion(ident: str, me: Me, uow: Uow, index: Index | None = None,
                      size: Size | None = None, disclosure: Disclosure = None) -> Any:
        """The proof that leaf `index` is in the tree of `size` leaves; or, in a partnership's
        log, that the event which made `disclosure` is (`size` then defaults to the current)."""
        if disclosure is not None and index is None and kind == "partnership":
            return transparency.inclusion_of_disclosure(uow, me.id, ident, disclosure, size)
        if disclosure is not None:
            raise InvalidInput({"disclosure": "give either `index` and `size`, or `disclosure` "
                                              "(in a partnership's log), not both"
                                if index is not None else "only a partnership's log has disclosures"})
        if index is None or size is None:
            raise InvalidInput({"index" if index is None else "size":
                                "is required (or ask by `disclosure`, in a partnership's log)"})
        return transparency.inclusion(uow, me.id, (kind, ident), index, size)

    def get_consistency(ident: str, me: Me, uow: Uow, to: Size, from_: From) -> Any:
        """The proof that the tree of `from` leaves is a prefix of the tree of `to` leaves."""
        return transparency.consistency(uow, me.id, (kind, ident), from_, to)

    ident = Annotated[str, FastPath(alias=param, max_length=MAX_ID)]
    for route, path, answer in ((get_checkpoint, "checkpoint", None),
                                (get_entries, "entries", EntriesOut),
                                (get_inclusion, "proof/inclusion", InclusionOut),
                                (get_consistency, "proof/consistency", ConsistencyOut)):
        route.__annotations__["ident"] = ident  # why: the path's name differs between the kinds
        extra: dict[str, Any] = ({"response_class": PlainTextResponse} if answer is None
                                 else {"response_model": answer})
        router.get(f"{prefix}/log/{path}", name=f"{kind}_log_{route.__name__[4:]}", **extra)(route)


_routes("partnership", "partnership_id")
_routes("org", "handle")
