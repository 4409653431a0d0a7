"""Pages: the library's folders, bulk upload and ZIP import (with their per-file report), and
package disclosures (the disclose form for a folder, the package's tree, its ZIP)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from sharebound.domain.errors import Conflict, InvalidInput, NotFound, Refused
from sharebound.services import agreements, folders, items, package_zip, packages, partnerships, uploads
from sharebound.services.packages import PackageDraft
from sharebound.services.unit_of_work import UnitOfWork
from sharebound.web.api.uploads import incoming
from sharebound.web.deps import From
from sharebound.web.downloads import DOWNLOAD_CSP
from sharebound.web.pages.common import (
    CheckedForm,
    FormUow,
    Session,
    Uow,
    claim_form,
    core,
    finish_form,
    form_text,
    render,
    with_notice,
)
from sharebound.web.uploads import content_disposition, per_file_fields

router = APIRouter(include_in_schema=False)


@router.post("/folders/new")
def new_folder(request: Request, form: CheckedForm, me: Session, uow: FormUow) -> Response:
    claimed = claim_form(uow, form, me.person, "/items")
    if claimed is not None:
        return claimed
    try:
        folders.create_folder(uow, me.person.id, form_text(form, "name"),
                              form_text(form, "parent_id") or None)
    except (InvalidInput, Conflict, NotFound) as refused:
        return Response(status_code=303, headers={"Location": with_notice(
            "/items", f"No folder made: {refused.why()}", me.csrf)})
    return finish_form(uow, form, "/items#library")


@router.post("/folders/{folder_id}/edit")
def edit_folder(request: Request, folder_id: str, form: CheckedForm, me: Session, uow: FormUow) -> Response:
    """Rename, move (`parent_id`: "root" for the root) and reorder (`index`, from 1 as shown)."""
    claimed = claim_form(uow, form, me.person, "/items")
    if claimed is not None:
        return claimed
    parent = form_text(form, "parent_id")
    index = form_text(form, "index").strip()
    try:
        if index and not index.isdigit():
            raise InvalidInput({"index": "must be a whole number from 1"})
        folders.update_folder(
            uow, me.person.id, folder_id, name=form_text(form, "name") or None,
            parent_id=folders.KEEP if not parent else None if parent == "root" else parent,
            index=max(int(index) - 1, 0) if index else None)
    except (InvalidInput, Conflict) as refused:
        return Response(status_code=303, headers={"Location": with_notice(
            "/items", f"The folder did not change: {refused.why()}", me.csrf)})
    return finish_form(uow, form, "/items#library")


@router.post("/folders/{folder_id}/delete")
def delete_folder(request: Request, folder_id: str, form: CheckedForm, me: Session, uow: FormUow) -> Response:
    claimed = claim_form(uow, form, me.person, "/items")
    if claimed is not None:
        return claimed
    try:
        folders.delete_folder(uow, me.person.id, folder_id)
    except Conflict as refused:
        return Response(status_code=303, headers={"Location": with_notice(
            "/items", f"Not deleted: {refused.why()}", me.csrf)})
    return finish_form(uow, form, "/items#library")


def _metadata(form: FormData, *, per_file: bool = False) -> uploads.Metadata:
    """The whole upload's classification and topics; with `per_file`, the rows the upload
    form's script adds per chosen file (`web/uploads.per_file_fields`)."""
    topics = items.topics_of_text(form_text(form, "topics"))
    return uploads.parse_metadata(form_text(form, "classification"), topics,
                                  per_file_fields(form) if per_file else None)


@router.post("/items/upload", response_class=HTMLResponse)
async def upload_files(request: Request, form: CheckedForm, me: Session, uow: Uow) -> Response:
    """Several files from `<input type=file multiple>` (or the drop zone's script): a report."""
    claimed = await run_in_threadpool(claim_form, uow, form, me.person, "/items")
    if claimed is not None:
        return claimed
    try:
        meta = _metadata(form, per_file=True)
        files = [incoming(p) for p in form.getlist("files") if isinstance(p, UploadFile) and p.filename]
        report = await run_in_threadpool(
            uploads.upload_files, uow, me.person.id, files, meta,
            folder_id=form_text(form, "folder_id") or None,
            limit=core(request).settings.max_upload_bytes)
    except InvalidInput as refused:  # why: a file's own row is named, so the person finds it
        problem = "; ".join(f"{k.removeprefix('per_file.')}: {v}" if k.startswith("per_file") else v
                            for k, v in refused.errors.items())
        return render(request, "upload_report.html", me.person, me.csrf, report=None,
                      problem=problem, status_code=refused.status)
    except NotFound as refused:
        return render(request, "upload_report.html", me.person, me.csrf, report=None,
                      problem=refused.why(), status_code=refused.status)
    return render(request, "upload_report.html", me.person, me.csrf, report=report, problem=None)


@router.post("/items/import-zip", response_class=HTMLResponse)
async def import_zip(request: Request, form: CheckedForm, me: Session, uow: Uow) -> Response:
    """A ZIP archive: its folders recreated, each file stored or refused: a report."""
    claimed = await run_in_threadpool(claim_form, uow, form, me.person, "/items")
    if claimed is not None:
        return claimed
    upload = form.get("file")
    try:
        meta = _metadata(form)
        if not isinstance(upload, UploadFile) or not upload.size:
            raise InvalidInput({"file": "choose a ZIP archive to import"})
        report = await run_in_threadpool(
            uploads.import_zip, uow, me.person.id, upload.file, meta,
            folder_id=form_text(form, "folder_id") or None,
            limit=core(request).settings.max_upload_bytes)
    except (InvalidInput, NotFound) as refused:
        return render(request, "upload_report.html", me.person, me.csrf, report=None,
                      problem=refused.why(), status_code=refused.status)
    return render(request, "upload_report.html", me.person, me.csrf, report=report, problem=None)


def _agreements(uow: UnitOfWork, person_id: str) -> list[tuple[str, str]]:
    """(id, label) of the agreements of the person's org, for the package form."""
    found = []
    for partnership in partnerships.every_partnership(uow, person_id):
        try:
            listed = agreements.list_agreements(uow, person_id, partnership.id)
        except NotFound:
            continue
        found += [(a.id, f"{partnership.name}: {a.terms.purpose or 'agreement'} (v{a.current.number})")
                  for a in listed]
    return found


def _package_form(request: Request, me: Session, uow: UnitOfWork, values: dict[str, str],
                  problem: str | None = None, items_refused: Sequence[Mapping[str, object]] | None = None,
                  status_code: int = 200) -> Response:
    tree = folders.library(uow, me.person.id)
    return render(request, "package_new.html", me.person, me.csrf, values=values,
                  folders=tree.folder_rows(), agreements=_agreements(uow, me.person.id),
                  problem=problem, items_refused=items_refused or [], status_code=status_code)


@router.get("/packages/new", response_class=HTMLResponse)
def package_form(request: Request, me: Session, uow: Uow, folder: str = "") -> Response:
    values = {"folder_id": folder, "agreement_id": "", "recipients": "", "download": "on",
              "allowed_only": ""}
    return _package_form(request, me, uow, values)


@router.post("/packages/new")
def disclose_package(request: Request, form: CheckedForm, me: Session, uow: FormUow) -> Response:
    values = {n: form_text(form, n) for n in ("folder_id", "agreement_id", "recipients", "download",
                                              "allowed_only")}
    claimed = claim_form(uow, form, me.person, "/items")
    if claimed is not None:
        return claimed
    try:
        done = packages.disclose_package(uow, me.person.id, PackageDraft(
            agreement_id=values["agreement_id"], folder_id=values["folder_id"] or None,
            recipients=[r.strip() for r in values["recipients"].split(",") if r.strip()],
            actions=["view", "download"] if values["download"] else ["view"],
            allowed_only=bool(values["allowed_only"])))
    except Refused as refused:
        return _package_form(request, me, uow, values, "Refused by the agreement: nothing was disclosed.",
                             refused.items, 403)
    except (InvalidInput, NotFound, Conflict) as bad:
        return _package_form(request, me, uow, values, bad.why(), None, bad.status)
    return finish_form(uow, form, f"/packages/{done.package.id}")


@router.get("/packages/{package_id}", response_class=HTMLResponse)
def package_page(request: Request, package_id: str, me: Session, uow: Uow) -> Response:
    view = packages.view_package(uow, me.person.id, package_id)
    return render(request, "package.html", me.person, me.csrf, view=view)


@router.get("/packages/{package_id}/content")
def package_content(package_id: str, me: Session, uow: Uow, client: From) -> Response:
    """One ZIP of the person's stamped copies, streamed; else back to the package, saying why."""
    try:
        view = packages.package_files(uow, me.person.id, package_id)
    except Refused as refused:
        why = "; ".join(r.message for r in refused.decision.reasons)
        return Response(status_code=303, headers={
            "Location": with_notice(f"/packages/{package_id}", f"No ZIP: {why}", me.csrf)})
    return StreamingResponse(package_zip.stream_package(uow, me.person.id, view, client.address),
                             media_type="application/zip", headers={
                                 "Content-Disposition": content_disposition(f"{view.package.name}.zip"),
                                 "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff",
                                 "Content-Security-Policy": DOWNLOAD_CSP})
