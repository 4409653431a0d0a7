"""ZIP archives for the import tests and the benchmark, built in memory with `zipfile`:
good ones (folders of small text, PNG and PDF files) and hostile ones."""

from __future__ import annotations

import io
import struct
import warnings
import zipfile

from tests.corpus import corpus_file

SYMLINK_MODE = 0o120777  # why: S_IFLNK with rwx bits, as Info-ZIP stores a link made on Unix


def build(entries: list[tuple[str, bytes]], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A ZIP of (name, bytes); a name ending in / is a folder entry. Duplicate names are kept."""
    out = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # why: zipfile warns about duplicate names
        with zipfile.ZipFile(out, "w", compression) as archive:
            for name, data in entries:
                archive.writestr(name, data)
    return out.getvalue()


def with_symlink(name: str, target: str, others: list[tuple[str, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for other, data in others:
            archive.writestr(other, data)
        link = zipfile.ZipInfo(name)
        link.create_system = 3
        link.external_attr = SYMLINK_MODE << 16
        archive.writestr(link, target)
    return out.getvalue()


def bomb(unpacked: int, name: str = "zeros.txt", declared: int | None = None) -> bytes:
    """One entry of `unpacked` zero bytes, deflated; with `declared`, its headers claim that
    uncompressed size instead (a lying archive)."""
    out = io.BytesIO()
    block = b"\0" * (1024 * 1024)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive, archive.open(name, "w") as entry:
        for _ in range(unpacked // len(block)):
            entry.write(block)
    data = bytearray(out.getvalue())
    if declared is not None:
        _patch_sizes(data, declared)
    return bytes(data)


def _patch_sizes(data: bytearray, declared: int) -> None:
    local = data.find(b"PK\x03\x04")
    struct.pack_into("<I", data, local + 22, declared)
    central = data.find(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, declared)


def sample_files(count: int) -> list[tuple[str, bytes]]:
    """`count` small files in a few nested folders: text, PNG and PDF, cheap to stamp."""
    png, pdf = corpus_file("valid.png"), corpus_file("valid.pdf")
    folders = ["Specs/Mechanical", "Specs/Electrical", "Test reports", ""]
    files = []
    for n in range(count):
        folder = folders[n % len(folders)]
        prefix = f"{folder}/" if folder else ""
        kind = n % 3
        if kind == 0:
            files.append((f"{prefix}note-{n:04d}.txt", f"Bracket tolerance note {n}\n".encode()))
        elif kind == 1:
            files.append((f"{prefix}drawing-{n:04d}.png", png))
        else:
            files.append((f"{prefix}report-{n:04d}.pdf", pdf))
    return files
