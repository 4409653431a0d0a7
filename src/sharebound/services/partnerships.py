"""Partnerships: propose, accept, look up."""

from __future__ import annotations

from collections.abc import Sequence

from sharebound.domain.audit import partnership_log
from sharebound.domain.errors import InvalidInput
from sharebound.domain.events import PartnershipAccepted, PartnershipProposed
from sharebound.domain.ids import new_id
from sharebound.domain.limits import MAX_INVITES
from sharebound.domain.orgs import Person, Role
from sharebound.domain.paging import FIRST_PAGE, Page, PageRequest
from sharebound.domain.partnerships import Membership, Partnership, Purpose
from sharebound.domain.values import is_handle
from sharebound.services import channels, partner_invitations
from sharebound.services.common import actor, record, require_role, required_text, visible_partnership
from sharebound.services.unit_of_work import UnitOfWork

INVITE_ERROR = (f"must list 1 to {MAX_INVITES} organization handles, or email addresses in "
                f"invite_emails (1 to {MAX_INVITES} in all)")


def propose_partnership(
    uow: UnitOfWork, actor_id: str, *, name: str, purpose: str, invite: Sequence[str],
    invite_emails: Sequence[str] = (), invitation_days: int = partner_invitations.DEFAULT_DAYS,
) -> Partnership:
    """An admin's org proposes a partnership to one or more other orgs: by their handles, or
    by email addresses of people not on the instance yet (services/partner_invitations.py)."""
    errors = {}
    try:
        title = required_text("name", name, 200)
    except InvalidInput as bad:
        errors.update(bad.errors)
    if purpose not in {p.value for p in Purpose}:
        errors["purpose"] = f"must be one of {', '.join(p.value for p in Purpose)}"
    handles = list(dict.fromkeys(invite)) if isinstance(invite, list | tuple) else None
    emails, bad_emails = partner_invitations.email_errors(list(invite_emails) if isinstance(
        invite_emails, list | tuple) else invite_emails)
    errors.update(bad_emails)
    if (handles is None or not all(is_handle(h) for h in handles)
            or (not bad_emails and not 1 <= len(handles) + len(emails) <= MAX_INVITES)):
        errors["invite"] = INVITE_ERROR
    if errors:
        raise InvalidInput(errors)
    assert handles is not None
    with uow:
        proposer = actor(uow, actor_id)
        require_role(proposer, Role.ADMIN)
        if proposer.org in handles:
            raise InvalidInput({"invite": "invite other organizations, not your own"})
        unknown = [h for h in handles if uow.orgs.get_org(h) is None]
        if unknown:
            raise InvalidInput({"invite": f"no organization {', '.join(unknown)}"})
        # The invited orgs read the name before any NDA: public text, through the gate.
        channels.clear_public(uow, org=proposer.org, label="the name", text=title)
        now = uow.clock()
        partnership = Partnership(
            id=new_id("prt"), name=title, purpose=Purpose(purpose), proposer=proposer.org,
            members=(Membership(proposer.org, now), *(Membership(h, None) for h in handles)),
            created_at=now,
        )
        uow.partnerships.add(partnership)
        record(uow, partnership_log(partnership.id), proposer.id, partnership.id,
               PartnershipProposed(orgs=tuple(partnership.orgs), purpose=purpose))
        partner_invitations.invite_by_email_in(uow, proposer, partnership, emails, invitation_days)
        uow.commit()
    return partnership


def accept_partnership(uow: UnitOfWork, actor_id: str, partnership_id: str) -> Partnership:
    with uow:
        admin = actor(uow, actor_id)
        partnership = visible_partnership(uow, admin, partnership_id, lock=True)
        require_role(admin, Role.ADMIN)
        partnership = partnership.accept(admin.org, uow.clock())
        uow.partnerships.save_acceptance(partnership, admin.org)
        record(uow, partnership_log(partnership.id), admin.id, partnership.id,
               PartnershipAccepted(org=admin.org, status=partnership.status.value))
        uow.commit()
    return partnership


def get_partnership(uow: UnitOfWork, actor_id: str, partnership_id: str) -> Partnership:
    with uow.reading():
        return visible_partnership(uow, actor(uow, actor_id), partnership_id)


def list_partnerships(uow: UnitOfWork, actor_id: str, request: PageRequest = FIRST_PAGE) -> Page[Partnership]:
    """One page of the partnerships of the actor's org (proposed, invited or accepted), oldest
    first, read in SQL."""
    with uow.reading():
        return uow.partnerships.page_for_org(actor(uow, actor_id).org, request)


def every_partnership(uow: UnitOfWork, actor_id: str) -> list[Partnership]:
    """Every partnership of the actor's org, oldest first (what a form offers to choose from)."""
    with uow.reading():
        return uow.partnerships.list_for_org(actor(uow, actor_id).org)


def partner_people(uow: UnitOfWork, actor_id: str, partnership_id: str) -> list[Person]:
    """The people of the other organizations that accepted the partnership: who may be a recipient.

    An org that was only invited shows nobody: being invited lets no one see its people.
    """
    with uow.reading():
        person = actor(uow, actor_id)
        return partner_people_in(uow, person, visible_partnership(uow, person, partnership_id,
                                                                  accepted=True))


def partner_people_in(uow: UnitOfWork, person: Person, partnership: Partnership) -> list[Person]:
    """`partner_people` inside a transaction the caller owns (deactivated people are left out:
    nobody may name them a recipient)."""
    return [p for org in partnership.orgs if org != person.org and partnership.has_accepted(org)
            for p in uow.orgs.people_of(org, active_only=True)]
