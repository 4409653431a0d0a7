"""The spool a stamped copy is written into: hashed as written, in memory while small, an
unnamed file in its folder above that, freed when closed or when the writing fails."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from sharebound.adapters.spool import IN_MEMORY, Spool


def _open_in(folder: Path) -> list[str]:
    found = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith(f"{folder}/"):
            found.append(target)
    return found


def test_a_small_copy_stays_in_memory_and_is_hashed_as_written(tmp_path: Path) -> None:
    spool = Spool(tmp_path / "spool")
    spool.write(b"%PDF-1.7 ")
    spool.write(memoryview(b"stamped"))

    file, sha256, size = spool.finish()

    assert not spool.on_disk and not (tmp_path / "spool").exists()
    assert file.read() == b"%PDF-1.7 stamped" and size == 16
    assert sha256 == hashlib.sha256(b"%PDF-1.7 stamped").hexdigest()


def test_a_large_copy_goes_to_an_unnamed_file_in_the_folder_freed_when_closed(tmp_path: Path) -> None:
    folder = tmp_path / "spool"
    content = os.urandom(IN_MEMORY + 12_345)
    spool = Spool(folder)
    for start in range(0, len(content), 1 << 20):
        spool.write(content[start:start + (1 << 20)])

    file, sha256, size = spool.finish()

    assert spool.on_disk and len(_open_in(folder)) == 1 and list(folder.iterdir()) == []
    assert size == len(content) and sha256 == hashlib.sha256(content).hexdigest()
    assert file.read() == content
    file.close()
    assert _open_in(folder) == []


def test_a_writer_that_moves_back_still_gets_the_hash_of_what_the_file_holds(tmp_path: Path) -> None:
    spool = Spool(tmp_path)
    spool.write(b"0123456789")
    spool.seek(2)
    spool.write(b"ab")
    spool.seek(0, os.SEEK_END)

    file, sha256, size = spool.finish()

    assert file.read() == b"01ab456789" and size == 10
    assert sha256 == hashlib.sha256(b"01ab456789").hexdigest()


def test_a_failed_stamping_frees_the_spool(tmp_path: Path) -> None:
    folder = tmp_path / "spool"
    with pytest.raises(ValueError), Spool(folder) as spool:
        spool.write(os.urandom(IN_MEMORY + 1))
        raise ValueError("the PDF is damaged")

    assert spool.file.closed and _open_in(folder) == []
