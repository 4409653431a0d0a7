"""The pages of bring your own NDA: the upload form's partnership, and one uploaded document."""

from __future__ import annotations

from dataclasses import dataclass

from sharebound.domain.orgs import Role
from sharebound.domain.partnerships import Partnership
from sharebound.services.common import actor, visible_partnership
from sharebound.services.unit_of_work import UnitOfWork
from sharebound.services.uploaded_ndas import DocumentView, view_in, visible_document


@dataclass(frozen=True)
class DocumentPage:
    partnership: Partnership
    view: DocumentView
    uploader: str  # the uploader's name
    may_draft: bool  # an admin or signer: may map it to a schedule (draft an agreement)


def upload_page(uow: UnitOfWork, actor_id: str, partnership_id: str) -> Partnership:
    with uow.reading():
        return visible_partnership(uow, actor(uow, actor_id), partnership_id, accepted=True)


def document_page(uow: UnitOfWork, actor_id: str, document_id: str) -> DocumentPage:
    with uow.reading():
        person = actor(uow, actor_id)
        document = visible_document(uow, person, document_id)
        partnership = visible_partnership(uow, person, document.partnership_id, accepted=True)
        uploader = uow.orgs.get_person(document.uploaded_by)
        return DocumentPage(partnership=partnership, view=view_in(uow, document),
                            uploader=uploader.name if uploader is not None else document.uploaded_by,
                            may_draft=bool(person.roles & {Role.ADMIN, Role.SIGNER}))
