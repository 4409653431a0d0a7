"""A package as one ZIP of the recipient's copies, streamed: each file is stamped (and its copy
recorded) as a single download is, written into the archive, and handed on before the next one
is made. The ZIP is written STORED to a sink the generator empties after every write; each
file (a stamped copy's spool file, or the original) is copied in 1 MiB pieces, so that neither
a whole file nor the archive is ever in memory."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from typing import BinaryIO

from sharebound.services import copies
from sharebound.services.packages import PackageView, zip_name
from sharebound.services.unit_of_work import UnitOfWork

CHUNK = 1024 * 1024  # why: files are copied in 1 MiB pieces: memory stays flat whatever their size


class _Sink:
    """A write-only stream for `zipfile` (which then writes data descriptors, never seeking)."""

    def __init__(self) -> None:
        self.pieces: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.pieces.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        return None

    def take(self) -> bytes:
        out = b"".join(self.pieces)
        self.pieces.clear()
        return out


def _opened(copy: copies.Download) -> BinaryIO:
    if copy.spool is not None:  # a stamped copy: its spool file, closed once copied in
        return copy.spool
    if copy.path is not None:
        return copy.path.open("rb")
    assert copy.opener is not None
    return copy.opener()


def stream_package(uow: UnitOfWork, actor_id: str, view: PackageView,
                   ip: str | None = None) -> Iterator[bytes]:
    """The ZIP's bytes, file by file; each file's copy is recorded as it is made (`ip`: the
    downloader's address, for a watermark template that names it)."""
    sink = _Sink()
    when = view.package.created_at.timetuple()[:6]
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:  # type: ignore[call-overload]
        for row in view.rows:
            copy = copies.download_disclosure(uow, actor_id, row.disclosure.id, ip)
            info = zipfile.ZipInfo(zip_name(row, copy.filename), date_time=when)
            with _opened(copy) as source, archive.open(info, "w", force_zip64=True) as target:
                while chunk := source.read(CHUNK):
                    target.write(chunk)
                    yield sink.take()
            yield sink.take()
    yield sink.take()
