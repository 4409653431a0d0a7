"""A stamped copy on its way to the recipient: written once into a spooled temporary file (in
memory while small, an unnamed file in the instance's spool folder above IN_MEMORY), hashed as it is
written, then read back in chunks as it is sent and closed when the response ends.

The file on disk has no name (`tempfile.TemporaryFile`: O_TMPFILE, or unlinked at once), so
closing it frees it, and a killed server leaves nothing behind.
"""

from __future__ import annotations

import hashlib
import io
import tempfile
from pathlib import Path
from typing import BinaryIO

IN_MEMORY = 4 * 1024 * 1024  # why: a copy this small costs less in memory than a file; above, on disk
CHUNK = 1024 * 1024  # why: what the hash is recomputed in, should the writer ever seek back


class Spool:
    """A writable file for a stamper: every byte written is hashed in order. In memory up to
    IN_MEMORY bytes, then moved into an unnamed file in `folder` (None: the system's temporary
    folder). `finish()` gives the file (rewound), its SHA-256 and size; `close()` (or an
    exception in `with`) frees it."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        # why not tempfile.SpooledTemporaryFile: the same idea, but it warns when collected
        # unclosed even in memory, and a small copy read whole (tests, a package) has no close
        self.file: BinaryIO = io.BytesIO()
        self._digest = hashlib.sha256()
        self._size = 0
        self._in_order = True  # False once the writer moved back: the hash is then read again

    @property
    def on_disk(self) -> bool:
        return not isinstance(self.file, io.BytesIO)

    def _roll_over(self) -> None:
        if self.folder is not None:
            self.folder.mkdir(parents=True, exist_ok=True)
        memory = self.file
        assert isinstance(memory, io.BytesIO)
        disk = tempfile.TemporaryFile(dir=self.folder, prefix="copy-")  # noqa: SIM115  why: handed on open
        try:
            disk.write(memory.getbuffer())
            disk.seek(memory.tell())
        except BaseException:
            disk.close()
            raise
        self.file = disk

    # the file API a stamper writes through (pikepdf wants write, seek, tell and flush)
    def write(self, data: bytes | bytearray | memoryview) -> int:
        if not self.on_disk and self.file.tell() + len(data) > IN_MEMORY:
            self._roll_over()
        written = self.file.write(data)
        if self._in_order:
            self._digest.update(memoryview(data)[:written])
        self._size = max(self._size, self.file.tell())
        return written

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        at = self.file.seek(offset, whence)
        if at != self._size:
            self._in_order = False
        return at

    def tell(self) -> int:
        return self.file.tell()

    def flush(self) -> None:
        self.file.flush()

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readable(self) -> bool:
        return False

    def finish(self) -> tuple[BinaryIO, str, int]:
        """The written file rewound to its start, its SHA-256 and its size."""
        self.file.flush()
        if not self._in_order:
            self._digest = hashlib.sha256()
            self.file.seek(0)
            while chunk := self.file.read(CHUNK):
                self._digest.update(chunk)
        size = self.file.seek(0, io.SEEK_END)
        self.file.seek(0)
        return self.file, self._digest.hexdigest(), size

    def close(self) -> None:
        self.file.close()

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, kind: object, *_: object) -> None:
        if kind is not None:  # why: on success the file is handed on; on failure nobody else has it
            self.close()

