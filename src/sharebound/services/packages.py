"""Package disclosures: several items, or a whole folder, disclosed in one act to the same
recipients under one agreement; the recipient's view of it as a tree; its download as one ZIP
of stamped copies, streamed.

Each item passes the disclosure rule as a single disclosure does (and the gate also reads the
folder names the recipient will see). By default a package is all or nothing: if any item is
refused, nothing is disclosed and the refusal lists every item with its reasons; with
`allowed_only`, the allowed items are disclosed and the refused ones left out (and named).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sharebound.domain.audit import org_log, partnership_log
from sharebound.domain.decisions import Decision, Reason
from sharebound.domain.disclosures import Disclosure
from sharebound.domain.errors import InvalidInput, NotFound, Refused
from sharebound.domain.events import PackageDisclosed, PackageRefused
from sharebound.domain.folders import Folder, descendants, item_numbers, numbers
from sharebound.domain.ids import new_id
from sharebound.domain.items import Item
from sharebound.domain.limits import MAX_PACKAGE_ITEMS, MAX_TITLE
from sharebound.domain.orgs import Person
from sharebound.domain.packages import Package, PackageEntry, number_key
from sharebound.services import copies, disclosures, gate
from sharebound.services.common import actor, record
from sharebound.services.disclosures import DisclosureDraft
from sharebound.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class PackageDraft:
    agreement_id: str
    recipients: Sequence[str]
    actions: Sequence[str]
    item_ids: Sequence[str] = ()  # these items; or
    folder_id: str | None = None  # every item in this folder and its subfolders
    expires_at: datetime | None = None
    allowed_only: bool = False  # True: disclose the allowed items, leave the refused ones out


@dataclass(frozen=True)
class ItemDecision:
    item_id: str
    title: str
    number: str
    path: tuple[str, ...]
    decision: Decision

    def as_dict(self) -> dict[str, object]:
        return {"item_id": self.item_id, "title": self.title, "number": self.number,
                "allowed": self.decision.allowed,
                "reasons": [r.as_dict() for r in self.decision.reasons]}


@dataclass(frozen=True)
class Disclosed:
    package: Package
    entries: tuple[tuple[PackageEntry, Disclosure], ...]
    decisions: tuple[ItemDecision, ...]  # every item, the refused ones too (allowed_only)


@dataclass(frozen=True)
class PackageRow:
    number: str
    path: tuple[str, ...]  # the folders above it, each as "number name"
    disclosure: Disclosure


@dataclass(frozen=True)
class PackageView:
    package: Package
    rows: tuple[PackageRow, ...]  # in number order


def disclose_package(uow: UnitOfWork, actor_id: str, draft: PackageDraft) -> Disclosed:
    """Disclose every item of the package, each its own register entry linked to it, or raise
    `Refused` listing each item with its reasons (recorded in the discloser's log)."""
    _validate(draft)
    with uow.reading():
        person = actor(uow, actor_id)
        chosen = _chosen(uow, person, draft)
    for item, _, _ in chosen:
        gate.warm(uow, item.id)  # why: read the texts before taking the write lock
    with uow:
        person = actor(uow, actor_id)
        decided = []
        for item, number, path in chosen:
            checked = disclosures.check_in(uow, person, DisclosureDraft(
                item_id=item.id, agreement_id=draft.agreement_id, recipients=draft.recipients,
                actions=draft.actions, expires_at=draft.expires_at))
            decision = _with_folder_names(uow, person, item, path, checked.decision)
            decided.append((ItemDecision(item.id, item.title, number, path, decision), checked))
        refused = [d for d, _ in decided if not d.decision.allowed]
        allowed = [(d, c) for d, c in decided if d.decision.allowed]
        if not allowed or (refused and not draft.allowed_only):
            record(uow, org_log(person.org), person.id, draft.agreement_id, PackageRefused(
                agreement=draft.agreement_id, items=tuple(d.item_id for d in refused),
                codes=tuple(sorted({c for d in refused for c in d.decision.codes}))))
            uow.commit()
            raise Refused(Decision(tuple(
                Reason(r.code, r.term, f"{d.number} {d.title}: {r.message}")
                for d in refused for r in d.decision.reasons)), [d.as_dict() for d, _ in decided])
        agreement = allowed[0][1].agreement
        package = Package(id=new_id("pkg"), partnership_id=agreement.partnership_id,
                          discloser=person.org, disclosed_by=person.id, agreement_id=agreement.id,
                          name=_name(uow, draft, chosen), allowed_only=draft.allowed_only,
                          created_at=allowed[0][1].now)
        uow.packages.add(package)
        made = []
        for judged, checked in allowed:
            disclosure = disclosures.make_in(uow, person, checked, draft.actions, "", package.id)
            made.append((PackageEntry(package.id, disclosure.id, judged.number, judged.path),
                         disclosure))
        uow.packages.add_entries([entry for entry, _ in made])
        record(uow, partnership_log(package.partnership_id), person.id, package.id, PackageDisclosed(
            agreement=agreement.id, disclosures=tuple(d.id for _, d in made),
            left_out=tuple(d.item_id for d in refused), allowed_only=draft.allowed_only))
        uow.commit()
    return Disclosed(package, tuple(made), tuple(d for d, _ in decided))


def view_package(uow: UnitOfWork, actor_id: str, package_id: str) -> PackageView:
    """The package as its discloser's org, its recipients and the receiving org's admins see it."""
    with uow.reading():
        person = actor(uow, actor_id)
        return _view(uow, person, package_id)


def _view(uow: UnitOfWork, person: Person, package_id: str) -> PackageView:
    package = uow.packages.get(package_id)
    entries = uow.packages.entries(package_id) if package is not None else []
    if package is None or not entries:
        raise NotFound("package", package_id)
    try:
        first = disclosures.visible_disclosure(uow, person, entries[0].disclosure_id)
    except NotFound:
        raise NotFound("package", package_id) from None
    rows = [PackageRow(e.number, e.path, first if e.disclosure_id == first.id
                       else _disclosure(uow, e.disclosure_id)) for e in entries]
    return PackageView(package, tuple(sorted(rows, key=lambda r: number_key(r.number))))


def zip_name(row: PackageRow, filename: str) -> str:
    """Where a file lands in the package's ZIP: its folders, then its number and name."""
    return "/".join((*row.path, f"{row.number} {filename}"))


def package_files(uow: UnitOfWork, actor_id: str, package_id: str) -> PackageView:
    """The package for its ZIP, once every file may be downloaded: else `Refused`, naming each
    file that is view only or cannot carry the stamp the terms ask for (none is left out)."""
    view = view_package(uow, actor_id, package_id)
    problems = []
    for row in view.rows:
        try:
            copies.check_download(uow, actor_id, row.disclosure.id)
        except Refused as refused:
            problems.append((row, refused.decision))
        except NotFound:  # why: not a recipient (a receiving org's admin): the ZIP is not theirs
            raise NotFound("package", package_id) from None
    if problems:
        raise Refused(Decision(tuple(
            Reason(r.code, r.term, f"{row.number} {row.disclosure.item_title}: {r.message}")
            for row, decision in problems for r in decision.reasons)),
            [{"disclosure_id": row.disclosure.id, "number": row.number,
              "title": row.disclosure.item_title,
              "reasons": [r.as_dict() for r in decision.reasons]} for row, decision in problems])
    return view


def _disclosure(uow: UnitOfWork, disclosure_id: str) -> Disclosure:
    found = uow.disclosures.get(disclosure_id)
    assert found is not None  # the foreign key guarantees it
    return found


def _with_folder_names(uow: UnitOfWork, person: Person, item: Item, path: tuple[str, ...],
                       decision: Decision) -> Decision:
    """The recipient reads the folder names too: the gate reads them as it reads a title."""
    if not path or item.owner != person.org:
        return decision
    found = gate.text_findings(uow, person.org, "\n".join(path), item.classification)
    extra = tuple(Reason("content", "content", f"in the folder names, {f.message}") for f in found)
    return Decision(decision.reasons + extra, decision.not_found) if extra else decision


def _chosen(uow: UnitOfWork, person: Person, draft: PackageDraft) -> list[tuple[Item, str, tuple[str, ...]]]:
    """The package's items, each with its library number and the folders above it."""
    folders = uow.folders.of_org(person.org)
    by_id = {f.id: f for f in folders}
    if draft.folder_id is not None:
        top = by_id.get(draft.folder_id)
        if top is None:
            raise NotFound("folder", draft.folder_id)
        wanted = {top.id} | descendants(folders, top.id)
        found = uow.items.in_folders(person.org, wanted)
        if not found:
            raise InvalidInput({"folder_id": "the folder holds no item"})
    else:
        found = []
        for item_id in dict.fromkeys(draft.item_ids):
            item = uow.items.get(item_id)
            if item is None or item.owner != person.org:
                raise NotFound("item", item_id)
            found.append(item)
    if len(found) > MAX_PACKAGE_ITEMS:
        raise InvalidInput({"folder_id" if draft.folder_id else "item_ids":
                            f"a package holds at most {MAX_PACKAGE_ITEMS} items"})
    folder_numbers = numbers(folders)
    placements = uow.items.placements(person.org)
    item_nums = item_numbers(folders, placements, folder_numbers)
    stop = by_id[draft.folder_id].parent_id if draft.folder_id is not None else None
    return [(item, item_nums[item.id], _path(by_id, folder_numbers, item.folder_id, stop))
            for item in found]


def _path(by_id: dict[str, Folder], folder_numbers: dict[str, str], folder_id: str | None,
          stop: str | None) -> tuple[str, ...]:
    names: list[str] = []
    while folder_id is not None and folder_id != stop and folder_id in by_id:
        names.append(f"{folder_numbers[folder_id]} {by_id[folder_id].name}")
        folder_id = by_id[folder_id].parent_id
    return tuple(reversed(names))


def _name(uow: UnitOfWork, draft: PackageDraft, chosen: list[tuple[Item, str, tuple[str, ...]]]) -> str:
    if draft.folder_id is not None:
        folder = uow.folders.get(draft.folder_id)
        if folder is not None:
            return folder.name[:MAX_TITLE]
    return f"{len(chosen)} items"


def _validate(draft: PackageDraft) -> None:
    errors: dict[str, str] = {}
    if bool(draft.item_ids) == (draft.folder_id is not None):
        errors["item_ids"] = "name either item_ids or folder_id (one of them)"
    if len(draft.item_ids) > MAX_PACKAGE_ITEMS:
        errors["item_ids"] = f"a package holds at most {MAX_PACKAGE_ITEMS} items"
    errors.update(disclosures.problems_of(DisclosureDraft(
        item_id="", agreement_id=draft.agreement_id, recipients=draft.recipients,
        actions=draft.actions, expires_at=draft.expires_at)))
    if errors:
        raise InvalidInput(errors)
