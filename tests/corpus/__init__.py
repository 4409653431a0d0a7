"""The bad-input corpus: each file, the type a browser would declare for it, and the answer.

`make_corpus.py` writes the files; README.md explains each one; tests/unit/test_content_checks.py,
tests/integration/test_bad_input_service.py and tests/e2e/test_bad_input.py upload them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

FOLDER = Path(__file__).parent

PDF, PNG, JPEG = "application/pdf", "image/png", "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
XLSM = "application/vnd.ms-excel.sheet.macroEnabled.12"
PPTM = "application/vnd.ms-powerpoint.presentation.macroEnabled.12"


@dataclass(frozen=True)
class Case:
    name: str
    declared: str  # the Content-Type a browser sends for the file's extension
    refusal: str | None  # a piece of the message under "file"; None: the file is accepted

    @property
    def content(self) -> bytes:
        return (FOLDER / self.name).read_bytes()


CASES = [
    Case("valid.pdf", PDF, None),
    Case("truncated.pdf", PDF, "is a damaged PDF: it ends before its last part"),
    Case("corrupt.pdf", PDF, "is a damaged PDF: it cannot be opened"),
    Case("encrypted-password.pdf", PDF, "protected by a password: we cannot stamp or scan it; "
                                        "remove the password and upload again"),
    Case("encrypted-restrictions.pdf", PDF, "is an encrypted PDF"),
    Case("5000-pages.pdf", PDF, "is a PDF of 5000 pages; the most we accept is 2000 pages"),
    Case("deeply-nested.pdf", PDF, "nested too deeply"),
    Case("deep-page-tree.pdf", PDF, "nested too deeply"),
    Case("page-tree-loop.pdf", PDF, "refer to each other in a loop"),
    Case("valid.png", PNG, None),
    Case("bomb-20000x20000.png", PNG, "is an image of 400 million pixels; the most we accept is 50 million"),
    Case("bomb-9000x9000.png", PNG, "is an image of 81 million pixels (9000 by 9000)"),
    Case("bomb-60000x60000.jpg", JPEG, "is an image of 3,600 million pixels"),
    Case("truncated.png", PNG, "is a damaged PNG image"),
    Case("corrupt.png", PNG, "is a damaged PNG image"),
    Case("valid.jpg", JPEG, None),
    Case("truncated.jpg", JPEG, "is a damaged JPEG image"),
    Case("corrupt.jpg", JPEG, "is a damaged JPEG image"),
    Case("valid.docx", DOCX, None),
    Case("zip-bomb.docx", DOCX, "is a zip bomb, not a Word document: its part word/document.xml would grow "
                                "from 50 KB to 50 MB"),
    Case("no-document-xml.docx", DOCX, "is not a Word document: it has no word/document.xml"),
    Case("broken-zip.docx", DOCX, "is a damaged Word document"),
    Case("valid.xlsx", XLSX, None),
    Case("valid.pptx", PPTX, None),
    Case("macros.xlsm", XLSM, "is an Excel workbook with macros (XLSM): a macro would run on the recipient's "
                              "computer, so we do not accept macros; save it as Excel Workbook (.xlsx)"),
    Case("macros-named.xlsx", XLSX, "is an Excel workbook with macros (XLSM)"),
    Case("macros.pptm", PPTM, "is a PowerPoint presentation with macros (PPTM)"),
    Case("external-link.xlsx", XLSX, "is an Excel workbook with links to other workbooks (external links)"),
    Case("linked-picture.pptx", PPTX, "links to a file outside it (http://tracker.example/pixel.png)"),
    Case("zip-bomb.xlsx", XLSX, "is a zip bomb, not an Excel workbook: its part xl/worksheets/sheet1.xml "
                                "would grow from 50 KB to 50 MB"),
    Case("broken-zip.pptx", PPTX, "is a damaged PowerPoint presentation: it cannot be read as a PPTX "
                                  "(zip) file"),
    Case("empty.pdf", PDF, "empty"),
    Case("empty.txt", "text/plain", "empty"),
    Case("text-declared-as.pdf", PDF, "is declared as application/pdf but its content is text/plain"),
    Case("jpeg-declared-as.png", PNG, "is declared as image/png but its content is image/jpeg"),
]
REFUSED = [case for case in CASES if case.refusal is not None]


def corpus_file(name: str) -> bytes:
    """A file of the corpus, e.g. `corpus_file("valid.pdf")` for a real, small PDF."""
    return (FOLDER / name).read_bytes()
