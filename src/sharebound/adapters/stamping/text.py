"""Text stamps: a header and a footer line for plain text and Markdown; for CSV one trailing
record, so that the file still parses.

Why CSV differs: a line above a CSV's header row would become its header (every reader then
sees one column and rows that do not fit it). Instead the stamp is one extra record at the
end, written with the file's own delimiter and quoting, the stamp line in its first field and
the other fields empty: every CSV reader still parses the file, its header row stays first,
and only the row count grows by one.

The copy keeps the file's encoding and byte order mark (a Windows-1252 CSV stays Windows-1252,
UTF-16 stays UTF-16), so that the program that made it still opens it; when the stamp holds a
character the encoding has no place for (a Greek name in a Windows-1252 file), the whole copy
is written in UTF-8 with a BOM, which Excel and every editor recognise.
"""

from __future__ import annotations

import csv
import io
from typing import BinaryIO

from sharebound.adapters import encodings
from sharebound.domain.media_types import CSV
from sharebound.domain.stamps import Stamp, stamp_text

SNIFF = 64 * 1024  # why: enough rows to tell the delimiter


def stamp_text_file(source: BinaryIO, media_type: str, stamp: Stamp) -> bytes:
    """The text stamped, written back in the file's own encoding (see `Decoded.encode`)."""
    data = source.read()
    decoded = encodings.decode(data) or encodings.Decoded(data.decode("utf-8", errors="replace"), "utf-8")
    stamped = _stamp_csv(decoded.text, stamp) if media_type == CSV else stamp_text(decoded.text, stamp)
    return decoded.encode(stamped)


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
