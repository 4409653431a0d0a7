"""Once-only forms: a page's form carries a `form_id`, and a second submit of it (a double
click, a reload) goes where the first one led instead of acting twice.

A page writes the claim, the use case and the result in one transaction (`uow.held()`, see
web/pages/common.py `FormWork`): a second submit racing the first waits for it on the claim's
row (the write lock on SQLite), then finds where it led. Called on its own, a claim commits at
once; a claim left by a submit that failed half-way is taken again after `STALE_CLAIM`.
"""

from __future__ import annotations

from datetime import timedelta

from sharebound.domain.auth import FormClaim
from sharebound.services.unit_of_work import UnitOfWork

STALE_CLAIM = timedelta(seconds=30)  # why: far longer than any form takes, short enough to retry
FORM_ID_LENGTHS = range(8, 65)  # why: a random id of our own making; anything else is not once-only


def is_form_id(value: object) -> bool:
    return isinstance(value, str) and len(value) in FORM_ID_LENGTHS


def claim_form(uow: UnitOfWork, person_id: str, form_id: object) -> FormClaim | None:
    """Claim a form for this submit: None when the submit may go on (a new form, or a value
    that is no form id); otherwise the earlier claim of a double submit (its `result` is ""
    while the first submit is still being handled)."""
    if not isinstance(form_id, str) or not is_form_id(form_id):
        return None
    with uow:
        now = uow.clock()
        # A claim left by a submit that failed half-way is taken again after a while.
        if uow.auth.claim_form(form_id, person_id, now) or uow.auth.retake_form(
            form_id, person_id, now, stale_before=now - STALE_CLAIM
        ):
            uow.commit()
            return None
        found = uow.auth.form_claim(form_id)
    return found or FormClaim(form_id=form_id, person_id="", result="")


def finish_form(uow: UnitOfWork, form_id: object, result: str) -> None:
    """Remember where a claimed form led."""
    if not isinstance(form_id, str) or not is_form_id(form_id):
        return
    with uow:
        uow.auth.set_form_result(form_id, result)
        uow.commit()
