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
from sharebound.domain.limits import MAX_ZIP_ENTRIES, MAX_ZIP_PATH

CHUNK = 1024 * 1024  # why: decompress in 1 MiB steps: memory stays flat, a bomb is caught early
SPOOL = 4 * 1024 * 1024  # why: files up to 4 MiB stay in memory; larger ones go to a temporary file
_BROKEN = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError,
           OSError)


class TooBig(Exception):
    """An entry unpacked past the per-file limit."""


class Bomb(Exception):
    """The archive unpacked past its allowance."""


def open_archive(file: BinaryIO) -> zipfile.ZipFile:
    """The archive, or InvalidInput naming what is wrong with it (not a ZIP, too many entries).
    The entry count is read from the end records first: a directory of millions of entries is
    refused before zipfile builds an object for each."""
    too_many = InvalidInput({"file": f"holds more than {MAX_ZIP_ENTRIES} entries: split it into "
                                     "several archives"})
    if _declared_entries(file) > MAX_ZIP_ENTRIES:
        raise too_many
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise InvalidInput({"file": "is not a ZIP archive we can read"}) from None
    if len(archive.infolist()) > MAX_ZIP_ENTRIES:
        archive.close()
        raise too_many
    return archive


_END = b"PK\x05\x06"  # end of central directory record (22 bytes and a comment up to 64 KiB)
_END64_LOCATOR = b"PK\x06\x07"  # zip64 end of central directory locator (20 bytes)
_END64 = b"PK\x06\x06"
_HEADER = b"PK\x01\x02"  # a central directory header: 46 bytes, then name, extra, comment
# why: the most directory a ZIP of MAX_ZIP_ENTRIES entries with the longest paths (4 bytes a
# character) and generous extra fields can need; a larger one is refused unread
_MOST_DIRECTORY = MAX_ZIP_ENTRIES * (46 + 4 * MAX_ZIP_PATH + 1024)


def _declared_entries(file: BinaryIO) -> int:
    """How many entries the central directory holds, counted by walking its headers (never by
    building an object per entry), stopping past MAX_ZIP_ENTRIES; 0 when there is no end
    record or the directory is not where it says (zipfile then judges the archive)."""
    file.seek(0, 2)
    size = file.tell()
    file.seek(max(0, size - (22 + 0xFFFF)))
    tail = file.read()
    start = max(0, size - (22 + 0xFFFF))
    at = tail.rfind(_END)
    if at < 0 or len(tail) - at < 22:
        file.seek(0)
        return 0
    length = int.from_bytes(tail[at + 12:at + 16], "little")
    offset = int.from_bytes(tail[at + 16:at + 20], "little")
    locator = tail.rfind(_END64_LOCATOR, 0, at)
    if locator >= 0 and at - locator == 20:  # zip64: the real numbers are in its own record
        file.seek(int.from_bytes(tail[locator + 8:locator + 16], "little"))
        record = file.read(56)
        if len(record) == 56 and record[:4] == _END64:
            length = int.from_bytes(record[40:48], "little")
            offset = int.from_bytes(record[48:56], "little")
    if length > _MOST_DIRECTORY:
        file.seek(0)
        return MAX_ZIP_ENTRIES + 1
    if offset + length > start + at:  # data before the archive (a self-extractor): shift it
        offset = start + at - length
    file.seek(max(0, offset))
    directory = file.read(length)
    file.seek(0)
    count, here = 0, 0
    while here + 46 <= len(directory) and directory[here:here + 4] == _HEADER:
        count += 1
        if count > MAX_ZIP_ENTRIES:
            break
        here += (46 + int.from_bytes(directory[here + 28:here + 30], "little")
                 + int.from_bytes(directory[here + 30:here + 32], "little")
                 + int.from_bytes(directory[here + 32:here + 34], "little"))
    return count


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
