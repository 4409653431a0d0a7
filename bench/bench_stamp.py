"""Stamping a 100-page PDF: our stamper side by side with qpdf doing the same overlay; and with
--memory, the server memory a stamped download of a 210 MB PDF costs, one and five at once.

    .venv/bin/python bench/bench_stamp.py [--pages 100] [--repeat 5] [--json]
    .venv/bin/python bench/bench_stamp.py --memory [--mb 210] [--json]

The PDF is made here with pikepdf: US Letter pages with 40 lines of real text each. Ours is
`sharebound.adapters.stamping.pdf.stamp_pdf_into` a `Spool` (what a recipient's download runs:
open, add the stamp stream to every page, the copy id to Info and XMP, save into the spool,
hashed as it is written). The reference is Debian's
qpdf (/usr/bin/qpdf) laying a one-page STAMP.pdf (our own stamp on a blank page of the same
size, so both draw the same marks) over every page:

    qpdf --overlay STAMP.pdf --repeat=1 -- in.pdf out.pdf

--memory: see `memory_main` below.

Both read in.pdf from disk and write out.pdf to disk. qpdf is timed as a process (its start
is part of what a caller pays; `qpdf --version` is timed too, for context). Each line is the
best of --repeat runs after one warmup. The machine is shared: read the ratio, measured side
by side in one run. See bench/README.md.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src")]

import pikepdf  # noqa: E402
from pikepdf import Dictionary, Name, Pdf  # noqa: E402

from sharebound.adapters.sealed import open_sealed, seal  # noqa: E402
from sharebound.adapters.spool import Spool  # noqa: E402
from sharebound.adapters.stamping.pdf import stamp_pdf, stamp_pdf_into  # noqa: E402
from sharebound.adapters.stamping.reading import pdf_text  # noqa: E402
from sharebound.domain.stamps import Stamp, copy_id_of  # noqa: E402
from sharebound.web.downloads import SPOOL_CHUNK  # noqa: E402

QPDF = shutil.which("qpdf") or "/usr/bin/qpdf"
LINES = 40  # why: a page of a typical report
STAMP = Stamp(discloser="Acme Sensors", recipient_name="Gina Gray", recipient_org="Globex",
              agreement_id="agr_4f2b52ba15fc448d8c9e36314a20264b", agreement_version=1,
              at=datetime(2026, 11, 28, tzinfo=UTC), copy_id=copy_id_of(20_261_128))


def make_document(pages: int) -> bytes:
    pdf = Pdf.new()
    font = pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Times_Roman))
    for number in range(1, pages + 1):
        page = pdf.add_blank_page(page_size=(612, 792))
        page.Resources = Dictionary(Font=Dictionary(F1=font))
        lines = [f"BT /F1 11 Tf 72 {740 - 16 * i} Td (Page {number}, line {i}: thermal drift stayed "
                 f"under 0.2 K after 500 hours at 85 C in test rig {i % 7}.) Tj ET" for i in range(LINES)]
        page.Contents = pdf.make_stream("\n".join(lines).encode())
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def make_overlay() -> bytes:
    """Our stamp alone, on one blank page of the document's size: qpdf's STAMP.pdf."""
    blank = Pdf.new()
    blank.add_blank_page(page_size=(612, 792))
    out = io.BytesIO()
    blank.save(out)
    return stamp_pdf(io.BytesIO(out.getvalue()), STAMP)


def best(run: Callable[[], object], repeat: int) -> float:
    run()  # warmup
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


# --memory ---------------------------------------------------------------------------------
#
# What a stamped download of a large PDF costs the server in memory. The PDF is made here:
# --mb pages, each holding one image of 1 MB (random bytes declared as a JPEG, so that qpdf
# copies them as they are: the size of a scanned report), stored sealed as a blob is. Each
# way runs in a fresh process (so that one run's peak is not another's), once with one
# download and once with five at once (five threads, as five requests in one server
# process), and reports that process's RSS before any work and its peak RSS
# (VmHWM) while the downloads ran. A download is: read the sealed blob through
# the decrypting reader, stamp, hash the copy, send it (written to /dev/null).
#
#   before  the old path, kept here as the reference: stamp_pdf into memory (bytes), hash
#           the bytes, then send them whole (what Response(content) did)
#   after   the path a download runs now: stamp_pdf_into a Spool (memory up to a few MiB,
#           then an unnamed file), hashed as written, then sent in 1 MiB chunks and closed

IMAGE_BYTES = 1_000_000  # why: one page of a scanned report at 300 dpi is about 1 MB of JPEG


def make_large_document(megabytes: int, target: Path) -> None:
    pdf = Pdf.new()
    for _ in range(megabytes):
        page = pdf.add_blank_page(page_size=(612, 792))
        image = pdf.make_stream(os.urandom(IMAGE_BYTES), Type=Name.XObject, Subtype=Name.Image,
                                Width=2550, Height=3300, ColorSpace=Name.DeviceGray,
                                BitsPerComponent=8, Filter=Name.DCTDecode)
        page.Resources = Dictionary(XObject=Dictionary(Im0=image))
        page.Contents = pdf.make_stream(b"q 612 0 0 792 0 0 cm /Im0 Do Q")
    pdf.save(target)


def _status_kib(field: str) -> int:
    """A figure of /proc/self/status in KiB: VmRSS (now) or VmHWM (the peak since exec; unlike
    getrusage's ru_maxrss, which a child inherits from the parent it was forked from)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise OSError(f"no {field} in /proc/self/status: --memory needs Linux")


def _download_before(sealed: Path, key: bytes, sink: BinaryIO) -> str:
    """The old path: the whole stamped copy in memory, hashed, then sent in one piece."""
    with open_sealed(sealed, lambda _: key) as readable:
        stamped = stamp_pdf(readable, STAMP)
    sha256 = hashlib.sha256(stamped).hexdigest()
    sink.write(stamped)
    return sha256


def _download_after(sealed: Path, key: bytes, sink: BinaryIO, folder: Path) -> str:
    """The path a download runs now (services.copies and web.downloads, without the HTTP)."""
    with Spool(folder) as spool:
        with open_sealed(sealed, lambda _: key) as readable:
            stamp_pdf_into(readable, STAMP, spool)  # type: ignore[arg-type]
        stamped, sha256, _size = spool.finish()
    with stamped:
        while chunk := stamped.read(SPOOL_CHUNK):
            sink.write(chunk)
    return sha256


def memory_child(way: str, at_once: int, sealed: Path, key: bytes) -> None:
    """One measured run: print {"rss_before_kib", "peak_kib", "seconds", "digests"} as JSON."""
    folder = sealed.parent / "spool"
    before = _status_kib("VmRSS")
    start = time.perf_counter()
    with open(os.devnull, "wb") as sink, ThreadPoolExecutor(at_once) as pool:
        if way == "before":
            runs = [pool.submit(_download_before, sealed, key, sink) for _ in range(at_once)]
        else:
            runs = [pool.submit(_download_after, sealed, key, sink, folder) for _ in range(at_once)]
        digests = [run.result() for run in runs]
    seconds = time.perf_counter() - start
    peak = _status_kib("VmHWM")
    print(json.dumps({"rss_before_kib": before, "peak_kib": peak, "seconds": seconds,
                      "digests": digests}))


def memory_main(megabytes: int, as_json: bool) -> None:
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        plain, sealed, key = work / "large.pdf", work / "large.sealed", os.urandom(32)
        make_large_document(megabytes, plain)
        size = plain.stat().st_size
        with plain.open("rb") as source, sealed.open("wb") as out:
            for piece in seal(iter(lambda: source.read(1024 * 1024), b""), "dek_bench", key):
                out.write(piece)
        plain.unlink()
        for way in ("before", "after"):
            for at_once in (1, 5):
                ran = subprocess.run([sys.executable, __file__, "--child", way, str(at_once), str(sealed),
                                      key.hex()], check=True, capture_output=True, text=True)
                found = json.loads(ran.stdout)
                assert all(len(digest) == 64 for digest in found["digests"])
                results[f"{way}_{at_once}"] = {
                    "rss_before_mb": found["rss_before_kib"] * 1024 / 1e6,
                    "peak_mb": found["peak_kib"] * 1024 / 1e6,
                    "seconds": found["seconds"]}
        left = list((work / "spool").glob("*")) if (work / "spool").exists() else []
        assert not left, left  # the spool files have no name and are gone once closed
    if as_json:
        print(json.dumps({"pdf_bytes": size, "runs": results, "pikepdf": pikepdf.__version__},
                         indent=2))
        return
    print(f"peak RSS of one process making stamped downloads of a {size / 1e6:.0f} MB PDF "
          f"(a sealed blob; {platform.python_implementation()} {platform.python_version()}, "
          f"pikepdf {pikepdf.__version__})")
    print(f"  {'way':<44}{'RSS at start':>14}{'peak RSS':>12}{'peak - start':>14}{'seconds':>10}")
    for name, label in (("before_1", "before: in memory, 1 download"),
                        ("before_5", "before: in memory, 5 at once"),
                        ("after_1", "after: spooled and streamed, 1 download"),
                        ("after_5", "after: spooled and streamed, 5 at once")):
        run = results[name]
        print(f"  {label:<44}{run['rss_before_mb']:11.0f} MB{run['peak_mb']:9.0f} MB"
              f"{run['peak_mb'] - run['rss_before_mb']:11.0f} MB{run['seconds']:10.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--memory", action="store_true",
                        help="peak RSS of stamped downloads (one, and five at once), before vs after")
    parser.add_argument("--mb", type=int, default=210, help="--memory: the PDF's size in MB")
    parser.add_argument("--child", nargs=4, metavar=("WAY", "AT_ONCE", "SEALED", "KEY"),
                        help=argparse.SUPPRESS)  # one measured run, in a process of its own
    args = parser.parse_args()
    if args.child:
        way, at_once, sealed_file, key = args.child
        memory_child(way, int(at_once), Path(sealed_file), bytes.fromhex(key))
        return
    if args.memory:
        memory_main(args.mb, args.json)
        return

    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        source, overlay = work / "in.pdf", work / "STAMP.pdf"
        ours_out, qpdf_out = work / "ours.pdf", work / "qpdf.pdf"
        source.write_bytes(make_document(args.pages))
        overlay.write_bytes(make_overlay())
        # why: a stored item is a sealed blob; stamping reads it through the decrypting reader
        sealed, data_key = work / "in.sealed", os.urandom(32)
        sealed.write_bytes(b"".join(seal(iter([source.read_bytes()]), "dek_bench", data_key)))

        def spooled(readable: BinaryIO) -> None:  # what a download runs: into a hashing Spool
            with Spool(work / "spool") as spool:
                stamp_pdf_into(readable, STAMP, spool)  # type: ignore[arg-type]
                stamped, _sha256, _size = spool.finish()
            stamped.close()

        def ours() -> None:
            with source.open("rb") as readable:
                spooled(readable)

        def ours_sealed() -> None:
            with open_sealed(sealed, lambda _: data_key) as readable:
                spooled(readable)

        def qpdf() -> None:
            subprocess.run([QPDF, "--overlay", str(overlay), "--repeat=1", "--", str(source),
                            str(qpdf_out)], check=True)

        figures = {"ours": best(ours, args.repeat), "ours_sealed": best(ours_sealed, args.repeat),
                   "qpdf": best(qpdf, args.repeat),
                   "qpdf_start": best(lambda: subprocess.run([QPDF, "--version"], check=True,
                                                             capture_output=True), args.repeat)}
        with source.open("rb") as readable:
            ours_out.write_bytes(stamp_pdf(readable, STAMP))
        for made in (ours_out, qpdf_out):  # both did the job: the stamp on the last page
            last = pdf_text(made.read_bytes())[-1]
            assert STAMP.copy_id in last and "Gina Gray" in last, made
        sizes = {"in": source.stat().st_size, "ours": ours_out.stat().st_size,
                 "qpdf": qpdf_out.stat().st_size}

    qpdf_version = subprocess.run([QPDF, "--version"], capture_output=True, text=True).stdout.split("\n")[0]
    ratio = figures["qpdf"] / figures["ours"]
    ratio_sealed = figures["qpdf"] / figures["ours_sealed"]
    if args.json:
        print(json.dumps({"pages": args.pages, "seconds": figures, "bytes": sizes,
                          "ratio_qpdf_over_ours": ratio, "ratio_qpdf_over_ours_sealed": ratio_sealed,
                          "qpdf": qpdf_version,
                          "pikepdf": pikepdf.__version__}, indent=2))
        return
    print(f"stamping a {args.pages}-page PDF ({sizes['in'] / 1e6:.2f} MB), best of {args.repeat} "
          f"({platform.python_implementation()} {platform.python_version()}, pikepdf {pikepdf.__version__}, "
          f"{qpdf_version})")
    print(f"  {'ours (stamp_pdf, file to file)':<40}{figures['ours'] * 1000:9.1f} ms   "
          f"{sizes['ours'] / 1e6:.2f} MB out")
    print(f"  {'ours, from a sealed blob':<40}{figures['ours_sealed'] * 1000:9.1f} ms")
    print(f"  {'qpdf --overlay --repeat=1 (process)':<40}{figures['qpdf'] * 1000:9.1f} ms   "
          f"{sizes['qpdf'] / 1e6:.2f} MB out")
    print(f"  {'qpdf --version (process start only)':<40}{figures['qpdf_start'] * 1000:9.1f} ms")
    print(f"  ratio qpdf/ours: {ratio:.2f}, from a sealed blob: {ratio_sealed:.2f} (above 1: ours is faster)")


if __name__ == "__main__":
    main()
