"""Package disclosures: several items or a whole folder in one act; the tree; the ZIP."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from sharebound.domain import limits as lim
from sharebound.domain.terms import Action
from sharebound.services import package_zip, packages
from sharebound.services.packages import PackageDraft, PackageView
from sharebound.web.deps import From, Me, Uow
from sharebound.web.downloads import DOWNLOAD_CSP
from sharebound.web.schemas import Strict
from sharebound.web.uploads import content_disposition

router = APIRouter(tags=["packages"])


class PackageRequest(Strict):
    agreement_id: str = Field(max_length=lim.MAX_ID)
    recipients: list[str] = Field(max_length=lim.MAX_RECIPIENTS, examples=[["gina@globex.example"]])
    actions: list[str] = Field(max_length=len(Action), examples=[["view", "download"]])
    item_ids: list[str] = Field(default=[], max_length=lim.MAX_PACKAGE_ITEMS,
                                description="These items; or name folder_id.")
    folder_id: str | None = Field(default=None, max_length=lim.MAX_ID,
                                  description="Every item in this folder and its subfolders.")
    expires_at: datetime | None = Field(
        default=None, description="With a time zone. Omit for the longest window the terms allow.")
    allowed_only: bool = Field(default=False, description=(
        "false (default): nothing is disclosed if any item is refused; true: the allowed items "
        "are disclosed and the refused ones left out."))


class PackageRowOut(BaseModel):
    number: str
    path: list[str]
    disclosure_id: str
    title: str
    classification: str
    actions: list[str]
    expires_at: datetime


class PackageOut(BaseModel):
    id: str
    name: str
    partnership_id: str
    agreement_id: str
    discloser: str
    allowed_only: bool
    created_at: datetime
    items: list[PackageRowOut]

    @classmethod
    def of(cls, view: PackageView) -> PackageOut:
        p = view.package
        return cls(id=p.id, name=p.name, partnership_id=p.partnership_id, agreement_id=p.agreement_id,
                   discloser=p.discloser, allowed_only=p.allowed_only, created_at=p.created_at,
                   items=[PackageRowOut(number=r.number, path=list(r.path), disclosure_id=r.disclosure.id,
                                        title=r.disclosure.item_title,
                                        classification=r.disclosure.classification.value,
                                        actions=sorted(r.disclosure.actions),
                                        expires_at=r.disclosure.expires_at) for r in view.rows])


class LeftOutOut(BaseModel):
    item_id: str
    number: str
    title: str
    reasons: list[dict[str, str]]


class PackageMadeOut(PackageOut):
    left_out: list[LeftOutOut]


@router.post("/packages", response_model=PackageMadeOut, status_code=201)
def disclose_package(body: PackageRequest, me: Me, uow: Uow) -> PackageMadeOut:
    """Disclose several items (`item_ids`) or a folder (`folder_id`) at once. A refusal (403)
    lists every item with its reasons in `items`; nothing is disclosed unless `allowed_only`."""
    done = packages.disclose_package(uow, me.id, PackageDraft(
        agreement_id=body.agreement_id, recipients=body.recipients, actions=body.actions,
        item_ids=body.item_ids, folder_id=body.folder_id, expires_at=body.expires_at,
        allowed_only=body.allowed_only))
    shown = PackageOut.of(packages.view_package(uow, me.id, done.package.id))
    return PackageMadeOut(**shown.model_dump(), left_out=[
        LeftOutOut(item_id=d.item_id, number=d.number, title=d.title,
                   reasons=[r.as_dict() for r in d.decision.reasons])
        for d in done.decisions if not d.decision.allowed])


@router.get("/packages/{package_id}", response_model=PackageOut)
def get_package(package_id: str, me: Me, uow: Uow) -> PackageOut:
    """The package as a tree: each item's number and folders as disclosed."""
    return PackageOut.of(packages.view_package(uow, me.id, package_id))


@router.get("/packages/{package_id}/content", response_class=StreamingResponse, responses={200: {
    "description": "One ZIP of the stamped copies, streamed",
    "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}}}})
def package_content(package_id: str, me: Me, uow: Uow, client: From) -> StreamingResponse:
    """One ZIP of your stamped copies, streamed; each copy recorded. Refused (403) naming every
    file you may only view, or that cannot carry the stamp the terms ask for."""
    view = packages.package_files(uow, me.id, package_id)
    headers = {"Content-Disposition": content_disposition(f"{view.package.name}.zip"),
               "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff",
               "Content-Security-Policy": DOWNLOAD_CSP}
    return StreamingResponse(package_zip.stream_package(uow, me.id, view, client.address),
                             media_type="application/zip", headers=headers)
