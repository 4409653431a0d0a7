"""A stamped PDF carries no embedded file.

A stamp marks pages; a file embedded in the PDF (the EmbeddedFiles name tree, or a
FileAttachment annotation on a page) would travel inside the stamped copy unstamped, and
could be saved from it as a clean original. So the stamped copy leaves them out: the content
gate has read them (adapters/text_extract.py), and a discloser who wants the recipient to
have one discloses it as an item of its own, stamped for its type.
"""

from __future__ import annotations

from pikepdf import Array, Dictionary, Name, Pdf


def drop_attachments(pdf: Pdf) -> int:
    """Remove every embedded file from `pdf` (in place); returns how many were removed."""
    removed = 0
    names = pdf.Root.get("/Names")
    if isinstance(names, Dictionary) and "/EmbeddedFiles" in names:
        removed += len(pdf.attachments)
        del names["/EmbeddedFiles"]
    if "/AF" in pdf.Root:  # PDF 2.0's associated files of the document
        del pdf.Root["/AF"]
    for page in pdf.pages:
        annots = page.obj.get("/Annots")
        if not isinstance(annots, Array):
            continue
        kept = [a for a in annots if not (isinstance(a, Dictionary)
                                          and a.get("/Subtype") == Name.FileAttachment)]
        if len(kept) != len(annots):
            removed += len(annots) - len(kept)
            page.obj.Annots = Array(kept)
    return removed
