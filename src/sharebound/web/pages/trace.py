"""Pages: an admin traces a leaked copy to the recipient who received it.

The admin uploads the copy (or types the copy id read off a page image or a printout) and
sees the same answer as `sharebound trace`, but only for copies of disclosures their own
org made: any other copy is "not found".
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import UploadFile

from sharebound.domain.errors import InvalidInput, NotFound
from sharebound.domain.orgs import Role
from sharebound.services import trace
from sharebound.services.common import require_role
from sharebound.web.pages.common import CheckedForm, Session, Uow, core, form_text, render

router = APIRouter(include_in_schema=False)


@router.get("/admin/trace", response_class=HTMLResponse)
def trace_page(request: Request, me: Session) -> Response:
    require_role(me.person, Role.ADMIN)
    return render(request, "trace.html", me.person, me.csrf, found=None, errors={})


@router.post("/admin/trace", response_class=HTMLResponse)
def trace_upload(request: Request, form: CheckedForm, me: Session, uow: Uow) -> Response:
    """Tracing only reads: the answer is shown at once, nothing is changed. A plain `def`:
    reading a PDF's text is CPU work for a worker thread, not for the event loop."""
    require_role(me.person, Role.ADMIN)
    upload, typed = form.get("file"), form_text(form, "copy_id").strip()
    errors: dict[str, str] = {}
    found = None
    limit = core(request).settings.max_upload_bytes
    try:
        if isinstance(upload, UploadFile) and upload.size:
            content = upload.file.read(limit + 1)
            if len(content) > limit:
                raise InvalidInput({"file": f"the file is over the limit of {limit} bytes"})
            found = trace.trace_file(uow, me.person.id, content)
        elif typed:
            found = trace.trace_copy_id(uow, me.person.id, typed)
        else:
            errors["file"] = "choose a stamped copy to upload, or type its copy id"
    except InvalidInput as bad:
        errors.update(bad.errors)
    except NotFound:
        errors["file"] = ("no copy of a disclosure your organization made carries this copy id")
    status = 422 if errors else 200
    return render(request, "trace.html", me.person, me.csrf, status_code=status, found=found,
                  errors=errors, typed=typed)
