"""The command groups and the helpers every command of `sharebound` shares."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console
from rich.markup import escape

from sharebound import bootstrap
from sharebound.config import Settings
from sharebound.domain.errors import (
    InvalidInput,
    Refused,
    ShareboundError,
)
from sharebound.services.keys import KeyProblem

app = typer.Typer(help="Share with partners within the boundaries of the NDA you signed.",
                  no_args_is_help=True, add_completion=False)
org_app = typer.Typer(help="Organizations.", no_args_is_help=True)
person_app = typer.Typer(help="People.", no_args_is_help=True)
audit_app = typer.Typer(help="The audit log.", no_args_is_help=True)
blobs_app = typer.Typer(help="The blob store (the content of items).", no_args_is_help=True)
app.add_typer(org_app, name="org")
app.add_typer(person_app, name="person")
app.add_typer(audit_app, name="audit")
app.add_typer(blobs_app, name="blobs")
gate_app = typer.Typer(help="The content gate (what stops a disclosure's content).", no_args_is_help=True)
app.add_typer(gate_app, name="gate")
keys_app = typer.Typer(help="Encryption at rest: the key-encryption key (docs/encryption.md).",
                       no_args_is_help=True)
app.add_typer(keys_app, name="keys")
agreement_app = typer.Typer(help="Agreements: check an executed copy against the record.",
                            no_args_is_help=True)
app.add_typer(agreement_app, name="agreement")
scim_app = typer.Typer(help="SCIM provisioning tokens (docs/scim.md).", no_args_is_help=True)
app.add_typer(scim_app, name="scim")
sso_app = typer.Typer(help="Single sign-on of an org (docs/sso.md).", no_args_is_help=True)
app.add_typer(sso_app, name="sso")
export_app = typer.Typer(help="Export the disclosure register or the access report (docs/exports.md).",
                         no_args_is_help=True)
app.add_typer(export_app, name="export")

out = Console(markup=False)  # why: names, titles and emails are printed as typed, never as markup
err = Console(stderr=True)


def plain(value: object) -> str:
    """`value` as text for a message printed with markup (err): brackets in a name are shown."""
    return escape(str(value))


@contextmanager
def reported_errors() -> Iterator[None]:
    """Print a named error plainly and exit with its code; no traceback for expected errors."""
    try:
        yield
    except ShareboundError as error:
        if isinstance(error, InvalidInput):
            for field, message in error.errors.items():
                err.print(f"[red]error:[/red] {plain(field)}: {plain(message)}", highlight=False)
        elif isinstance(error, Refused):
            err.print("[red]refused:[/red]", highlight=False)
            for reason in error.decision.reasons:
                err.print(f"  {plain(reason.code)} ({plain(reason.term)}): {plain(reason.message)}",
                          highlight=False)
        else:
            err.print(f"[red]error:[/red] {plain(error)}", highlight=False)
        raise typer.Exit(error.exit_code) from None


def open_app(*, clean_incoming: bool = True) -> bootstrap.App:
    """The app for a command that needs the database, migrated to the newest schema; what
    the operator must know (a new key file to back up) is printed loudly."""
    try:
        core = bootstrap.init(Settings(), clean_incoming=clean_incoming)
    except KeyProblem as error:
        err.print(f"[red]error:[/red] {plain(error)}", highlight=False)
        raise typer.Exit(1) from None
    for notice in core.notices:
        err.print(f"[bold yellow]{plain(notice)}[/bold yellow]", highlight=False)
    return core


def password_from_stdin(from_stdin: bool) -> str | None:
    if not from_stdin:
        return None
    return sys.stdin.readline().rstrip("\n")
