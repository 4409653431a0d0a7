"""The media types Sharebound knows, one name each, for the upload checks, the stamps and
the content gate alike. Anything else is `OTHER`: stored and disclosed, never stamped.

Structured text (JSON, XML, SVG, STEP) is read by the gate as text, but a stamp line above
it would break the file (a STEP file must start with `ISO-10303-21;`, an XML declaration
must come first, JSON has no room for anything outside its value): XML and SVG get the stamp
as a comment after the declaration, STEP as a `/* */` comment after its first line, and
JSON, which has no comments, cannot be stamped (`UNSTAMPABLE` says why, in words).
"""

from __future__ import annotations

PDF, PNG, JPEG = "application/pdf", "image/png", "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
# Office documents with macros: recognized so that they are refused by name (a macro runs on
# the recipient's computer; we neither store nor strip one): never KNOWN, never stored
XLSM = "application/vnd.ms-excel.sheet.macroEnabled.12"
PPTM = "application/vnd.ms-powerpoint.presentation.macroEnabled.12"
MACRO_TYPES = frozenset({XLSM, PPTM})
OFFICE_TYPES = frozenset({DOCX, XLSX, PPTX})  # OOXML packages (ZIPs), told apart by their main part
TEXT, MARKDOWN, CSV = "text/plain", "text/markdown", "text/csv"
JSON, XML, SVG, STEP = "application/json", "application/xml", "image/svg+xml", "model/step"
OTHER = "application/octet-stream"
TEXT_TYPES = frozenset({TEXT, MARKDOWN, CSV})  # stamped with a header and a footer line (CSV: a record)
MARKUP_TYPES = frozenset({XML, SVG})
STRUCTURED_TYPES = frozenset({JSON, STEP, *MARKUP_TYPES})  # text whose grammar forbids a stamp line
READ_AS_TEXT = TEXT_TYPES | STRUCTURED_TYPES  # what the gate and view only read as text
IMAGE_TYPES = frozenset({PNG, JPEG})
KNOWN = frozenset({PDF, *OFFICE_TYPES, *IMAGE_TYPES, *READ_AS_TEXT})
# why: the other names programs and browsers give these formats; each means the one above
ALIASES = {"text/xml": XML, "application/step": STEP, "application/p21": STEP, "text/json": JSON}
# why: browsers declare a .csv as Excel's type (Windows maps the extension to Excel); these mean
# CSV only when the content is text: a real Excel workbook (.xls) is not
CSV_DECLARED_AS = frozenset({"application/vnd.ms-excel", "application/csv", "text/x-csv"})
UNSTAMPABLE = {
    JSON: "JSON has no comments, so no stamp can be added to it without changing its data",
}
"""Known types that cannot carry a stamp, and why."""
