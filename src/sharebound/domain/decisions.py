"""A decision of the rules: allowed, or refused with every failing reason."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Reason:
    """One failing check: a stable `code`, the `term` it comes from, and a sentence."""

    code: str
    term: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "term": self.term, "message": self.message}


@dataclass(frozen=True, slots=True)
class Decision:
    reasons: tuple[Reason, ...] = ()
    #: True when the subject must answer as if it did not exist (no reasons are shown).
    not_found: bool = False

    @property
    def allowed(self) -> bool:
        return not self.reasons and not self.not_found

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(reason.code for reason in self.reasons)


ALLOWED = Decision()
NOT_FOUND = Decision(not_found=True)
