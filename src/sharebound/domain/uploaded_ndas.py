"""Uploaded NDAs (bring your own NDA): an NDA the parties already signed elsewhere, uploaded to their
partnership (a PDF or a Word document) to govern an agreement in place of the standard terms.
The API calls them agreement documents (`/agreement-documents`, table `agreement_documents`).

The document is stored once, as uploaded, and never altered: the agreement names it by its
SHA-256, and each party's signer confirms that pairing (the document and the sharing
schedule) as its signature.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sharebound.domain.media_types import DOCX, PDF

#: The types an executed NDA may come as: what view only can show both parties unaltered.
DOCUMENT_TYPES = frozenset({PDF, DOCX})


@dataclass(frozen=True, slots=True)
class UploadedNda:
    id: str  # doc_...
    partnership_id: str
    org: str  # the uploading org, whose sealed blob store holds the bytes
    filename: str
    media_type: str
    size: int
    sha256: str
    uploaded_by: str  # person id
    uploaded_at: datetime

    def governing_json(self) -> dict[str, str]:
        """How agreement terms name this document as their governing document."""
        return {"kind": "uploaded", "document_id": self.id, "sha256": self.sha256,
                "filename": self.filename, "media_type": self.media_type}


def type_problem(media_type: str) -> str | None:
    """Why a file of `media_type` cannot be an uploaded NDA, or None."""
    if media_type in DOCUMENT_TYPES:
        return None
    return ("is not a PDF or a Word (DOCX) document: upload the executed NDA as one of those "
            f"(its content is {media_type})")
