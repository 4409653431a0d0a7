"""Commands over the record: audit verify, blob check, executed-copy check, gate, trace and exports."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress

from sharebound.cli.base import (
    agreement_app,
    app,
    audit_app,
    blobs_app,
    err,
    export_app,
    gate_app,
    open_app,
    out,
    plain,
    reported_errors,
)
from sharebound.domain.errors import (
    Conflict,
    NotFound,
)
from sharebound.domain.exports import ExportKind, parse_ask
from sharebound.services import (
    audit,
    blobs,
    executed,
    exports,
    gate,
    people,
    trace,
)
from sharebound.services.audit_blocks import default_jobs


@audit_app.command("verify")
def audit_verify(
    jobs: Annotated[int | None, typer.Option(
        "--jobs", "-j", min=1, help="Worker processes checking the logs at once, a log of "
                                    "more than 16,384 events in blocks (1: in this process "
                                    "only). Default: the number of CPUs.")] = None,
) -> None:
    """Recompute every hash chain and Merkle tree and check every signed checkpoint; exit 1
    naming the first bad event of each broken log."""
    core = open_app()
    # why no refresh thread: the worker processes are forked from a process of one thread
    with Progress(console=err, transient=True, auto_refresh=False) as progress:
        task = progress.add_task("verifying", total=None)

        def advance(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total, refresh=True)

        problems = audit.verify_audit(core.uow(), advance, core.log_key,
                                      jobs=jobs or default_jobs())
    if problems:
        core.close()
        for problem in problems:
            err.print(f"[red]broken:[/red] log {plain(problem.log)}, event {problem.seq}: "
                      f"{plain(problem.message)}", highlight=False)
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
    core = open_app(clean_incoming=False)  # why: report the unfinished uploads, do not remove them
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
    core = open_app()
    try:
        found = executed.verify_executed_copy(core.uow(), file.read_bytes())
    except NotFound:
        err.print("[red]not on record:[/red] no executed copy here has this file's SHA-256: "
                  "Sharebound did not make it, or it was altered since", highlight=False)
        raise typer.Exit(NotFound.exit_code) from None
    except Conflict as error:
        err.print(f"[red]altered:[/red] {plain(error)}", highlight=False)
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
    core = open_app()
    with reported_errors():
        count, fingerprints = gate.reindex_fingerprints(core.uow())
    out.print(f"reindexed {count} restricted items: {fingerprints} fingerprints")
@app.command("trace")
def trace_command(
    file: Annotated[Path | None, typer.Argument(
        help="A stamped copy (PDF, PNG, JPEG, DOCX, XLSX, PPTX, text, Markdown, CSV, XML, SVG or "
        "STEP), or a page image saved from view only (PNG).",
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
    core = open_app()
    with reported_errors():
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


# The export commands' options, shared by register and access.
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
    core = open_app()
    with reported_errors():
        ask = parse_ask(kind, fields, agreement_id=agreement, partnership_id=partnership)
        actor_id = people.find_person(core.uow(), as_person).id if as_person else None
        export = exports.start_export(core.uow(), actor_id, ask)
    partial = output.with_name(output.name + ".partial")
    with partial.open("wb") as file:
        for chunk in export.chunks():
            file.write(chunk)
    partial.replace(output)
    out.print(f"wrote {export.rows} rows to {output}", highlight=False)
