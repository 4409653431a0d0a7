"""`sharebound-verify`: verify a log (the default command) or make a witness key (`keygen`).

    sharebound-verify --url https://sharebound.example --log partnership:ptn_123 \\
        --key @sharebound.vkey --token-file token --state ~/.sharebound-verify \\
        [--cosign-key witness.key --witness-name globex.example/witness] [--jobs N] [--json]
    sharebound-verify keygen --name globex.example/witness --out witness.key

Exit codes: see `check.py` (0 all holds; 2 usage; 3 unreachable; 4 bad signature; 5 fork;
6 rollback or truncation; 7 content mismatch; 8 inclusion failure; 9 cosignature refused).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from sharebound_verify import check
from sharebound_verify.client import FetchError, HttpTransport, log_path
from sharebound_verify.note import NoteError, SigningKey, parse_signing_key, parse_vkey
from sharebound_verify.state import StateDir


class UsageError(Exception):
    pass


def _text_argument(value: str, what: str) -> str:
    if not value.startswith("@"):
        return value
    try:
        return Path(value[1:]).read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot read {what} from {value[1:]}: {exc.strerror}") from exc


def _read(path: str, what: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise UsageError(f"cannot read {what} from {path}: {exc.strerror}") from exc


def _verify_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sharebound-verify",
        description="Verify a Sharebound transparency log against a pinned key; optionally cosign it. "
                    "(Run `sharebound-verify keygen --help` to make a witness key.)")
    parser.add_argument("--url", required=True, help="the instance, e.g. https://sharebound.example")
    parser.add_argument("--log", required=True, help="partnership:<id> or org:<handle>")
    parser.add_argument("--key", required=True,
                        help="the instance's pinned vkey, or @FILE holding it")
    parser.add_argument("--token-file", required=True, help="a file holding an API token")
    parser.add_argument("--state", required=True, help="the folder keeping verified checkpoints")
    parser.add_argument("--cosign-key", help="a witness key made by `sharebound-verify keygen`")
    parser.add_argument("--witness-name", help="the witness key's name (checked against the file)")
    parser.add_argument("--ca-file", help="trust only this CA bundle for HTTPS")
    parser.add_argument("--jobs", type=_jobs, default=os.cpu_count() or 1,
                        help="worker processes fetching and checking the entries: a log of more "
                             f"than {check.BLOCK:,} entries is checked in blocks by this many at "
                             "once (1: in this process only; default: the number of CPUs)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    return parser


def _jobs(value: str) -> int:
    try:
        jobs = int(value)
    except ValueError:
        jobs = 0
    if jobs < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number from 1, not {value!r}")
    return jobs


def _keygen(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="sharebound-verify keygen",
                                     description="Make an Ed25519 witness key; print its vkey.")
    parser.add_argument("--name", required=True, help="the witness name, e.g. globex.example/witness")
    parser.add_argument("--out", required=True, help="the private key file to create (mode 0600)")
    args = parser.parse_args(argv)
    try:
        key = SigningKey.generate(args.name)
        fd = os.open(args.out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except NoteError as exc:
        print(f"sharebound-verify: {exc}", file=sys.stderr)
        return check.USAGE
    except OSError as exc:
        print(f"sharebound-verify: cannot create {args.out}: {exc.strerror}", file=sys.stderr)
        return check.USAGE
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(key.text())
    print(key.vkey.text())
    return check.OK


def _cosigner(args: argparse.Namespace) -> SigningKey | None:
    if args.cosign_key is None:
        if args.witness_name:
            raise UsageError("--witness-name needs --cosign-key")
        return None
    try:
        key = parse_signing_key(_read(args.cosign_key, "the witness key"))
    except NoteError as exc:
        raise UsageError(f"{args.cosign_key}: {exc}") from exc
    if args.witness_name and args.witness_name != key.name:
        raise UsageError(f"the witness key is named {key.name!r}, not {args.witness_name!r}")
    return key


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["keygen"]:
        return _keygen(argv[1:])
    args = _verify_parser().parse_args(argv)
    try:
        try:
            key = parse_vkey(_text_argument(args.key, "the key"))
        except NoteError as exc:
            raise UsageError(f"--key: {exc}") from exc
        cosigner = _cosigner(args)
        try:
            transport = HttpTransport(args.url, _read(args.token_file, "the token"), args.ca_file)
            log_path(args.log)
        except (ValueError, OSError) as exc:
            raise UsageError(str(exc)) from exc
        report = check.verify_log(transport, args.log, key, StateDir(Path(args.state)),
                                  cosigner, jobs=args.jobs)
    except UsageError as exc:
        return _fail(args, check.USAGE, "usage", str(exc))
    except FetchError as exc:
        return _fail(args, check.UNREACHABLE, "unreachable", str(exc))
    except check.Finding as finding:
        return _fail(args, finding.code, finding.kind, finding.message, finding.index)
    if args.json:
        print(json.dumps(report.as_dict(), sort_keys=True))
    else:
        print(f"ok: {args.log} verified at size {report.size} ({report.opened} of "
              f"{report.entries} entries opened and re-derived), root {report.root}")
        if report.previous_size is not None:
            print(f"consistent with the checkpoint of size {report.previous_size} verified before")
        if report.cosignature:
            print(f"cosigned as {report.cosignature['witness']}")
    return check.OK


def _fail(args: argparse.Namespace, code: int, kind: str, message: str,
          index: int | None = None) -> int:
    if args.json:
        print(json.dumps({"ok": False, "finding": kind, "message": message, "index": index,
                          "exit_code": code}, sort_keys=True))
    else:
        print(f"sharebound-verify: {message}", file=sys.stderr)
    return code
