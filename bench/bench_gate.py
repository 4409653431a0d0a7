"""Speed of the content gate: MB/s of text scanned with 10,000 registered fingerprints,
side by side with `grep -F -c -f` looking for the same 10,000 passages in the same text.

    .venv/bin/python bench/bench_gate.py [--mb 4] [--quick] [--json] [--cpu]

The registered fingerprints are the 8-word shingles of 10 restricted items of 1,007 words
each (10,000 shingles). The scanned text is --mb megabytes of generated prose, one
sentence a line, with 3 paragraphs of those items pasted in: every line checks first that
it finds exactly those 3 copies. Each line is timed with time.perf_counter, best of 3 runs
(1 with --quick) after a warmup; the two plain-Python reference lines (the fast paths'
references, proved equal in tests/unit/test_gate_fast_path.py) once. Read the ratios: the
machine is shared. See bench/README.md.
"""

from __future__ import annotations

import argparse
import gc
import json
import platform
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from sharebound import bootstrap  # noqa: E402
from sharebound.adapters import secrets, shingling  # noqa: E402
from sharebound.config import Settings  # noqa: E402
from sharebound.domain.classification import Classification  # noqa: E402
from sharebound.domain.copies import SHINGLE_WORDS, copy_findings, shingles  # noqa: E402
from sharebound.domain.gate import FindingKind, Page, marking_findings, term_findings  # noqa: E402
from sharebound.services import gate, items, orgs  # noqa: E402

ITEMS = 10
ITEM_WORDS = 1000 + SHINGLE_WORDS - 1  # why: 1,000 shingles an item, 10,000 in all
PASTED = 3
TERMS = ["Project Kestrel", "Osprey", "Heron Mark II"]


def _vocabulary(rng: random.Random, size: int = 5000) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return ["".join(rng.choice(letters) for _ in range(rng.randint(2, 9))) for _ in range(size)]


def _restricted(rng: random.Random, vocabulary: list[str]) -> list[str]:
    return [" ".join(rng.choice(vocabulary) for _ in range(ITEM_WORDS)) for _ in range(ITEMS)]


def _text(rng: random.Random, vocabulary: list[str], megabytes: float, jewels: list[str]) -> str:
    """Prose of about `megabytes` MB, a sentence of 8-20 words a line, with a paragraph of
    60 words of each of the first PASTED restricted items pasted in at random places."""
    lines: list[str] = []
    size = 0
    while size < megabytes * 1_000_000:
        line = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(8, 20))) + "."
        lines.append(line)
        size += len(line) + 1
    for jewel in jewels[:PASTED]:
        words = jewel.split()
        start = rng.randrange(0, len(words) - 60)
        lines.insert(rng.randrange(len(lines)), " ".join(words[start:start + 60]))
    return "\n".join(lines)


def _cpu_seconds() -> float:
    """CPU time of this process and of its finished children (grep), user and system."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


CLOCK: Callable[[], float] = time.perf_counter


def _best(run: Callable[[], object], repeats: int) -> float:
    run()  # warmup
    times = []
    for _ in range(repeats):
        gc.collect()
        started = CLOCK()
        run()
        times.append(CLOCK() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=4.0, help="megabytes of text to scan")
    parser.add_argument("--quick", action="store_true", help="1 MB, one timed run")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--cpu", action="store_true",
                        help="time CPU seconds (ours and grep's) instead of the wall clock: "
                             "steadier on a busy shared machine")
    args = parser.parse_args()
    global CLOCK
    CLOCK = _cpu_seconds if args.cpu else time.perf_counter
    megabytes, repeats = (1.0, 1) if args.quick else (args.mb, 3)
    grep = shutil.which("grep")
    if grep is None:
        sys.exit("grep is needed for the reference line")

    rng = random.Random(16)
    vocabulary = _vocabulary(rng)
    jewels = _restricted(rng, vocabulary)
    text = _text(rng, vocabulary, megabytes, jewels)
    size = len(text.encode())
    pages = (Page(text),)

    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(data_dir=Path(folder) / "var")
        app = bootstrap.init(settings)
        _, alice = orgs.create_org(app.uow(), handle="acme", name="Acme", admin_name="Alice",
                                   admin_email="alice@acme.example")
        for number, jewel in enumerate(jewels):
            items.add_item(app.uow(), alice.id, title=f"Jewel {number}", classification="restricted",
                           topics=[], content=jewel.encode())
        for term in TERMS:
            gate.add_term(app.uow(), alice.id, "acme", term)
        with app.uow() as uow:
            registered = uow.gate.fingerprint_count("acme")
            owners = uow.gate.owners_of("acme", {h for j in jewels for h in shingles([Page(j)]).hashes})
            titles = uow.gate.titles(i for ids in owners.values() for i in ids)
        assert registered == ITEMS * 1000, registered

        def copies() -> list[object]:
            return list(copy_findings(shingling.shingles(pages), owners, titles))

        def copies_reference() -> list[object]:
            return list(copy_findings(shingles(pages), owners, titles))

        def detected() -> list[object]:
            return list(secrets.find_secrets(pages))

        def detected_reference() -> list[object]:
            return list(secrets.find_secrets_reference(pages))

        def domain_gate() -> list[object]:
            return [*marking_findings(pages, Classification.INTERNAL), *term_findings(pages, TERMS),
                    *copy_findings(shingling.shingles(pages), owners, titles)]

        def whole_gate() -> list[object]:
            with app.uow().reading() as uow:
                return list(gate.findings_in(uow, "acme", gate.scan_pages(pages), Classification.INTERNAL))

        patterns = Path(folder) / "patterns.txt"
        words_of_jewels = [j.split() for j in jewels]
        patterns.write_text("\n".join(" ".join(w[i:i + SHINGLE_WORDS]) for w in words_of_jewels
                                      for i in range(len(w) - SHINGLE_WORDS + 1)) + "\n")
        scanned = Path(folder) / "text.txt"
        scanned.write_text(text)

        def grep_f() -> int:
            done = subprocess.run([grep, "-F", "-c", "-f", str(patterns), str(scanned)],
                                  capture_output=True, text=True, check=False)
            return int(done.stdout.strip() or 0)

        # Every line must find the same thing before it is timed.
        assert len(copies()) == PASTED, copies()
        assert copies() == copies_reference()
        assert detected() == detected_reference() == []
        kinds = [getattr(f, "kind", None) for f in whole_gate()]
        assert kinds.count(FindingKind.COPY) == PASTED, kinds
        assert grep_f() == PASTED, grep_f()

        lines = {
            "copies only (shingles + 10,000 fingerprints)": _best(copies, repeats),
            "copies, plain-Python reference": _best(copies_reference, 1),
            "secrets only (detect-secrets' patterns)": _best(detected, repeats),
            "secrets, each pattern's own pass (reference)": _best(detected_reference, 1),
            "domain gate (markings + terms + copies)": _best(domain_gate, repeats),
            "whole gate (+ detect-secrets, fingerprints in SQLite)": _best(whole_gate, repeats),
            "grep -F -c -f (10,000 phrases)": _best(grep_f, repeats),
        }
        app.close()

    rates = {name: size / 1_000_000 / seconds for name, seconds in lines.items()}
    reference = rates["grep -F -c -f (10,000 phrases)"]
    ratios = {name: rate / reference for name, rate in rates.items()}
    if args.json:
        print(json.dumps({"megabytes": size / 1_000_000, "fingerprints": registered,
                          "mb_per_s": rates, "ratio_to_grep": ratios}, indent=2))
        return
    print(f"content gate: {size / 1_000_000:.1f} MB of text, {registered:,} fingerprints, "
          f"{len(TERMS)} terms; Python {platform.python_version()}, best of {repeats}"
          f"{', CPU time' if args.cpu else ''}")
    print(f"{'line':56} {'MB/s':>8} {'vs grep':>8}")
    for name, rate in rates.items():
        print(f"{name:56} {rate:8.2f} {ratios[name]:8.3f}")


if __name__ == "__main__":
    main()
