"""What a ZIP import takes from an archive's directory: every name judged, never trusted."""

from __future__ import annotations

import stat

import pytest

from sharebound.domain.archives import Entry, Outcome, plan, unpacked_allowance
from sharebound.domain.limits import MAX_FOLDER_DEPTH, MAX_ZIP_RATIO, ZIP_RATIO_FLOOR


def _one(name: str, mode: int = 0, *, is_dir: bool = False, encrypted: bool = False) -> tuple[object, str]:
    [judged] = plan([Entry(name, is_dir, mode, encrypted)])
    return judged.outcome, judged.reason


@pytest.mark.parametrize("name", ["../x.txt", "a/../../x.txt", "a\\..\\x.txt", "./../x"])
def test_a_path_that_goes_up_is_refused(name: str) -> None:
    assert _one(name) == (Outcome.REFUSED, "a path that goes up (..) out of the archive")


@pytest.mark.parametrize("name", ["/etc/passwd", "\\windows\\x", "C:\\boot.ini", "c:/x.txt"])
def test_an_absolute_path_is_refused(name: str) -> None:
    assert _one(name) == (Outcome.REFUSED, "an absolute path: entries must be relative")


def test_a_link_a_device_and_an_encrypted_entry_are_refused() -> None:
    assert _one("l", stat.S_IFLNK | 0o777)[1] == "a symbolic link: links are not followed"
    assert _one("d", stat.S_IFCHR | 0o600)[1] == "not a regular file (a device, a pipe...)"
    assert _one("e.txt", encrypted=True)[1] == "encrypted: we cannot check what is in it"


def test_plain_and_typeless_modes_are_files() -> None:
    assert _one("a.txt", stat.S_IFREG | 0o644) == (None, "")
    assert _one("a.txt", 0o644) == (None, "")


def test_archiver_metadata_is_skipped_and_folder_entries_leave_no_line() -> None:
    assert _one("__MACOSX/a/._x")[0] is Outcome.SKIPPED
    assert _one("a/.DS_Store")[0] is Outcome.SKIPPED
    assert plan([Entry("docs/", True, 0, False)]) == []


def test_the_same_path_twice_in_any_case_keeps_the_first() -> None:
    judged = plan([Entry("a/b.txt", False, 0, False), Entry("A/B.TXT", False, 0, False),
                   Entry("a//./b.txt", False, 0, False)])
    assert [j.outcome for j in judged] == [None, Outcome.REFUSED, Outcome.REFUSED]
    assert judged[0].parts == ("a", "b.txt")


def test_folders_deeper_than_the_limit_are_refused() -> None:
    deep = "/".join(["d"] * (MAX_FOLDER_DEPTH + 1)) + "/x.txt"
    assert _one(deep)[0] is Outcome.REFUSED


def test_an_archive_unpacks_to_at_most_its_ratio_but_never_less_than_the_floor() -> None:
    assert unpacked_allowance(1000, 10**12) == ZIP_RATIO_FLOOR
    assert unpacked_allowance(10**6, 10**12) == MAX_ZIP_RATIO * 10**6
    assert unpacked_allowance(10**9, 5 * 10**9) == 5 * 10**9
