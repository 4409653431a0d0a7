"""Commands for organizations and people: accounts, SCIM tokens, second factors and single sign-on."""

from __future__ import annotations

from typing import Annotated

import typer

from sharebound import bootstrap
from sharebound.cli.base import (
    open_app,
    org_app,
    out,
    password_from_stdin,
    person_app,
    reported_errors,
    scim_app,
    sso_app,
)
from sharebound.services import (
    auth,
    orgs,
    people,
    scim_tokens,
    second_factors,
    sso,
)


@org_app.command("create")
def org_create(
    handle: Annotated[str, typer.Argument(help="Unique, permanent handle, e.g. acme.")],
    name: Annotated[str, typer.Option(help="The organization's name.")],
    admin_name: Annotated[str, typer.Option(help="The first admin's name.")],
    admin_email: Annotated[str, typer.Option(help="The first admin's email (their login).")],
    password_stdin: Annotated[bool, typer.Option(
        help="Read the admin's password from standard input (at least 12 characters).")] = False,
    legal_name: Annotated[str | None, typer.Option(
        help="The legal name, as an agreement's cover page names the party.")] = None,
    address: Annotated[str | None, typer.Option(help="The postal address, on one line.")] = None,
) -> None:
    """Create an organization and its first admin, who holds the admin, signer and member roles."""
    core = open_app()
    password = password_from_stdin(password_stdin)
    with reported_errors():
        org, admin = orgs.create_org(core.uow(), handle=handle, name=name, admin_name=admin_name,
                                     admin_email=admin_email, admin_password=password,
                                     legal_name=legal_name, address=address)
    out.print(f"created {org.handle} ({org.name}); admin {admin.email} id {admin.id}")
    if password is None:
        _print_invitation(core, auth.invite_again(core.uow(), None, admin.id))


@person_app.command("add")
def person_add(
    org: Annotated[str, typer.Option(help="The organization's handle.")],
    name: Annotated[str, typer.Option(help="The person's name.")],
    email: Annotated[str, typer.Option(help="The person's email (their login).")],
    role: Annotated[list[str], typer.Option(help="admin, signer or member; repeat for several.")],
    password_stdin: Annotated[bool, typer.Option(
        help="Read the password from standard input (at least 12 characters).")] = False,
) -> None:
    """Add a person to an organization (as the operator)."""
    core = open_app()
    with reported_errors():
        new = orgs.NewPerson.checked(org=org, name=name, email=email, roles=role,
                                     password=password_from_stdin(password_stdin))
        person, invitation = auth.invite_person(core.uow(), None, new)
    out.print(f"added {person.email} to {person.org} as {', '.join(sorted(person.roles))}; id {person.id}")
    if invitation is not None:
        _print_invitation(core, invitation)


@person_app.command("deactivate")
def person_deactivate(email: Annotated[str, typer.Argument(help="The person's email.")]) -> None:
    """Deactivate a person: their sessions and tokens end at once; nobody may disclose to them."""
    core = open_app()
    with reported_errors():
        person = people.deactivate_person(core.uow(), None, people.find_person(core.uow(), email).id)
    out.print(f"deactivated {person.email} of {person.org}")


@person_app.command("reactivate")
def person_reactivate(email: Annotated[str, typer.Argument(help="The person's email.")]) -> None:
    """Reactivate a deactivated person; they sign in again."""
    core = open_app()
    with reported_errors():
        person = people.reactivate_person(core.uow(), None, people.find_person(core.uow(), email).id)
    out.print(f"reactivated {person.email} of {person.org}")


@person_app.command("erase")
def person_erase(email: Annotated[str, typer.Argument(help="The deactivated person's email.")]) -> None:
    """Erase a deactivated person's name and email (docs/people.md says what is kept)."""
    core = open_app()
    with reported_errors():
        person = people.erase_person(core.uow(), email)
    out.print(f"erased: {person.id} is now {person.name!r} <{person.email}>")


@scim_app.command("token-create")
def scim_token_create(
    org: Annotated[str, typer.Argument(help="The organization's handle.")],
    name: Annotated[str, typer.Option(help="What the token is for, e.g. the identity provider.")],
) -> None:
    """Make a SCIM token for an organization; it is printed once."""
    core = open_app()
    with reported_errors():
        issued = scim_tokens.create_scim_token(core.uow(), None, org, name)
    out.print(f"SCIM token {issued.record.id} for {org} (shown once):\n{issued.token}", highlight=False)


@scim_app.command("token-revoke")
def scim_token_revoke(
    org: Annotated[str, typer.Argument(help="The organization's handle.")],
    token_id: Annotated[str, typer.Argument(help="The token's id (sct_...).")],
) -> None:
    """Revoke a SCIM token at once."""
    core = open_app()
    with reported_errors():
        scim_tokens.revoke_scim_token(core.uow(), None, org, token_id)
    out.print(f"revoked {token_id}")


@person_app.command("reset-second-factors")
def person_reset_second_factors(
    email: Annotated[str, typer.Argument(help="The person's email.")],
) -> None:
    """Remove every second factor of a person who lost them (phone, passkeys and recovery
    codes), as the operator; their sessions end and their tokens are revoked."""
    core = open_app()
    with reported_errors():
        person = second_factors.reset_factors(core.uow(), None, email=email)
    out.print(f"removed every second factor of {person.email}; they sign in with their password "
              "and set up a new one")


def _print_invitation(core: bootstrap.App, token: str) -> None:
    link = f"{core.settings.base_url.rstrip('/')}/invitations/accept?token={token}"
    out.print(f"no password yet: send them this link (valid 7 days) to set one:\n{link}",
              highlight=False, soft_wrap=True)


@sso_app.command("remove")
def sso_remove(handle: str = typer.Argument(help="The org whose single sign-on to turn off.")) -> None:
    """Turn an org's single sign-on off (its provider is gone and nobody can sign in): its
    people sign in with passwords again (those without one need an invitation)."""
    core = open_app()
    with reported_errors():
        sso.remove(core.uow(), None, handle)
    out.print(f"single sign-on of {handle} is off", highlight=False)
