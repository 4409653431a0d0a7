"""Inviting a partner by email (docs/api.md, "Partner invitations").

Proposing a partnership may name email addresses of people not yet on the instance. Each
gets a link (`/join/<token>`) by email, through the outbox: the token is random, stored only
as its SHA-256 (the outbox row holds it sealed with the data key until the email is sent,
then drops it). The link is bound to its address and expires (SHAREBOUND_PARTNER_INVITATION_DAYS).

Following it, the person either creates an organization with that address as its first
admin's (open sign-up is not needed), or, when the address already has an account, signs in
and takes the proposal to their own organization. Either way the proposal then waits on the
organization's home for an admin to accept it.

Why the email is always sent, even to an address that has an account: telling the proposer
"this address has an account" would reveal who is on the instance. Only the person holding
the link learns it (they own the address), when they follow it.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from sharebound.domain.audit import partnership_log
from sharebound.domain.errors import Conflict, InvalidInput, NotFound
from sharebound.domain.events import (
    PartnerInvitationAccepted,
    PartnerInvitationRevoked,
    PartnerInvitationSent,
)
from sharebound.domain.ids import new_id
from sharebound.domain.orgs import Org, Person, Role
from sharebound.domain.outbox import Channel
from sharebound.domain.partner_invitations import InvitationState, PartnerInvitation
from sharebound.domain.partnerships import Partnership
from sharebound.domain.values import is_email, normalize_email
from sharebound.services.auth import BrowserSession, open_session_in
from sharebound.services.common import actor, record, require_role, visible_partnership
from sharebound.services.orgs import NewOrg, create_org_in
from sharebound.services.unit_of_work import UnitOfWork

TOKEN_PREFIX = "sbp_"
DEFAULT_DAYS = 7  # why: a week to read the email and set up; SHAREBOUND_PARTNER_INVITATION_DAYS
EMAIL_KIND = "partner_invitation"  # the outbox payload's kind: the worker renders the email
UNKNOWN = "This invitation link is not valid. Check that you copied the whole link from the email."


class InvitationUnusable(Conflict):
    """A real link that can no longer be taken: used, withdrawn or expired (its message says which)."""

    code = "invitation_unusable"
    status = 410
    title = "Invitation no longer valid"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def email_errors(emails: object, field: str = "invite_emails") -> tuple[list[str], dict[str, str]]:
    """The addresses, normalized and without repeats, or the error naming the field."""
    if not isinstance(emails, list | tuple) or not all(isinstance(e, str) for e in emails):
        return [], {field: "must list email addresses"}
    found = list(dict.fromkeys(normalize_email(e) for e in emails if e.strip()))
    bad = [e for e in found if not is_email(e)]
    if bad:
        return [], {field: f"not an email address: {', '.join(bad)[:200]}"}
    return found, {}


def invite_by_email_in(uow: UnitOfWork, proposer: Person, partnership: Partnership,
                       emails: Sequence[str], days: int) -> list[PartnerInvitation]:
    """Send each address its link, inside the proposal's transaction."""
    now = uow.clock()
    org = uow.orgs.get_org(proposer.org)
    made = []
    for email in emails:
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        invitation = PartnerInvitation(
            id=new_id("pin"), partnership_id=partnership.id, proposer=proposer.org, email=email,
            invited_by=proposer.id, created_at=now, expires_at=now + timedelta(days=days))
        uow.partner_invitations.add(invitation, _digest(token))
        record(uow, partnership_log(partnership.id), proposer.id, invitation.id,
               PartnerInvitationSent(expires_at=invitation.expires_at))
        sealed = uow.keys.seal_text(token, f"outbox.token:{invitation.id}") if uow.keys else token
        uow.outbox.add(id=new_id("obx"), channel=Channel.EMAIL, at=now, payload={
            "kind": EMAIL_KIND, "invitation": invitation.id, "to": email, "token": sealed,
            "proposer": org.name if org else proposer.org, "inviter": proposer.name,
            "partnership": partnership.name})
        made.append(invitation)
    return made


def token_of(uow: UnitOfWork, payload: dict[str, object]) -> str:
    """The link's token from an invitation email's outbox payload (the worker, at send time)."""
    stored = str(payload.get("token") or "")
    return uow.keys.open_text(stored, f"outbox.token:{payload.get('invitation')}") if uow.keys else stored


def list_invitations(uow: UnitOfWork, actor_id: str, partnership_id: str) -> list[PartnerInvitation]:
    """The invitations the actor's org sent for the partnership (another party sees none: the
    addresses are the proposer's business)."""
    with uow.reading():
        person = actor(uow, actor_id)
        visible_partnership(uow, person, partnership_id)
        return [i for i in uow.partner_invitations.of_partnership(partnership_id)
                if i.proposer == person.org]


def revoke_invitation(uow: UnitOfWork, actor_id: str, invitation_id: str) -> PartnerInvitation:
    """An admin of the proposing org withdraws a pending invitation: its link stops working."""
    with uow:
        admin = actor(uow, actor_id)
        found = uow.partner_invitations.get(invitation_id, lock=True)
        if found is None or found.proposer != admin.org:
            raise NotFound("partner invitation", invitation_id)
        require_role(admin, Role.ADMIN)
        now = uow.clock()
        state = found.state(now)
        if state is not InvitationState.PENDING:
            raise Conflict(f"the invitation is {state.value}: only a pending one can be revoked")
        uow.partner_invitations.revoke(found.id, admin.id, now)
        record(uow, partnership_log(found.partnership_id), admin.id, found.id, PartnerInvitationRevoked())
        uow.commit()
        revoked = uow.partner_invitations.get(found.id)
        assert revoked is not None
        return revoked


@dataclass(frozen=True)
class JoinView:
    """What the person holding a link sees before taking it."""

    invitation: PartnerInvitation
    partnership_name: str
    proposer: Org
    has_account: bool  # the address already has an account: sign in and take it to that org


def _usable(uow: UnitOfWork, token: object, *, lock: bool = False) -> PartnerInvitation:
    found = (uow.partner_invitations.by_hash(_digest(token), lock=lock)
             if isinstance(token, str) and token.startswith(TOKEN_PREFIX) else None)
    if found is None:
        raise NotFound("invitation", "given")  # why one answer: unknown and tampered look alike
    why = found.why_not_usable(uow.clock())
    if why is not None:
        raise InvitationUnusable(why)
    return found


def look_up(uow: UnitOfWork, token: str) -> JoinView:
    with uow.reading():
        found = _usable(uow, token)
        partnership = uow.partnerships.get(found.partnership_id)
        proposer = uow.orgs.get_org(found.proposer)
        assert partnership is not None and proposer is not None  # foreign keys
        return JoinView(invitation=found, partnership_name=partnership.name, proposer=proposer,
                        has_account=uow.orgs.get_person_by_email(found.email) is not None)


@dataclass(frozen=True)
class Joined:
    org: Org
    admin: Person
    partnership: Partnership
    session: BrowserSession


def join_with_new_org(uow: UnitOfWork, token: str, *, handle: str, name: str, admin_name: str,
                      password: str, legal_name: str | None = None, address: str | None = None,
                      session_hours: int = 12) -> Joined:
    """Create an org whose first admin has the invited address, put the proposal before it,
    and sign the admin in: all or nothing. Works with open sign-up off: the link is the permit."""
    with uow:
        found = _usable(uow, token, lock=True)
        draft = NewOrg.checked(handle=handle, name=name, admin_name=admin_name, admin_email=found.email,
                               admin_password=password, legal_name=legal_name, address=address)
        if uow.orgs.get_person_by_email(found.email) is not None:
            raise Conflict("this address already has an account: sign in, then follow the link again")
        org, admin = create_org_in(uow, draft)
        partnership = _take(uow, found, org.handle, actor_id=admin.id, new_org=True)
        session = open_session_in(uow, admin, session_hours)
        uow.commit()
    return Joined(org=org, admin=admin, partnership=partnership, session=session)


def join_with_account(uow: UnitOfWork, actor_id: str, token: str) -> Partnership:
    """A signed-in person whose address the link was sent to takes the proposal to their org."""
    with uow:
        person = actor(uow, actor_id)
        found = _usable(uow, token, lock=True)
        if person.email != found.email:
            raise InvalidInput({"token": "this invitation was sent to another address: sign in "
                                         "with the address it was sent to"})
        partnership = _take(uow, found, person.org, actor_id=person.id, new_org=False)
        uow.commit()
    return partnership


def _take(uow: UnitOfWork, found: PartnerInvitation, org: str, *, actor_id: str,
          new_org: bool) -> Partnership:
    partnership = uow.partnerships.get(found.partnership_id, lock=True)
    assert partnership is not None  # a foreign key
    if not partnership.has_member(org):
        partnership = partnership.invite(org)
        uow.partnerships.add_member(partnership, org)
    uow.partner_invitations.accept(found.id, org, uow.clock())
    record(uow, partnership_log(partnership.id), actor_id, found.id,
           PartnerInvitationAccepted(org=org, new_org=new_org))
    return partnership
