"""Reading an uploaded ZIP without trusting it: its directory (entry count first), then each
entry's bytes counted as they are decompressed, never the sizes the archive declares.

`entries` lists the directory; `measure` decompresses every entry once, counting, and stops
the whole archive as soon as the total passes what its size allows (a ZIP bomb); `extract`
copies one entry into a spooled temporary file (in memory while small), again counting.
"""

from __future__ import annotations

import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, BinaryIO

from sharebound.domain.archives import UNIX_CREATOR, Entry
from sharebound.domain.errors import InvalidInput
from sharebound.domain.limits import MAX_ZIP_ENTRIES

CHUNK = 1024 * 1024  # why: decompress in 1 MiB steps: memory stays flat, a bomb is caught early
SPOOL = 4 * 1024 * 1024  # why: files up to 4 MiB stay in memory; larger ones go to a temporary file
_BROKEN = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError,
           OSError)


class TooBig(Exception):
    """An entry unpacked past the per-file limit."""


class Bomb(Exception):
    """The archive unpacked past its allowance."""


def open_archive(file: BinaryIO) -> zipfile.ZipFile:
    """The archive, or InvalidInput naming what is wrong with it (not a ZIP, too many entries)."""
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise InvalidInput({"file": "is not a ZIP archive we can read"}) from None
    if len(archive.infolist()) > MAX_ZIP_ENTRIES:
        archive.close()
        raise InvalidInput({"file": f"holds more than {MAX_ZIP_ENTRIES} entries: split it into "
                                    "several archives"})
    return archive


def entries(archive: zipfile.ZipFile) -> list[tuple[Entry, zipfile.ZipInfo]]:
    listed = []
    for info in archive.infolist():
        mode = (info.external_attr >> 16) if info.create_system == UNIX_CREATOR else 0
        listed.append((Entry(name=info.filename, is_dir=info.is_dir(), mode=mode,
                             encrypted=bool(info.flag_bits & 0x1)), info))
    return listed


def _chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> Iterator[bytes]:
    """The entry's bytes; TooBig as soon as they pass `limit`, whatever the header said."""
    seen = 0
    with archive.open(info) as source:
        while chunk := source.read(CHUNK):
            seen += len(chunk)
            if seen > limit:
                raise TooBig
            yield chunk


def measure(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], per_file: int,
            allowance: int) -> dict[str, str]:
    """Decompress each entry once, counting: what is wrong with each entry that cannot be read
    (by name), or Bomb when the total passes `allowance`."""
    total = 0
    problems: dict[str, str] = {}
    for info in infos:
        try:
            for chunk in _chunks(archive, info, per_file):
                total += len(chunk)
                if total > allowance:
                    raise Bomb
        except TooBig:
            problems[info.filename] = f"is over the limit of {per_file} bytes"
        except _BROKEN as error:
            problems[info.filename] = f"cannot be read from the archive ({_plain(error)})"
    return problems


@contextmanager
def extract(archive: zipfile.ZipFile, info: zipfile.ZipInfo, per_file: int) -> Iterator[IO[bytes]]:
    """The entry in a seekable temporary file (at its start), removed on leaving."""
    with tempfile.SpooledTemporaryFile(max_size=SPOOL) as spool:
        for chunk in _chunks(archive, info, per_file):
            spool.write(chunk)
        spool.seek(0)
        yield spool


def holds_archive(file: IO[bytes]) -> bool:
    """Whether `file` is itself a plain ZIP (not an Office document, which is a ZIP too)."""
    head = file.read(4)
    file.seek(0)
    if head != b"PK\x03\x04":
        return False
    try:
        with zipfile.ZipFile(file) as inner:
            return "[Content_Types].xml" not in inner.namelist()
    except _BROKEN:
        return True
    finally:
        file.seek(0)


def _plain(error: BaseException) -> str:
    text = str(error).strip()
    return text[:200] if text else type(error).__name__
