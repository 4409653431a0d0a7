"""The one answer a download gets, for the API and the pages: a stamped copy streamed from its
spool file (closed, and so freed, when the response ends or the client leaves), or the original
streamed from its blob file, or decrypted as it streams (never read whole into memory). Each
original answers a single byte range (`Range: bytes=a-b`, `bytes=a-`, `bytes=-n`) with 206, an
unsatisfiable one with 416; several ranges get the whole body (200). A stamped copy is sent
whole, always, with `Accept-Ranges: none`: each request makes a new copy with its own copy id,
so a download resumed from a range of another would splice two different copies."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import BinaryIO

import anyio
from fastapi.responses import FileResponse, Response
from starlette.datastructures import Headers
from starlette.types import Receive, Scope, Send

from sharebound.services.copies import Download
from sharebound.web.uploads import content_disposition

COPY_HEADER = "X-Sharebound-Copy"
CHUNK = 2 * 1024 * 1024  # why: two 1 MiB segments per send, each decrypted straight into it;
#                          1, 2 and 4 MiB measured alike, 8 MiB slower; two chunks in flight
SPOOL_CHUNK = 1024 * 1024  # why: a stamped copy's spool is a plain file: 1 MiB reads keep up
_RANGE = re.compile(r"\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*", re.ASCII | re.IGNORECASE)


class Unsatisfiable(Exception):
    """The range asked for starts at or past the end of the content."""
# why: a download is never a page: should a browser show one anyway (an SVG, which may hold
# script; an HTML file declared as text), nothing in it runs or loads
DOWNLOAD_CSP = "default-src 'none'; frame-ancestors 'none'; sandbox"


class _BlobFile(FileResponse):
    chunk_size = 1024 * 1024  # why: 1 MiB reads keep loopback throughput near the disk's


def byte_range(header: str | None, size: int) -> tuple[int, int] | None:
    """The one range `[start, end)` a Range header asks for, or None for the whole body (no
    header, several ranges, another unit, or a malformed one: RFC 9110 lets us ignore those)."""
    match = _RANGE.fullmatch(header) if header is not None else None
    if match is None:
        return None
    first, last = match.groups()
    if not first:
        if not last:
            return None
        if int(last) == 0 or size == 0:
            raise Unsatisfiable  # why: a suffix of no bytes, or of empty content
        return max(0, size - int(last)), size
    start = int(first)
    if last and int(last) < start:
        return None
    if start >= size:
        raise Unsatisfiable
    return start, size if not last else min(int(last) + 1, size)


class _Streamed(Response):
    """A file opened for the response (a sealed blob's plaintext, a stamped copy's spool), or
    one range of it: read in a worker thread one chunk ahead of the chunk being sent, and
    closed as soon as the response ends or the client leaves."""

    def __init__(self, opener: Callable[[], BinaryIO], media_type: str, headers: dict[str, str],
                 chunk: int = CHUNK, ranges: bool = True) -> None:
        super().__init__(media_type=media_type, headers=headers)
        self.opener = opener
        self.chunk = chunk
        self.ranges = ranges

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        source = await anyio.to_thread.run_sync(self.opener)
        try:
            size = await anyio.to_thread.run_sync(source.seek, 0, 2)
            asked = Headers(scope=scope)
            try:
                # why: without validators of our own, an If-Range cannot match: send it whole
                wanted = (None if "if-range" in asked or not self.ranges
                          else byte_range(asked.get("range"), size))
            except Unsatisfiable:
                await self._start(send, 416, 0, {"content-range": f"bytes */{size}"})
                await send({"type": "http.response.body", "body": b""})
                return
            start, end = wanted or (0, size)
            if wanted is None:
                await self._start(send, 200, size, {})
            else:
                await self._start(send, 206, end - start,
                                  {"content-range": f"bytes {start}-{end - 1}/{size}"})
            async with anyio.create_task_group() as group:
                async def stream() -> None:
                    await _send_body(source, start, end, send, self.chunk)
                    group.cancel_scope.cancel()

                async def watch() -> None:  # why: ASGI 2.3 servers drop sends after a disconnect
                    while (await receive())["type"] != "http.disconnect":
                        pass
                    group.cancel_scope.cancel()

                group.start_soon(stream)
                group.start_soon(watch)
        finally:
            await anyio.to_thread.run_sync(source.close)

    async def _start(self, send: Send, status: int, length: int, extra: dict[str, str]) -> None:
        headers = [(k, v) for k, v in self.raw_headers if k != b"content-length"]
        headers += [(b"content-length", str(length).encode()),
                    (b"accept-ranges", b"bytes" if self.ranges else b"none")]
        headers += [(k.encode(), v.encode()) for k, v in extra.items()]
        await send({"type": "http.response.start", "status": status, "headers": headers})


async def _send_body(source: BinaryIO, start: int, end: int, send: Send, size: int) -> None:
    """Bytes `[start, end)` of `source`, the next chunk read while this one is sent."""
    chunks, ready = anyio.create_memory_object_stream[bytes](0)  # why: one chunk sent while one is read

    async def read() -> None:
        async with chunks:
            await anyio.to_thread.run_sync(source.seek, start)
            remaining = end - start
            while remaining > 0:
                chunk = await anyio.to_thread.run_sync(source.read, min(size, remaining))
                if not chunk:
                    raise OSError("the file ended before its size")
                remaining -= len(chunk)
                await chunks.send(chunk)

    async with anyio.create_task_group() as group, ready:
        group.start_soon(read)
        async for chunk in ready:
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
    await send({"type": "http.response.body", "body": b""})


def download_response(copy: Download) -> Response:
    headers = {"Content-Disposition": content_disposition(copy.filename),
               "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff",
               "Content-Security-Policy": DOWNLOAD_CSP}
    if copy.copy_id:
        headers[COPY_HEADER] = copy.copy_id
    if copy.path is not None:  # a plaintext blob from before encryption: Range as files have it
        return _BlobFile(copy.path, media_type=copy.media_type, headers=headers)
    if copy.opener is not None:  # a sealed blob: decrypted chunk by chunk as it streams
        return _Streamed(copy.opener, copy.media_type, headers)
    assert copy.spool is not None
    spool = copy.spool
    return _Streamed(lambda: spool, copy.media_type, headers, SPOOL_CHUNK, ranges=False)
