"""What a ZIP import may take from an archive's directory, judged on names and attributes alone
(pure: the adapter reads the bytes, counting them; these rules never trust a declared size).

An entry becomes a file in a folder path of the library, or a refusal that names why:

    ../etc/passwd        refused: goes up out of the archive (`..`)
    /etc/passwd, C:\\x    refused: an absolute path
    link (a symlink)     refused: links are not followed (Unix mode in the external attributes)
    a/B.txt after a/b.txt  refused: the same name twice (names compare case-insensitively)
    __MACOSX/..., .DS_Store, Thumbs.db   skipped: the archiver's own metadata, not a document
    docs/                a folder entry: the folder is made when a file in it is stored
"""

from __future__ import annotations

import re
import stat
from dataclasses import dataclass
from enum import StrEnum

from sharebound.domain.errors import InvalidInput
from sharebound.domain.folders import folder_name
from sharebound.domain.limits import MAX_FOLDER_DEPTH, MAX_ZIP_PATH, MAX_ZIP_RATIO, ZIP_RATIO_FLOOR

_DRIVE = re.compile(r"^[A-Za-z]:")
_JUNK_FOLDERS = {"__MACOSX"}
_JUNK_FILES = {".DS_Store", "Thumbs.db", "desktop.ini"}
ZIP_MAGIC = b"PK\x03\x04"
UNIX_CREATOR = 3  # why: the "version made by" high byte for Unix; only then are the attributes a mode


class Outcome(StrEnum):
    STORED = "stored"
    REFUSED = "refused"
    SKIPPED = "skipped"


@dataclass(frozen=True, slots=True)
class FileOutcome:
    """One line of an upload's report."""

    path: str  # as named in the archive or the upload
    outcome: Outcome
    reason: str = ""  # why it was refused or skipped
    item_id: str | None = None
    media_type: str | None = None


@dataclass(frozen=True, slots=True)
class Entry:
    """An archive entry as the adapter lists it: its name and what the header declares."""

    name: str
    is_dir: bool
    mode: int  # the Unix mode in the external attributes (0 when not made on Unix)
    encrypted: bool


@dataclass(frozen=True, slots=True)
class Planned:
    """An entry judged: `parts` (folders then the file name) when it may be read, else a refusal."""

    entry: Entry
    parts: tuple[str, ...] = ()
    outcome: Outcome | None = None  # None: to be read; else refused or skipped
    reason: str = ""

    @property
    def path(self) -> str:
        return self.entry.name


def plan(entries: list[Entry]) -> list[Planned]:
    """Judge every entry's name and attributes; duplicates after the first are refused."""
    seen: set[tuple[str, ...]] = set()
    found = []
    for entry in entries:
        judged = _judge(entry)
        if judged.outcome is None:
            key = tuple(p.casefold() for p in judged.parts)
            if key in seen:
                judged = Planned(entry, outcome=Outcome.REFUSED,
                                 reason="the same name twice in the archive: only the first is stored")
            seen.add(key)
        if not entry.is_dir or (judged.outcome is not None and judged.outcome is not Outcome.SKIPPED):
            found.append(judged)
    return found


def _judge(entry: Entry) -> Planned:
    name = entry.name
    refused = Outcome.REFUSED
    if len(name) > MAX_ZIP_PATH:
        return Planned(entry, outcome=refused, reason=f"a path over {MAX_ZIP_PATH} characters")
    unified = name.replace("\\", "/")
    if unified.startswith("/") or _DRIVE.match(unified):
        return Planned(entry, outcome=refused, reason="an absolute path: entries must be relative")
    raw = [p for p in unified.split("/") if p not in {"", "."}]
    if ".." in raw:
        return Planned(entry, outcome=refused, reason="a path that goes up (..) out of the archive")
    if stat.S_ISLNK(entry.mode):
        return Planned(entry, outcome=refused, reason="a symbolic link: links are not followed")
    if any(p in _JUNK_FOLDERS for p in raw) or (raw and raw[-1] in _JUNK_FILES) or (
            raw and raw[-1].startswith("._")):
        return Planned(entry, outcome=Outcome.SKIPPED, reason="the archiver's own metadata")
    if entry.is_dir:
        return Planned(entry, outcome=Outcome.SKIPPED, reason="a folder")
    if not raw:
        return Planned(entry, outcome=refused, reason="an entry with no name")
    if stat.S_IFMT(entry.mode) not in {0, stat.S_IFREG}:  # why: many archivers leave the type out
        return Planned(entry, outcome=refused, reason="not a regular file (a device, a pipe...)")
    if entry.encrypted:
        return Planned(entry, outcome=refused, reason="encrypted: we cannot check what is in it")
    if len(raw) - 1 > MAX_FOLDER_DEPTH:
        return Planned(entry, outcome=refused, reason=f"folders nest at most {MAX_FOLDER_DEPTH} deep")
    try:
        parts = (*(folder_name(p, "path") for p in raw[:-1]), raw[-1])
    except InvalidInput as bad:
        return Planned(entry, outcome=refused, reason=f"a folder name that {bad.why()}")
    return Planned(entry, parts=parts)


def unpacked_allowance(archive_size: int, total_limit: int) -> int:
    """How many bytes an archive of `archive_size` bytes may unpack to: at most `total_limit`,
    and at most MAX_ZIP_RATIO times its size (not below ZIP_RATIO_FLOOR: small text compresses
    well)."""
    return min(total_limit, max(MAX_ZIP_RATIO * archive_size, ZIP_RATIO_FLOOR))
