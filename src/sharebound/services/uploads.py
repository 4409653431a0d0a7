"""Bulk upload and ZIP import: many files in one request, each checked and typed as a single
upload is, each stored in its own transaction (with the folders its path needs), so that a bad
file never blocks the good ones and nothing is half-stored. The answer is a report: one line
per file, stored (its item) or refused or skipped (the reason).

A ZIP is read twice: once to judge every entry and count its bytes (a bomb is refused before
anything is stored), once to store the good ones. See docs/library.md for the limits.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import IO, BinaryIO

from sharebound.adapters import zip_reading
from sharebound.adapters.filetypes import OTHER, detect, problem_with
from sharebound.domain.archives import FileOutcome, Outcome, plan, unpacked_allowance
from sharebound.domain.classification import Classification
from sharebound.domain.errors import InvalidInput, ShareboundError
from sharebound.domain.folders import Folder, children
from sharebound.domain.items import ItemKind
from sharebound.domain.limits import MAX_BULK_FILES, MAX_TITLE, MAX_ZIP_UNPACKED_BYTES
from sharebound.domain.orgs import Person
from sharebound.services import folders, items
from sharebound.services.common import actor
from sharebound.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Metadata:
    """The classification and topics of a whole upload, and per file (by path) where they differ."""

    classification: Classification
    topics: frozenset[str]
    per_file: Mapping[str, tuple[Classification | None, frozenset[str] | None]]

    def of(self, path: str) -> tuple[str, list[str]]:
        level, topics = self.per_file.get(path, (None, None))
        chosen = topics if topics is not None else self.topics
        return (level or self.classification).value, sorted(chosen)


@dataclass(frozen=True)
class IncomingFile:
    """One file of a multi-file upload: its name, its bytes (seekable), and its type as the
    entry point judged it (declared against content), or why it was refused already."""

    name: str
    file: BinaryIO
    media_type: str | None
    refused: str = ""


@dataclass(frozen=True)
class UploadReport:
    files: tuple[FileOutcome, ...]

    @property
    def stored(self) -> int:
        return sum(1 for f in self.files if f.outcome is Outcome.STORED)

    @property
    def refused(self) -> int:
        return sum(1 for f in self.files if f.outcome is Outcome.REFUSED)


def parse_metadata(classification: object, topics: object, per_file: object) -> Metadata:
    """The upload's metadata; InvalidInput names each bad field (`per_file.<path>.topics`...)."""
    errors: dict[str, str] = {}
    level = topic_set = None
    try:
        fields = items.parse_item_fields(title="-", classification=classification,
                                         topics=topics if topics is not None else [], required=True)
        level, topic_set = fields.classification, fields.topics
    except InvalidInput as bad:
        errors.update(bad.errors)
    overrides: dict[str, tuple[Classification | None, frozenset[str] | None]] = {}
    if per_file is not None and not isinstance(per_file, dict):
        errors["per_file"] = "must be an object: a file's path to its classification and topics"
    for path, wanted in (per_file or {}).items() if isinstance(per_file, dict) else ():
        if not isinstance(wanted, dict) or set(wanted) - {"classification", "topics"}:
            errors[f"per_file.{path}"] = "must be an object with classification and/or topics"
            continue
        try:
            got = items.parse_item_fields(classification=wanted.get("classification"),
                                          topics=wanted.get("topics"))
            overrides[str(path)] = (got.classification, got.topics)
        except InvalidInput as bad:
            errors.update({f"per_file.{path}.{k}": v for k, v in bad.errors.items()})
    if errors:
        raise InvalidInput(errors)
    assert level is not None and topic_set is not None
    return Metadata(level, topic_set, overrides)


def upload_files(uow: UnitOfWork, actor_id: str, files: Sequence[IncomingFile], meta: Metadata, *,
                 folder_id: str | None = None, limit: int | None = None) -> UploadReport:
    """Store each file as an item in `folder_id` (None: the root), each on its own."""
    if not files:
        raise InvalidInput({"files": "is required: send one or more files"})
    if len(files) > MAX_BULK_FILES:
        raise InvalidInput({"files": f"at most {MAX_BULK_FILES} files at once: import a ZIP instead"})
    _unknown_paths(meta, {f.name for f in files})
    person = _check_folder(uow, actor_id, folder_id)
    outcomes = []
    for incoming in files:
        if incoming.refused or incoming.media_type is None:
            outcomes.append(FileOutcome(incoming.name, Outcome.REFUSED, incoming.refused))
            continue
        outcomes.append(_store(uow, person, (incoming.name,), incoming.name, incoming.file,
                               incoming.media_type, meta, folder_id, limit, {}))
    return UploadReport(tuple(outcomes))


def import_zip(uow: UnitOfWork, actor_id: str, archive_file: BinaryIO, meta: Metadata, *,
               folder_id: str | None = None, limit: int) -> UploadReport:
    """Recreate the archive's folders under `folder_id` and store each file in its folder."""
    person = _check_folder(uow, actor_id, folder_id)
    size = archive_file.seek(0, 2)
    archive_file.seek(0)
    with zip_reading.open_archive(archive_file) as archive:
        listed = zip_reading.entries(archive)
        infos = {entry.name: info for entry, info in listed}
        planned = plan([entry for entry, _ in listed])
        _unknown_paths(meta, {p.path for p in planned})
        readable = [infos[p.path] for p in planned if p.outcome is None]
        try:
            broken = zip_reading.measure(archive, readable, limit,
                                         unpacked_allowance(size, MAX_ZIP_UNPACKED_BYTES))
        except zip_reading.Bomb:
            raise InvalidInput({"file": "unpacks to far more than its size allows (a ZIP bomb?): "
                                        "nothing was stored"}) from None
        outcomes = []
        made: dict[tuple[str, ...], str | None] = {}
        for p in planned:
            if p.outcome is not None:
                outcomes.append(FileOutcome(p.path, p.outcome, p.reason))
            elif p.path in broken:
                outcomes.append(FileOutcome(p.path, Outcome.REFUSED, broken[p.path]))
            else:
                with zip_reading.extract(archive, infos[p.path], limit) as spool:
                    outcomes.append(_store_entry(uow, person, p.parts, p.path, spool, meta,
                                                 folder_id, limit, made))
    return UploadReport(tuple(outcomes))


def _store_entry(uow: UnitOfWork, person: Person, parts: tuple[str, ...], path: str,
                 spool: IO[bytes], meta: Metadata, folder_id: str | None, limit: int,
                 made: dict[tuple[str, ...], str | None]) -> FileOutcome:
    file: BinaryIO = spool  # type: ignore[assignment]  # why: a SpooledTemporaryFile reads as one
    media_type = detect(file, parts[-1])
    if media_type == OTHER and zip_reading.holds_archive(spool):
        return FileOutcome(path, Outcome.REFUSED, "a ZIP inside the ZIP is not unpacked: "
                                                  "import it on its own")
    return _store(uow, person, parts, path, file, media_type, meta, folder_id, limit, made)


def _store(uow: UnitOfWork, person: Person, parts: tuple[str, ...], path: str, file: BinaryIO,
           media_type: str, meta: Metadata, base: str | None, limit: int | None,
           made: dict[tuple[str, ...], str | None]) -> FileOutcome:
    """One file: checked as its type, then its folders and its item, or the reason it is refused."""
    problem = problem_with(file, media_type, uow.limits, limit)
    if problem is not None:
        return FileOutcome(path, Outcome.REFUSED, problem, media_type=media_type)
    classification, topics = meta.of(path)
    try:
        target = _folder_for(uow, person, base, parts[:-1], made)
        item = items.add_item(uow, person.id, title=parts[-1][:MAX_TITLE], classification=classification,
                              topics=topics, content=file, kind=ItemKind.FILE.value,
                              media_type=media_type, filename=parts[-1], limit=limit, folder_id=target)
    except ShareboundError as refused:
        return FileOutcome(path, Outcome.REFUSED, refused.why(), media_type=media_type)
    return FileOutcome(path, Outcome.STORED, item_id=item.id, media_type=media_type)


def _folder_for(uow: UnitOfWork, person: Person, base: str | None, names: tuple[str, ...],
                made: dict[tuple[str, ...], str | None]) -> str | None:
    """The folder `names` leads to under `base`, made (in one transaction) where missing."""
    if not names:
        return base
    if names in made:
        return made[names]
    with uow:
        existing: list[Folder] = uow.folders.of_org(person.org)
        current = base
        for depth in range(1, len(names) + 1):
            name = names[depth - 1]
            found = next((f for f in children(existing, current)
                          if f.name.casefold() == name.casefold()), None)
            current = found.id if found else folders.create_in(uow, person, existing, name, current).id
            made[names[:depth]] = current
        uow.commit()
    return current


def _check_folder(uow: UnitOfWork, actor_id: str, folder_id: str | None) -> Person:
    with uow.reading():
        person = actor(uow, actor_id)
        if folder_id is not None:
            folders.own_folder(uow, person, folder_id)
    return person


def _unknown_paths(meta: Metadata, paths: set[str]) -> None:
    unknown = sorted(set(meta.per_file) - paths)
    if unknown:
        raise InvalidInput({"per_file": f"names files not in the upload: {', '.join(unknown[:5])}"})
