"""The `sharebound` command: thin commands that call the use cases."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from sharebound import bootstrap
from sharebound import worker as worker_process
from sharebound.config import Settings
from sharebound.domain.errors import (
    Conflict,
    InvalidInput,
    NotFound,
    Refused,
    ShareboundError,
)
from sharebound.domain.exports import ExportKind, parse_ask
from sharebound.services import (
    audit,
    auth,
    blobs,
    executed,
    exports,
    gate,
    keys,
    orgs,
    people,
    scim_tokens,
    second_factors,
    sso,
    trace,
)
from sharebound.services.keys import KeyProblem
from sharebound.services.worker import run_pass

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

out = Console()
err = Console(stderr=True)


@contextmanager
def _errors() -> Iterator[None]:
    """Print a named error plainly and exit with its code; no traceback for expected errors."""
    try:
        yield
    except ShareboundError as error:
        if isinstance(error, InvalidInput):
            for field, message in error.errors.items():
                err.print(f"[red]error:[/red] {field}: {message}", highlight=False)
        elif isinstance(error, Refused):
            err.print("[red]refused:[/red]", highlight=False)
            for reason in error.decision.reasons:
                err.print(f"  {reason.code} ({reason.term}): {reason.message}", highlight=False)
        else:
            err.print(f"[red]error:[/red] {error}", highlight=False)
        raise typer.Exit(error.exit_code) from None


def _app(*, clean_incoming: bool = True) -> bootstrap.App:
    """The app for a command that needs the database, migrated to the newest schema; what
    the operator must know (a new key file to back up) is printed loudly."""
    try:
        core = bootstrap.init(Settings(), clean_incoming=clean_incoming)
    except KeyProblem as error:
        err.print(f"[red]error:[/red] {error}", highlight=False)
        raise typer.Exit(1) from None
    for notice in core.notices:
        err.print(f"[bold yellow]{notice}[/bold yellow]", highlight=False)
    return core


def _password(from_stdin: bool) -> str | None:
    if not from_stdin:
        return None
    return sys.stdin.readline().rstrip("\n")


@app.command()
def init() -> None:
    """Create the data folder and migrate the database (idempotent; needs no arguments).

    On the upgrade that adds the content gate, restricted items are fingerprinted. On a fresh
    install it makes the key-encryption key file (DATA_DIR/sharebound.key, 0600): back it up
    apart from the data. Upload files left by a killed server are removed.
    """
    settings = Settings()
    core = _app()
    out.print(f"ready: data in {settings.data_dir.resolve()}, "
              f"database {core.engine.url.render_as_string(hide_password=True)}")
    core.close()


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
    core = _app()
    password = _password(password_stdin)
    with _errors():
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
    core = _app()
    with _errors():
        new = orgs.NewPerson.checked(org=org, name=name, email=email, roles=role,
                                     password=_password(password_stdin))
        person, invitation = auth.invite_person(core.uow(), None, new)
    out.print(f"added {person.email} to {person.org} as {', '.join(sorted(person.roles))}; id {person.id}")
    if invitation is not None:
        _print_invitation(core, invitation)


@person_app.command("deactivate")
def person_deactivate(email: Annotated[str, typer.Argument(help="The person's email.")]) -> None:
    """Deactivate a person: their sessions and tokens end at once; nobody may disclose to them."""
    core = _app()
    with _errors():
        person = people.deactivate_person(core.uow(), None, people.find_person(core.uow(), email).id)
    out.print(f"deactivated {person.email} of {person.org}")


@person_app.command("reactivate")
def person_reactivate(email: Annotated[str, typer.Argument(help="The person's email.")]) -> None:
    """Reactivate a deactivated person; they sign in again."""
    core = _app()
    with _errors():
        person = people.reactivate_person(core.uow(), None, people.find_person(core.uow(), email).id)
    out.print(f"reactivated {person.email} of {person.org}")


@person_app.command("erase")
def person_erase(email: Annotated[str, typer.Argument(help="The deactivated person's email.")]) -> None:
    """Erase a deactivated person's name and email (docs/people.md says what is kept)."""
    core = _app()
    with _errors():
        person = people.erase_person(core.uow(), email)
    out.print(f"erased: {person.id} is now {person.name!r} <{person.email}>")


@scim_app.command("token-create")
def scim_token_create(
    org: Annotated[str, typer.Argument(help="The organization's handle.")],
    name: Annotated[str, typer.Option(help="What the token is for, e.g. the identity provider.")],
) -> None:
    """Make a SCIM token for an organization; it is printed once."""
    core = _app()
    with _errors():
        issued = scim_tokens.create_scim_token(core.uow(), None, org, name)
    out.print(f"SCIM token {issued.record.id} for {org} (shown once):\n{issued.token}", highlight=False)


@scim_app.command("token-revoke")
def scim_token_revoke(
    org: Annotated[str, typer.Argument(help="The organization's handle.")],
    token_id: Annotated[str, typer.Argument(help="The token's id (sct_...).")],
) -> None:
    """Revoke a SCIM token at once."""
    core = _app()
    with _errors():
        scim_tokens.revoke_scim_token(core.uow(), None, org, token_id)
    out.print(f"revoked {token_id}")


@person_app.command("reset-second-factors")
def person_reset_second_factors(
    email: Annotated[str, typer.Argument(help="The person's email.")],
) -> None:
    """Remove every second factor of a person who lost them (phone, passkeys and recovery
    codes), as the operator; their sessions end and their tokens are revoked."""
    core = _app()
    with _errors():
        person = second_factors.reset_factors(core.uow(), None, email=email)
    out.print(f"removed every second factor of {person.email}; they sign in with their password "
              "and set up a new one")


def _print_invitation(core: bootstrap.App, token: str) -> None:
    link = f"{core.settings.base_url.rstrip('/')}/invitations/accept?token={token}"
    out.print(f"no password yet: send them this link (valid 7 days) to set one:\n{link}",
              highlight=False, soft_wrap=True)


@app.command()
def demo() -> None:
    """Create a fictional demo instance (three orgs, NDAs, items, disclosures) if there is none."""
    from sharebound.demo import DEMO_PASSWORD, build_demo

    core = _app()
    with Progress(console=err, transient=True) as progress:
        task = progress.add_task("demo", total=6)

        def step(what: str) -> None:
            progress.update(task, description=what, advance=1)

        with _errors():
            report = build_demo(core, step)
    out.print("created the demo instance" if report.created else "the demo instance is already there")
    table = Table("org", "login", "roles", title=f"Demo logins (password: {DEMO_PASSWORD})")
    for handle, email, roles in report.logins:
        table.add_row(handle, email, roles)
    out.print(table)
    if report.refusal:
        out.print("A refused attempt, as the rules explained it:")
        for line in report.refusal:
            out.print(f"  {line}", highlight=False)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Processes; each is stateless.")] = 1,
) -> None:
    """Serve the web app and the JSON API (migrating the database first).

    Limits (docs/settings.md): request heads must arrive within SHAREBOUND_HEADER_TIMEOUT_SECONDS;
    past SHAREBOUND_MAX_CONNECTIONS new requests get 503; the open-files limit is raised."""
    from sharebound.web.server import serve as run_server

    core = _app()
    core.close()
    out.print(f"serving on http://{host}:{port} (API docs: http://{host}:{port}/api/docs)")
    run_server(core.settings, host=host, port=port, workers=workers)


@app.command()
def worker(
    once: Annotated[bool, typer.Option(help="Run one pass and exit (for tests and cron).")] = False,
    name: Annotated[str | None, typer.Option(
        help="This worker's name in the outbox's claims; default host:pid.")] = None,
) -> None:
    """Deliver the outbox (emails, webhooks) and run the schedules (reminders, digests).

    Runs a pass every SHAREBOUND_WORKER_POLL_SECONDS until stopped (Ctrl-C). On PostgreSQL
    run as many as you like: none sends a notification another sent; on SQLite run one.
    """
    import signal
    import threading

    from sharebound import logs

    logs.configure(Settings().log_format)  # SHAREBOUND_LOG_FORMAT: text or json lines
    core = _app()
    me = name or worker_process.worker_name()
    if once:
        report = run_pass(core, me)
        out.print(f"sent {report.sent}, retrying {report.retrying}, failed {report.failed}, "
                  f"skipped {report.skipped}; reminders {report.reminders}, digests {report.digests}; "
                  f"pruned {report.pruned}",
                  highlight=False)
        return
    stopping = threading.Event()  # why an Event: SIGTERM ends the sleep between passes at once
    signal.signal(signal.SIGTERM, lambda _number, _frame: stopping.set())
    out.print(f"worker {me}: a pass every {core.settings.worker_poll_seconds} s (Ctrl-C stops)",
              highlight=False)
    try:
        worker_process.run_forever(core, me, poll_seconds=core.settings.worker_poll_seconds,
                         sleep=stopping.wait, stop=stopping.is_set)
    except KeyboardInterrupt:
        pass
    finally:
        core.close()


@app.command("backup")
def backup_command(
    destination: Annotated[Path, typer.Argument(help="A new (or empty) folder to write the backup into.")],
    without_keys: Annotated[bool, typer.Option(
        help="Leave the key-encryption key file out: keep it apart; a restore then needs it.")] = False,
) -> None:
    """Back up the instance: a consistent database dump (SQLite's online backup, or pg_dump),
    the blobs as stored (sealed), the key file unless --without-keys, and a manifest with the
    SHA-256 of every file. With the key file, the backup opens the data: guard it as such."""
    core = _app(clean_incoming=False)
    try:
        manifest = bootstrap.backup(core, destination, with_keys=not without_keys)
    except bootstrap.BackupProblem as error:
        err.print(f"[red]error:[/red] {error}", highlight=False)
        raise typer.Exit(1) from None
    finally:
        core.close()
    size = sum(int(f["size"]) for f in manifest.files.values())
    out.print(f"backed up to {destination}: {manifest.dialect} database at revision {manifest.revision}, "
              f"{len(manifest.blobs)} blobs, {len(manifest.files)} files, {size} bytes; "
              + ("the key file is in it: keep the backup as safe as the key"
                 if manifest.keys else "no key file in it: keep the key-encryption key apart"),
              highlight=False)


@app.command("restore")
def restore_command(
    source: Annotated[Path, typer.Argument(help="A folder written by `sharebound backup`.",
                                           exists=True, file_okay=False)],
    force: Annotated[bool, typer.Option(
        help="Restore over a database, blob store or key file that is not empty.")] = False,
) -> None:
    """Restore a backup into this instance (SHAREBOUND_DATA_DIR, DATABASE_URL, BLOB_URL): the
    manifest is checked first; the target must be empty unless --force; then migrated."""
    try:
        core = bootstrap.restore(Settings(), source, force=force)
    except (bootstrap.BackupProblem, KeyProblem) as error:
        err.print(f"[red]error:[/red] {error}", highlight=False)
        raise typer.Exit(1) from None
    core.close()
    out.print(f"restored {source}: now run `sharebound audit verify` and `sharebound blobs check`",
              highlight=False)


@audit_app.command("verify")
def audit_verify() -> None:
    """Recompute every hash chain and Merkle tree and check every signed checkpoint; exit 1
    naming the first bad event of each broken log."""
    core = _app()
    with Progress(console=err, transient=True) as progress:
        task = progress.add_task("verifying", total=None)

        def advance(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        problems = audit.verify_audit(core.uow(), advance, core.log_key)
    if problems:
        core.close()
        for problem in problems:
            err.print(f"[red]broken:[/red] log {problem.log}, event {problem.seq}: {problem.message}",
                      highlight=False)
        raise typer.Exit(1)
    with core.uow() as uow:
        count, logs = uow.events.count(), len(uow.events.heads())
    core.close()
    out.print(f"ok: {count} events in {logs} logs, every chain intact, every Merkle tree matches "
              "its signed checkpoints")


@blobs_app.command("check")
def blobs_check() -> None:
    """Read every blob to its end; list missing, corrupt (altered: fails authentication),
    orphan and unfinished ones (exit 1 if any is missing or corrupt)."""
    core = _app(clean_incoming=False)  # why: report the unfinished uploads, do not remove them
    with Progress(console=err, transient=True) as progress:
        task = progress.add_task("re-hashing", total=None)
        report = blobs.check_blobs(core.uow(), lambda done, total: progress.update(
            task, completed=done, total=total), stale_seconds=core.settings.incoming_stale_minutes * 60)
    core.close()
    for kind, names in (("missing", report.missing), ("corrupt", report.corrupt),
                        ("orphan", report.orphans), ("unfinished", report.unfinished)):
        for name in names:
            (err if kind in ("missing", "corrupt") else out).print(f"{kind}: {name}", highlight=False)
    out.print(f"checked {report.checked} blobs: {len(report.missing)} missing, {len(report.corrupt)} "
              f"corrupt, {len(report.orphans)} orphans, {len(report.unfinished)} unfinished uploads "
              "(removed by `init` and `serve`)")
    if not report.healthy:
        raise typer.Exit(1)


@agreement_app.command("verify")
def agreement_verify(
    file: Annotated[Path, typer.Argument(help="An executed copy (PDF) downloaded from Sharebound.",
                                         exists=True, dir_okay=False, readable=True)],
) -> None:
    """Check an executed copy against the record: which agreement, version and digest it is.

    Exits 0 when its SHA-256 is on record and the document attached to it hashes to the
    digest every party signed; 3 when it is not on record (not made here, or altered); 5 when
    its attached document does not match the signed digest.
    """
    core = _app()
    try:
        found = executed.verify_executed_copy(core.uow(), file.read_bytes())
    except NotFound:
        err.print("[red]not on record:[/red] no executed copy here has this file's SHA-256: "
                  "Sharebound did not make it, or it was altered since", highlight=False)
        raise typer.Exit(NotFound.exit_code) from None
    except Conflict as error:
        err.print(f"[red]altered:[/red] {error}", highlight=False)
        raise typer.Exit(Conflict.exit_code) from None
    r = found.record
    for label, value in (("agreement", r.agreement_id), ("version", str(r.version)),
                         ("parties", ", ".join(found.parties)), ("digest", r.digest),
                         ("sha256", r.sha256), ("executed", r.created_at.isoformat())):
        out.print(f"{label + ':':11} {value}", highlight=False)
    out.print("ok: this is the executed copy on record, unaltered; its attached document hashes "
              "to the signed digest")


@gate_app.command("reindex")
def gate_reindex() -> None:
    """Recompute the fingerprints of every restricted item (e.g. for items that predate the gate)."""
    core = _app()
    with _errors():
        count, fingerprints = gate.reindex_fingerprints(core.uow())
    out.print(f"reindexed {count} restricted items: {fingerprints} fingerprints")
@app.command("trace")
def trace_command(
    file: Annotated[Path | None, typer.Argument(
        help="A stamped copy (PDF, PNG, JPEG, DOCX, text, Markdown, CSV, XML, SVG or STEP).",
        exists=True, dir_okay=False, readable=True)] = None,
    copy_id: Annotated[str | None, typer.Option(
        help="A copy id read off a page or a printout, instead of a file.")] = None,
) -> None:
    """Who received a leaked copy: its disclosure, item, recipient, time and agreement.

    Exits 2 when the file carries no copy id, 3 when the copy id is unknown here.
    """
    if (file is None) == (copy_id is None):
        err.print("[red]error:[/red] give either a FILE or --copy-id", highlight=False)
        raise typer.Exit(2)
    core = _app()
    with _errors():
        if file is not None:
            found = trace.trace_file(core.uow(), None, file.read_bytes())
        else:
            assert copy_id is not None
            found = trace.trace_copy_id(core.uow(), None, copy_id)
    d, who = found.disclosure, found.recipient
    for label, value in (
        ("copy", f"{found.copy.copy_id} ({found.copy.kind}, {found.copy.media_type})"),
        ("received", found.copy.at.isoformat()),
        ("recipient", f"{who.name} <{who.email}>, {found.recipient_org_name} ({who.org})"),
        ("disclosure", f"{d.id}, by {d.discloser}"),
        ("item", f"{d.item_title} ({d.item_id} version {d.item_version})"),
        ("agreement", f"{d.agreement_id} version {d.agreement_version} ({d.agreement_digest})"),
        ("file", {True: "unchanged: the very copy that was given out",
                  False: "changed since it was given out (the copy id is still its own)",
                  None: "not compared (traced by copy id)"}[found.unchanged]),
    ):
        out.print(f"{label + ':':<12}{value}", highlight=False, soft_wrap=True)
    if found.chain is not None:  # a representative's copy, re-shared by the receiving org
        out.print(f"{'chain:':<12}{found.chain}", highlight=False, soft_wrap=True)


def main() -> None:
    app()


@sso_app.command("remove")
def sso_remove(handle: str = typer.Argument(help="The org whose single sign-on to turn off.")) -> None:
    """Turn an org's single sign-on off (its provider is gone and nobody can sign in): its
    people sign in with passwords again (those without one need an invitation)."""
    core = _app()
    with _errors():
        sso.remove(core.uow(), None, handle)
    out.print(f"single sign-on of {handle} is off", highlight=False)




@keys_app.command("generate")
def keys_generate(
    path: Annotated[Path, typer.Argument(help="The new key file (must not exist).")],
) -> None:
    """Write a new random key-encryption key to a new file (0600), for `keys rotate`."""
    try:
        kek = keys.generate_key_file(path)
    except FileExistsError:
        err.print(f"[red]error:[/red] {path} exists; a key file is never overwritten", highlight=False)
        raise typer.Exit(2) from None
    out.print(f"wrote key {kek.id} to {path}: back it up apart from the data")


@keys_app.command("rotate")
def keys_rotate(
    new_key_file: Annotated[Path | None, typer.Option(
        help="File holding the new key-encryption key (see `keys generate`).")] = None,
    new_key_env: Annotated[str | None, typer.Option(
        help="Name of an environment variable holding the new key (base64).")] = None,
) -> None:
    """Re-wrap the data keys under a new key-encryption key; blobs and columns are untouched.

    The current key comes from SHAREBOUND_KEY / SHAREBOUND_KEY_FILE as always; afterwards,
    point those at the new key (or move the new file over DATA_DIR/sharebound.key)."""
    import os

    if (new_key_file is None) == (new_key_env is None):
        err.print("[red]error:[/red] give one of --new-key-file or --new-key-env", highlight=False)
        raise typer.Exit(2)
    try:
        new = keys.given_key(file=new_key_file, env_name=new_key_env, environ=os.environ)
        core = _app()
        count = keys.rotate(core.uow(), new)
    except KeyProblem as error:
        err.print(f"[red]error:[/red] {error}", highlight=False)
        raise typer.Exit(2) from None
    out.print(f"re-wrapped {count} data key(s) under key {new.id}; now use the new key "
              "(SHAREBOUND_KEY_FILE or SHAREBOUND_KEY) and keep the old one until you have checked")


@keys_app.command("encrypt-existing")
def keys_encrypt_existing() -> None:
    """Seal the blobs stored in clear before encryption, then remove their plaintext files
    (webhook secrets and crown-jewel terms are sealed by `init`). Safe to run again."""
    core = _app()
    count = keys.encrypt_existing(core.uow())
    out.print(f"sealed {count} blob(s); {len(keys.plaintext_blobs(core.uow()))} left in clear")


Scope = Annotated[str | None, typer.Option(help="The agreement's id (agr_...).")]
PartnershipOption = Annotated[str | None, typer.Option(help="The partnership's id (prt_...), instead.")]
FormatOption = Annotated[str, typer.Option("--format", help="csv or pdf.")]
OutputOption = Annotated[Path, typer.Option(help="The file to write.", dir_okay=False, writable=True)]
FromOption = Annotated[str | None, typer.Option("--from", help="The first UTC day, YYYY-MM-DD (included).")]
ToOption = Annotated[str | None, typer.Option("--to", help="The last UTC day, YYYY-MM-DD (included).")]
ClassificationOption = Annotated[str | None, typer.Option(help="Only this classification.")]
TopicOption = Annotated[str | None, typer.Option(help="Only items with this topic.")]
AsOption = Annotated[str | None, typer.Option("--as", help=(
    "Export as this person (their email): the rows they may see. Without it, as the operator: "
    "every row, and --direction must be both."))]


@export_app.command("register")
def export_register(
    output: OutputOption, agreement: Scope = None, partnership: PartnershipOption = None,
    fmt: FormatOption = "csv", date_from: FromOption = None, date_to: ToOption = None,
    direction: Annotated[str | None, typer.Option(help="given, received or both (the default).")] = None,
    classification: ClassificationOption = None, topic: TopicOption = None, as_person: AsOption = None,
) -> None:
    """Export the disclosure register of an agreement or a partnership as CSV or PDF.

    Recorded in the exporting org's audit log (export_made). Exits 2 for a bad option, 3 when the
    agreement or partnership is unknown (or not the person's).
    """
    _export(ExportKind.REGISTER, output, agreement, partnership, as_person, {
        "format": fmt, "from": date_from, "to": date_to, "direction": direction,
        "classification": classification, "topic": topic})


@export_app.command("access")
def export_access(
    output: OutputOption, agreement: Scope = None, partnership: PartnershipOption = None,
    fmt: FormatOption = "csv", date_from: FromOption = None, date_to: ToOption = None,
    classification: ClassificationOption = None, topic: TopicOption = None, as_person: AsOption = None,
) -> None:
    """Export the access report (who viewed and downloaded what your org disclosed) of an
    agreement or a partnership as CSV or PDF; recorded as export_made."""
    _export(ExportKind.ACCESS, output, agreement, partnership, as_person, {
        "format": fmt, "from": date_from, "to": date_to, "classification": classification,
        "topic": topic})


def _export(kind: ExportKind, output: Path, agreement: str | None, partnership: str | None,
            as_person: str | None, fields: dict[str, str | None]) -> None:
    core = _app()
    with _errors():
        ask = parse_ask(kind, fields, agreement_id=agreement, partnership_id=partnership)
        actor_id = people.find_person(core.uow(), as_person).id if as_person else None
        export = exports.start_export(core.uow(), actor_id, ask)
    partial = output.with_name(output.name + ".partial")
    with partial.open("wb") as file:
        for chunk in export.chunks():
            file.write(chunk)
    partial.replace(output)
    out.print(f"wrote {export.rows} rows to {output}", highlight=False)
