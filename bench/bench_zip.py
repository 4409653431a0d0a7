"""ZIP import and the package ZIP, in one run, each beside a reference on the same files.

    .venv/bin/python bench/bench_zip.py [--files 1000] [--package 200] [--json]

1. Import: a ZIP of --files small files (text, PNG and a 3-page PDF in turn, in nested
   folders: tests/zips.sample_files) imported through the use case (`uploads.import_zip`:
   every entry judged, counted, typed, checked, stored in its own transaction with its
   event) against Debian's `unzip -q` of the same archive into a folder. Files per second.
2. Package: --package of those items disclosed as one package; the recipient's ZIP streamed
   (`package_zip.stream_package`: each file stamped with the recipient's name, its copy and
   access recorded, written STORED) against `zip -0 -q -r` of the same stamped files from a
   folder. Megabytes and files per second.

It builds its world through the use cases in a temporary data folder (SQLite). The machine
is shared: read the ratios, not the absolute figures.
"""

from __future__ import annotations

import argparse
import io
import json
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]  # sharebound, and tests' factories and ZIP builder

from tests.factories import sign_as, terms_json  # noqa: E402
from tests.zips import build, sample_files  # noqa: E402

from sharebound import bootstrap  # noqa: E402
from sharebound.config import Settings  # noqa: E402
from sharebound.services import (  # noqa: E402
    agreements,
    orgs,
    package_zip,
    packages,
    partnerships,
    uploads,
)

PASSWORD = "a long benchmark passphrase"
RECIPIENT = "grace@globex.example"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--package", type=int, default=200)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    for tool in ("unzip", "zip"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is not installed (Debian: apt-get install {tool})")
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        figures = run(work, args.files, args.package)
    if args.json:
        print(json.dumps(figures))
        return
    imp, pkg = figures["import"], figures["package"]
    print(f"import of {imp['files']} files ({imp['zip_bytes'] / 1e6:.1f} MB ZIP): "
          f"sharebound {imp['sharebound_fps']:.0f} files/s, unzip {imp['unzip_fps']:.0f} files/s "
          f"(x{imp['unzip_fps'] / imp['sharebound_fps']:.0f})")
    print(f"package ZIP of {pkg['files']} stamped files ({pkg['bytes'] / 1e6:.1f} MB): "
          f"sharebound stream {pkg['sharebound_mbps']:.1f} MB/s ({pkg['sharebound_fps']:.0f} files/s), "
          f"zip -0 {pkg['zip0_mbps']:.1f} MB/s (x{pkg['zip0_mbps'] / pkg['sharebound_mbps']:.0f})")


def run(work: Path, count: int, package_size: int) -> dict[str, dict[str, float]]:
    app = bootstrap.init(Settings(data_dir=work / "data"))
    try:
        alice, agreement = _world(app)
        archive = build(sample_files(count))
        (work / "in.zip").write_bytes(archive)
        meta = uploads.parse_metadata("internal", ["bench"], None)

        started = time.perf_counter()
        report = uploads.import_zip(app.uow(), alice, io.BytesIO(archive), meta,
                                    limit=app.settings.max_upload_bytes)
        ours = time.perf_counter() - started
        assert report.stored == count, report
        started = time.perf_counter()
        subprocess.run(["unzip", "-q", "-o", str(work / "in.zip"), "-d", str(work / "unzipped")], check=True)
        unzip = time.perf_counter() - started

        chosen = [f.item_id for f in report.files if f.item_id][:package_size]
        made = packages.disclose_package(app.uow(), alice, packages.PackageDraft(
            agreement_id=agreement, recipients=[RECIPIENT], actions=["view", "download"],
            item_ids=chosen))
        with app.uow() as uow:
            grace = uow.orgs.people_by_emails([RECIPIENT])[RECIPIENT].id
        view = packages.package_files(app.uow(), grace, made.package.id)
        out = work / "package.zip"
        started = time.perf_counter()
        with out.open("wb") as sink:
            for piece in package_zip.stream_package(app.uow(), grace, view):
                sink.write(piece)
        streamed = time.perf_counter() - started
        stamped = work / "stamped"
        with zipfile.ZipFile(out) as result:
            result.extractall(stamped)
            size = sum(i.file_size for i in result.infolist())
        started = time.perf_counter()
        subprocess.run(["zip", "-0", "-q", "-r", str(work / "reference.zip"), "."], cwd=stamped, check=True)
        zip0 = time.perf_counter() - started
    finally:
        app.close()
    return {
        "import": {"files": count, "zip_bytes": len(archive), "sharebound_s": ours, "unzip_s": unzip,
                   "sharebound_fps": count / ours, "unzip_fps": count / unzip},
        "package": {"files": len(chosen), "bytes": size, "sharebound_s": streamed, "zip0_s": zip0,
                    "sharebound_mbps": size / 1e6 / streamed, "zip0_mbps": size / 1e6 / zip0,
                    "sharebound_fps": len(chosen) / streamed},
    }


def _world(app: bootstrap.App) -> tuple[str, str]:
    _, alice = orgs.create_org(app.uow(), handle="acme", name="Acme", admin_name="Alice",
                               admin_email="alice@acme.example", admin_password=PASSWORD)
    _, grace = orgs.create_org(app.uow(), handle="globex", name="Globex", admin_name="Grace",
                               admin_email=RECIPIENT, admin_password=PASSWORD)
    partnership = partnerships.propose_partnership(app.uow(), alice.id, name="Bench", purpose="other",
                                                   invite=["globex"])
    partnerships.accept_partnership(app.uow(), grace.id, partnership.id)
    today = app.clock().date()
    terms = terms_json(effective_date=today.isoformat(), term_end=(today + timedelta(days=365)).isoformat())
    agreement = agreements.draft_agreement(app.uow(), alice.id, partnership.id, terms)
    for signer in (alice, grace):
        sign_as(app.uow(), signer.id, agreement.id, digest=agreement.current.digest, title="Counsel",
                password=PASSWORD)
    return alice.id, agreement.id


if __name__ == "__main__":
    main()
