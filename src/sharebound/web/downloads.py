"""The one answer a download gets, for the API and the pages: a stamped copy from memory, or
the original streamed from its blob file, or decrypted as it streams (never read whole into
memory)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from fastapi.responses import FileResponse, Response, StreamingResponse

from sharebound.services.copies import Download
from sharebound.web.uploads import content_disposition

COPY_HEADER = "X-Sharebound-Copy"
# why: a download is never a page: should a browser show one anyway (an SVG, which may hold
# script; an HTML file declared as text), nothing in it runs or loads
DOWNLOAD_CSP = "default-src 'none'; frame-ancestors 'none'; sandbox"


class _BlobFile(FileResponse):
    chunk_size = 1024 * 1024  # why: 1 MiB reads keep loopback throughput near the disk's


def download_response(copy: Download) -> Response:
    headers = {"Content-Disposition": content_disposition(copy.filename),
               "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff",
               "Content-Security-Policy": DOWNLOAD_CSP}
    if copy.copy_id:
        headers[COPY_HEADER] = copy.copy_id
    if copy.path is not None:
        return _BlobFile(copy.path, media_type=copy.media_type, headers=headers)
    if copy.opener is not None:  # a sealed blob: decrypted segment by segment as it streams
        source = copy.opener()
        headers["Content-Length"] = str(source.seek(0, 2))
        source.seek(0)
        return StreamingResponse(_pieces(source), media_type=copy.media_type, headers=headers)
    assert copy.content is not None
    return Response(copy.content, media_type=copy.media_type, headers=headers)


def _pieces(source: BinaryIO) -> Iterator[bytes]:
    with source:
        yield from iter(lambda: source.read(_BlobFile.chunk_size), b"")
