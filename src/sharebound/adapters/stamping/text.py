"""Text stamps: a header and a footer line for plain text and Markdown; for CSV one trailing
record, so that the file still parses.

Why CSV differs: a line above a CSV's header row would become its header (every reader then
sees one column and rows that do not fit it). Instead the stamp is one extra record at the
end, written with the file's own delimiter and quoting, the stamp line in its first field and
the other fields empty: every CSV reader still parses the file, its header row stays first,
and only the row count grows by one.
"""

from __future__ import annotations

import csv
import io
from typing import BinaryIO

from sharebound.domain.media_types import CSV
from sharebound.domain.stamps import Stamp, stamp_text

SNIFF = 64 * 1024  # why: enough rows to tell the delimiter


def stamp_text_file(source: BinaryIO, media_type: str, stamp: Stamp) -> bytes:
    text = source.read().decode("utf-8", errors="replace")
    if media_type != CSV:
        return stamp_text(text, stamp).encode("utf-8")
    return _stamp_csv(text, stamp).encode("utf-8")


def _stamp_csv(text: str, stamp: Stamp) -> str:
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:SNIFF], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    rows = list(csv.reader(io.StringIO(text[:SNIFF]), dialect))
    width = max((len(r) for r in rows[:1]), default=1) or 1
    newline = "\r\n" if "\r\n" in text[:SNIFF] else "\n"
    out = io.StringIO()
    out.write(text)
    if text and not text.endswith(("\n", "\r")):
        out.write(newline)
    writer = csv.writer(out, delimiter=dialect.delimiter, quotechar=dialect.quotechar or '"',
                        quoting=csv.QUOTE_MINIMAL, lineterminator=newline)
    writer.writerow([stamp.line(), *[""] * (width - 1)])
    return out.getvalue()
