"""Pages: the organization's library — add a note or a file, edit, reclassify, approve.

Lowering an item out of `restricted` is only requested here; a second signer approves it.
Every form is multipart: a note's body is not inflated by URL-encoding, and the new-item
form can carry a file.
"""

from __future__ import annotations

from typing import BinaryIO, Literal
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from sharebound.domain.classification import Classification
from sharebound.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from sharebound.domain.items import Item, ItemKind
from sharebound.domain.orgs import Role
from sharebound.services import folders, items, orgs, second_factors
from sharebound.services.auth import BrowserSession
from sharebound.services.unit_of_work import UnitOfWork
from sharebound.web.downloads import download_response
from sharebound.web.pages.common import (
    CheckedForm,
    FormUow,
    Session,
    Uow,
    claim_form,
    core,
    factor_proof,
    finish_form,
    form_text,
    render,
)
from sharebound.web.uploads import media_type_of, safe_filename

router = APIRouter(include_in_schema=False)

LEVELS = [level.value for level in Classification]

# What a redirect's ?notice= code says; only these texts are ever shown (never text from the URL).
NOTICES = {
    "added": "The item is added to your library.",
    "saved": "Your changes are saved.",
    "new-version": "Your changes are saved: the new body is version {version}.",
    "unchanged": "Nothing to save: the title, topics and body are as they were.",
    "reclassified": "The item is now {classification}.",
    "requested": ("Lowering this item out of restricted waits for a second signer: it stays restricted "
                  "until another signer of your organization approves."),
    "approved": "Approved: the item is now {classification}.",
}


def _lines(text: str) -> str:
    """Browsers send a textarea's line breaks as CRLF; a note keeps plain LF."""
    return text.replace("\r\n", "\n")


def _item_url(item_id: str, notice: str | None = None) -> str:
    """The item's page; with a notice, scrolled to the top where it shows.

    (The forms post to the part of the page they are in, so that a refusal shows next to
    them; without a fragment of its own, a redirect would keep that one.)
    """
    url = f"/items/{quote(item_id, safe='')}"
    return f"{url}?notice={notice}#main" if notice else url


# The library


@router.get("/items", response_class=HTMLResponse)
def library(request: Request, me: Session, uow: Uow) -> Response:
    return render(request, "items.html", me.person, me.csrf,
                  tree=folders.library(uow, me.person.id), levels=LEVELS)


# Adding an item


@router.get("/items/new", response_class=HTMLResponse)
def new_item_form(request: Request, me: Session, kind: str = "note") -> Response:
    typed = {"kind": "file" if kind == "file" else "note", "title": "", "classification": "",
             "topics": "", "body": "", "trade_secret": ""}
    return render(request, "item_new.html", me.person, me.csrf, typed=typed, levels=LEVELS, errors={})


@router.post("/items/new")
async def add_item(request: Request, form: CheckedForm, me: Session, uow: Uow) -> Response:
    """Not one held transaction (`FormUow`): an upload's content checks and the gate's reading
    would then run under the write lock; and no database work on the event loop."""
    typed = {name: form_text(form, name)
             for name in ("kind", "title", "classification", "topics", "body", "trade_secret")}

    def again(errors: dict[str, str], status_code: int) -> Response:
        return render(request, "item_new.html", me.person, me.csrf, typed=typed, levels=LEVELS,
                      errors=errors, status_code=status_code)

    claimed = await run_in_threadpool(claim_form, uow, form, me.person, "/items")
    if claimed is not None:
        return claimed
    errors: dict[str, str] = {}
    content: bytes | BinaryIO = b""
    media_type = "text/markdown"
    filename = None
    if typed["kind"] == ItemKind.FILE:
        upload = form.get("file")
        if not isinstance(upload, UploadFile) or not upload.size:
            errors["file"] = "choose a file to upload (it must not be empty)"
        else:
            content = upload.file  # spooled to disk by the form parser; the store reads it in chunks
            try:
                media_type = media_type_of(upload)
            except InvalidInput as bad:
                errors.update(bad.errors)
            filename = safe_filename(upload.filename or "file")
    elif typed["kind"] == ItemKind.NOTE:
        content = _lines(typed["body"]).encode("utf-8")
        if not typed["body"].strip():
            errors["body"] = "is required: write the note, or choose “A file” above to upload one"
    else:
        errors["kind"] = "choose a note or a file"
    if errors:
        # Name the other bad fields too, so that one round trip shows everything.
        try:
            items.parse_item_fields(title=typed["title"], classification=typed["classification"],
                                    topics=items.topics_of_text(typed["topics"]), required=True)
        except InvalidInput as bad:
            errors.update(bad.errors)
        return again(errors, 422)
    try:
        item = await run_in_threadpool(
            items.add_item, uow, me.person.id, title=typed["title"],
            classification=typed["classification"], topics=items.topics_of_text(typed["topics"]),
            content=content, kind=typed["kind"], media_type=media_type, filename=filename,
            limit=core(request).settings.max_upload_bytes, trade_secret=bool(typed["trade_secret"]))
    except InvalidInput as bad:
        return again(bad.errors, 422)
    except (Conflict, PermissionDenied) as refused:
        return again({"form": str(refused)}, 409 if isinstance(refused, Conflict) else 403)
    return await run_in_threadpool(finish_form, uow, form, _item_url(item.id, "added"))


# One item


def _item_page(
    request: Request, me: BrowserSession, uow: UnitOfWork, item_id: str, *, status_code: int = 200,
    notice: str | None = None, edit: dict[str, str] | None = None,
    edit_errors: dict[str, str] | None = None, reclassify_errors: dict[str, str] | None = None,
    approve_errors: dict[str, str] | None = None, chosen: str | None = None,
) -> Response:
    item = items.get_item(uow, me.person.id, item_id)
    pending = items.pending_reclassification(uow, me.person.id, item.id)
    names = {p.id: p.name for p in orgs.every_person(uow, me.person.id, me.person.org)}
    body = _body(uow, me.person.id, item)
    if edit is None:
        edit = {"title": item.title, "topics": ", ".join(sorted(item.topics)), "body": body or "",
                "trade_secret": "on" if item.trade_secret else ""}
    can_approve = (pending is not None and Role.SIGNER in me.person.roles
                   and pending.requested_by != me.person.id)
    factors = second_factors.status(uow, me.person.id) if can_approve else None
    shown = NOTICES.get(notice or "")
    if shown:
        shown = shown.format(version=item.current.number, classification=item.classification.value)
    return render(request, "item.html", me.person, me.csrf, status_code=status_code, item=item,
                  body=body, pending=pending, names=names, can_approve=can_approve, levels=LEVELS,
                  chosen=chosen or item.classification.value, edit=edit, edit_errors=edit_errors or {},
                  reclassify_errors=reclassify_errors or {}, approve_errors=approve_errors or {},
                  notice=shown, factors=factors,
                  folder_rows=folders.library(uow, me.person.id).folder_rows())


def _body(uow: UnitOfWork, actor_id: str, item: Item) -> str | None:
    """A note's current text; None for a file."""
    if item.kind is not ItemKind.NOTE:
        return None
    return items.item_content(uow, actor_id, item.id).decode("utf-8", errors="replace")


@router.get("/items/{item_id}", response_class=HTMLResponse)
def item_page(request: Request, item_id: str, me: Session, uow: Uow, notice: str = "") -> Response:
    return _item_page(request, me, uow, item_id, notice=notice)


@router.get("/items/{item_id}/content")
def item_content(item_id: str, me: Session, uow: Uow, version: int | None = None) -> Response:
    """A version's bytes (the current one by default), always as a download, streamed."""
    return download_response(items.item_download(uow, me.person.id, item_id, version))


@router.post("/items/{item_id}/edit")
def edit_item(request: Request, item_id: str, form: CheckedForm, me: Session, uow: FormUow) -> Response:
    typed = {name: form_text(form, name) for name in ("title", "topics", "body", "trade_secret")}
    claimed = claim_form(uow, form, me.person, _item_url(item_id))
    if claimed is not None:
        return claimed
    item = items.get_item(uow, me.person.id, item_id)
    try:
        parsed = items.parse_item_fields(title=typed["title"], topics=items.topics_of_text(typed["topics"]))
    except InvalidInput as bad:
        return _item_page(request, me, uow, item.id, edit=typed, edit_errors=bad.errors, status_code=422)
    title = typed["title"] if parsed.title != item.title else None
    same_topics = parsed.topics == item.topics
    content = None
    current = _body(uow, me.person.id, item)
    if current is not None and "body" in form and _lines(typed["body"]) != _lines(current):
        content = _lines(typed["body"]).encode("utf-8")
    secret = bool(typed["trade_secret"])
    trade_secret = secret if secret != item.trade_secret else None
    asked_folder = form_text(form, "folder_id")  # "root", a folder's id, or "" (an older form)
    target = None if asked_folder == "root" else asked_folder or item.folder_id
    folder_id: Literal["keep"] | str | None = target if target != item.folder_id else "keep"
    if title is None and same_topics and content is None and trade_secret is None and folder_id == "keep":
        return finish_form(uow, form, _item_url(item.id, "unchanged"))
    try:
        items.update_item(uow, me.person.id, item.id, title=title,
                          topics=None if same_topics else sorted(parsed.topics or ()), content=content,
                          trade_secret=trade_secret, folder_id=folder_id)
    except InvalidInput as bad:
        return _item_page(request, me, uow, item.id, edit=typed, edit_errors=bad.errors, status_code=422)
    except (Conflict, PermissionDenied, NotFound) as refused:
        return _item_page(request, me, uow, item.id, edit=typed, edit_errors={"form": str(refused)},
                          status_code=409 if isinstance(refused, Conflict) else 403)
    return finish_form(uow, form, _item_url(item.id, "new-version" if content is not None else "saved"))


@router.post("/items/{item_id}/reclassify")
def reclassify_item(
    request: Request, item_id: str, form: CheckedForm, me: Session, uow: FormUow
) -> Response:
    level = form_text(form, "classification")
    claimed = claim_form(uow, form, me.person, _item_url(item_id))
    if claimed is not None:
        return claimed
    try:
        done = items.update_item(uow, me.person.id, item_id, classification=level)
    except InvalidInput as bad:
        return _item_page(request, me, uow, item_id, reclassify_errors=bad.errors, chosen=level,
                          status_code=422)
    except Conflict as refused:
        return _item_page(request, me, uow, item_id, reclassify_errors={"form": str(refused)},
                          chosen=level, status_code=409)
    except PermissionDenied as refused:
        why = f"Only a signer may ask to lower an item out of restricted: {refused}."
        return _item_page(request, me, uow, item_id, reclassify_errors={"form": why}, chosen=level,
                          status_code=403)
    return finish_form(uow, form, _item_url(done.item.id, "requested" if done.pending else "reclassified"))


@router.post("/reclassifications/{request_id}/approve")
def approve_reclassification(
    request: Request, request_id: str, form: CheckedForm, me: Session, uow: FormUow
) -> Response:
    item_id = form_text(form, "item_id")  # where to show a refusal; the request itself names its item
    claimed = claim_form(uow, form, me.person, _item_url(item_id) if item_id else "/items")
    if claimed is not None:
        return claimed
    try:
        item = items.approve_reclassification(
            uow, me.person.id, request_id,
            factor_proof(form, "second_factor_code", "second_factor_webauthn"))
    except (Conflict, PermissionDenied, InvalidInput) as refused:
        if not item_id:
            raise
        return _item_page(request, me, uow, item_id, approve_errors={"form": refused.why()},
                          status_code=refused.status)
    return finish_form(uow, form, _item_url(item.id, "approved"))
