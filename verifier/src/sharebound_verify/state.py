"""The verifier's memory: the last checkpoint it verified for each log, one file per log.

Files are written atomically (a temporary file in the same folder, fsync, rename, fsync the
folder), so a crash leaves the old checkpoint or the new one, never half of one. A checkpoint
that contradicts the stored one is kept beside it as evidence: two notes signed by the same key
that cannot both be true prove the log misbehaved to anyone who holds the public key.
"""

from __future__ import annotations

import os
import tempfile
import urllib.parse
from pathlib import Path


class StateDir:
    def __init__(self, path: Path) -> None:
        self.path = path

    def _file(self, log: str, suffix: str = "") -> Path:
        return self.path / f"{urllib.parse.quote(log, safe='')}{suffix}.checkpoint"

    def load(self, log: str) -> str | None:
        try:
            return self._file(log).read_text(encoding="utf-8")
        except FileNotFoundError:
            return None

    def save(self, log: str, note: str) -> Path:
        return self._write(self._file(log), note)

    def keep_evidence(self, log: str, note: str, label: str) -> Path:
        return self._write(self._file(log, f".{label}"), note)

    def _write(self, target: Path, text: str) -> Path:
        self.path.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, temporary = tempfile.mkstemp(dir=self.path, prefix=".tmp-", suffix=".checkpoint")
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
                out.write(text)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        directory = os.open(self.path, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
        return target
