"""Commands that run and keep an instance: init, demo, serve, worker, backup, restore and keys."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress
from rich.table import Table

from sharebound import bootstrap
from sharebound import worker as worker_process
from sharebound.cli.base import (
    app,
    err,
    keys_app,
    open_app,
    out,
    plain,
    reported_errors,
)
from sharebound.config import Settings
from sharebound.services import (
    keys,
)
from sharebound.services.keys import KeyProblem
from sharebound.services.worker import run_pass


@app.command()
def init() -> None:
    """Create the data folder and migrate the database (idempotent; needs no arguments).

    On the upgrade that adds the content gate, and on the one that changes its fingerprint
    function, restricted items are fingerprinted. On a fresh
    install it makes the key-encryption key file (DATA_DIR/sharebound.key, 0600): back it up
    apart from the data. Upload files left by a killed server are removed.
    """
    settings = Settings()
    core = open_app()
    out.print(f"ready: data in {settings.data_dir.resolve()}, "
              f"database {core.engine.url.render_as_string(hide_password=True)}")
    core.close()


@app.command()
def demo() -> None:
    """Create a fictional demo instance (three orgs, NDAs, items, disclosures) if there is none."""
    from sharebound.demo import DEMO_PASSWORD, build_demo

    core = open_app()
    with Progress(console=err, transient=True) as progress:
        task = progress.add_task("demo", total=6)

        def step(what: str) -> None:
            progress.update(task, description=what, advance=1)

        with reported_errors():
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

    core = open_app()
    core.close()
    out.print(f"serving on http://{host}:{port} (API docs: http://{host}:{port}/api/docs)")
    run_server(core.settings, host=host, port=port, workers=workers)


@app.command()
def worker(
    once: Annotated[bool, typer.Option(help="Run one pass and exit (for tests and cron).")] = False,
    name: Annotated[str | None, typer.Option(
        help="This worker's name in the outbox's claims; default host:pid.")] = None,
) -> None:
    """Deliver the outbox (emails, webhooks), run the schedules (reminders, digests) and move
    queued views into the access records with their audit events.

    Runs a pass every SHAREBOUND_WORKER_POLL_SECONDS until stopped (Ctrl-C). On PostgreSQL
    run as many as you like: none sends a notification another sent; on SQLite run one.
    """
    import signal
    import threading

    from sharebound import logs

    logs.configure(Settings().log_format)  # SHAREBOUND_LOG_FORMAT: text or json lines
    core = open_app()
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


def _place(given: str) -> Path | str:
    """A backup's place: an s3:// URL as it is, else a folder."""
    return given if given.startswith("s3://") else Path(given)


@app.command("backup")
def backup_command(
    destination: Annotated[str, typer.Argument(
        help="A new (or empty) folder to write the backup into, or s3://bucket/prefix (an empty "
             "prefix; credentials and endpoint as for SHAREBOUND_BLOB_URL).")],
    keys: Annotated[bool | None, typer.Option(
        "--with-keys/--without-keys",
        help="Put the key-encryption key file in the backup, or leave it out (keep it apart; a "
             "restore then needs it). Default: in a folder, with it; in S3, without it (the "
             "bucket's readers would otherwise hold both the sealed data and its key).")] = None,
) -> None:
    """Back up the instance: a consistent database dump (SQLite's online backup, or pg_dump),
    the blobs as stored (sealed), the key file (see --with-keys), and a manifest with the
    SHA-256 of every file, into a folder or an S3 bucket (each file uploaded as it is read).
    With the key file, the backup opens the data: guard it as such."""
    with_keys = keys if keys is not None else not destination.startswith("s3://")
    core = open_app(clean_incoming=False)
    try:
        manifest = bootstrap.backup(core, _place(destination), with_keys=with_keys)
    except bootstrap.BackupProblem as error:
        err.print(f"[red]error:[/red] {plain(error)}", highlight=False)
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
    source: Annotated[str, typer.Argument(
        help="A folder written by `sharebound backup`, or the s3://bucket/prefix it wrote to.")],
    force: Annotated[bool, typer.Option(
        help="Restore over a database, blob store or key file that is not empty.")] = False,
) -> None:
    """Restore a backup into this instance (SHAREBOUND_DATA_DIR, DATABASE_URL, BLOB_URL): every
    file is checked against the manifest first, and each blob and the key file again as it is
    restored (one that differs is refused and nothing is left restored); the target must be
    empty unless --force; then migrated."""
    if not source.startswith("s3://") and not Path(source).is_dir():
        err.print(f"[red]error:[/red] {plain(source)} is not a folder (nor an s3:// URL)", highlight=False)
        raise typer.Exit(2)
    try:
        core = bootstrap.restore(Settings(), _place(source), force=force)
    except (bootstrap.BackupProblem, KeyProblem) as error:
        err.print(f"[red]error:[/red] {plain(error)}", highlight=False)
        raise typer.Exit(1) from None
    core.close()
    out.print(f"restored {source}: now run `sharebound audit verify` and `sharebound blobs check`",
              highlight=False)


@keys_app.command("generate")
def keys_generate(
    path: Annotated[Path, typer.Argument(help="The new key file (must not exist).")],
) -> None:
    """Write a new random key-encryption key to a new file (0600), for `keys rotate`."""
    try:
        kek = keys.generate_key_file(path)
    except FileExistsError:
        err.print(f"[red]error:[/red] {plain(path)} exists; a key file is never overwritten", highlight=False)
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
        core = open_app()
        count = keys.rotate(core.uow(), new)
    except KeyProblem as error:
        err.print(f"[red]error:[/red] {plain(error)}", highlight=False)
        raise typer.Exit(2) from None
    out.print(f"re-wrapped {count} data key(s) under key {new.id}; now use the new key "
              "(SHAREBOUND_KEY_FILE or SHAREBOUND_KEY) and keep the old one until you have checked")


@keys_app.command("encrypt-existing")
def keys_encrypt_existing() -> None:
    """Seal the blobs stored in clear before encryption, then remove their plaintext files
    (webhook secrets and crown-jewel terms are sealed by `init`). Safe to run again."""
    core = open_app()
    count = keys.encrypt_existing(core.uow())
    out.print(f"sealed {count} blob(s); {len(keys.plaintext_blobs(core.uow()))} left in clear")
