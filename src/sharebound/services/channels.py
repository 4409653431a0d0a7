"""Every channel by which one org's people write to another org passes one decision here.

Free text that the people of another org read (feed posts and replies; a request's title and
details, its decline reason and its answer's note; a proposed partnership's name; a signer's
title; termination and revocation reasons; a return certification) is information like any
other:

- before an agreement is in force, only public text may be sent;
- above public, the agreement in force and its ceiling apply (`decide_message`);
- at every level the content gate reads the text (crown-jewel terms, markings, secrets,
  copies of restricted items), each finding a `content` reason.

`clear_text` runs inside the caller's transaction and returns what covers the text, which the
caller stores beside it (as messages and requests do), or raises `Refused` with every reason.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from sharebound.domain.agreements import Agreement
from sharebound.domain.classification import Classification
from sharebound.domain.decisions import Decision, Reason
from sharebound.domain.errors import InvalidInput, Refused
from sharebound.domain.rules import decide_message
from sharebound.services import gate
from sharebound.services.unit_of_work import UnitOfWork

LEVELS = ", ".join(c.value for c in Classification)


@dataclass(frozen=True, slots=True)
class Cover:
    """What covers a text sent to a partner: its level, and the agreement in force (above public)."""

    classification: Classification
    agreement_id: str | None
    agreement_digest: str | None


PUBLIC = Cover(Classification.PUBLIC, None, None)


def level_of(value: object, field: str = "classification") -> Classification:
    """A classification named by the caller (default public), or a 422 naming the field."""
    if value is None or value == "":
        return Classification.PUBLIC
    try:
        return Classification(str(value))
    except ValueError:
        raise InvalidInput({field: f"must be one of {LEVELS}"}) from None


def clear_text(
    uow: UnitOfWork, *, org: str, partnership_id: str, texts: Sequence[tuple[str | None, str]],
    audience: Collection[str], level: Classification = Classification.PUBLIC,
    now: datetime | None = None,
) -> Cover:
    """May `org` send `texts` at `level` to the people of `audience` (orgs of the partnership)
    now? Each text is (label, text): a label names where a finding was ("the title"); None
    for a single text. Returns the cover, or raises `Refused` with every reason."""
    now = now or uow.clock()
    content = tuple(
        Reason("content", "content", f"in {label}, {f.message}" if label else f.message)
        for label, text in texts if text.strip()
        for f in gate.text_findings(uow, org, text, level))
    cover = PUBLIC
    if level is not Classification.PUBLIC:
        agreement, decision = _covering(uow, org, partnership_id, level, now, audience)
        if not decision.allowed:
            raise Refused(Decision(decision.reasons + content))
        version = agreement.in_force_version(now) if agreement else None
        assert agreement is not None and version is not None  # decide_message checked it
        cover = Cover(level, agreement.id, version.digest)
    if content:
        raise Refused(Decision(content))
    return cover


def still_covered(uow: UnitOfWork, agreement_id: str | None, now: datetime) -> bool:
    """Whether text sent under `agreement_id` may still be read (public text always may)."""
    if agreement_id is None:
        return True
    agreement = uow.agreements.get(agreement_id)
    return agreement is not None and agreement.is_in_force(now)


def _covering(
    uow: UnitOfWork, org: str, partnership_id: str, level: Classification, now: datetime,
    audience: Collection[str],
) -> tuple[Agreement | None, Decision]:
    """The newest agreement in force that allows the text, else the reasons of the newest one."""
    in_force = [a for a in uow.agreements.list_for_partnership(partnership_id) if a.is_in_force(now)]

    def decide(a: Agreement | None) -> Decision:
        return decide_message(org=org, classification=level, agreement=a, now=now, audience=audience)

    decisions: list[tuple[Agreement | None, Decision]] = [(a, decide(a)) for a in reversed(in_force)]
    decisions = decisions or [(None, decide(None))]
    return next(((a, d) for a, d in decisions if d.allowed), decisions[0])


def clear_public(uow: UnitOfWork, *, org: str, label: str, text: str) -> None:
    """Text another org reads outside any agreement (a proposal's name, a signer's title, a
    termination or revocation reason, a return certification): public, through the gate."""
    clear_text(uow, org=org, partnership_id="", texts=[(label, text)], audience=())
