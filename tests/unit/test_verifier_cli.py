"""The `sharebound-verify` command over real HTTP on 127.0.0.1, its exit codes and `keygen`;
and the verifier distribution imports nothing but `cryptography` and the standard library."""

from __future__ import annotations

import ast
import json
import stat
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from sharebound_verify import check
from sharebound_verify.cli import main
from sharebound_verify.note import parse_signing_key
from tests.verifier_fakes import FakeLog

VERIFIER = Path(__file__).resolve().parents[2] / "verifier"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[FakeLog, list[str]]]:
    """A FakeLog behind a real HTTP server that wants the bearer token; the command's arguments."""
    log = FakeLog()
    log.append(4)

    class Handler(BaseHTTPRequestHandler):
        def _authorized(self) -> bool:
            if self.headers.get("Authorization") == "Bearer tok_secret":
                return True
            self._answer(404, b'{"detail": "not found"}')
            return False

        def _answer(self, status: int, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            if self._authorized():
                url = urlsplit(self.path)
                self._answer(200, log.get(url.path, {k: int(v) for k, v in parse_qsl(url.query)}))

        def do_POST(self) -> None:
            if self._authorized():
                text = self.rfile.read(int(self.headers["Content-Length"])).decode()
                self._answer(*log.post_text(self.path, text))

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    (tmp_path / "token").write_text("tok_secret\n")
    (tmp_path / "instance.vkey").write_text(log.vkey.text() + "\n")
    args = ["--url", f"http://127.0.0.1:{server.server_port}", "--log", log.log,
            "--key", f"@{tmp_path / 'instance.vkey'}", "--token-file", str(tmp_path / "token"),
            "--state", str(tmp_path / "state")]
    yield log, args
    server.shutdown()
    server.server_close()


def test_the_command_verifies_over_http_and_a_later_fork_exits_5(
        served: tuple[FakeLog, list[str]], capsys: pytest.CaptureFixture[str]) -> None:
    log, args = served

    assert main([*args, "--json"]) == check.OK
    assert json.loads(capsys.readouterr().out)["size"] == 4

    log.note = log.sign(log.checkpoint(root=b"\x02" * 32))
    assert main(args) == check.FORK
    assert "fork: two checkpoints of size 4 with different roots" in capsys.readouterr().err


def test_keygen_makes_a_private_witness_key_and_the_command_cosigns_with_it(
        served: tuple[FakeLog, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log, args = served
    key_file = tmp_path / "witness.key"

    assert main(["keygen", "--name", "globex.test/witness", "--out", str(key_file)]) == check.OK
    vkey = capsys.readouterr().out.strip()
    key = parse_signing_key(key_file.read_text())
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert vkey == key.vkey.text() and vkey.startswith("globex.test/witness+")
    assert main(["keygen", "--name", "x", "--out", str(key_file)]) == check.USAGE  # never overwrites
    log.witnesses[key.name] = key.vkey

    assert main([*args, "--cosign-key", str(key_file), "--witness-name", "globex.test/witness"]) == 0

    assert "cosigned as globex.test/witness" in capsys.readouterr().out
    assert [c[0] for c in log.cosignatures] == ["globex.test/witness"]


@pytest.mark.parametrize(("change", "code", "message"), [
    (["--key", "nonsense"], check.USAGE, "--key: a key is"),
    (["--token-file", "/nonexistent/token"], check.USAGE, "cannot read the token"),
    (["--log", "ptn_1"], check.USAGE, "a log is partnership:<id> or org:<handle>"),
    (["--url", "ftp://127.0.0.1"], check.USAGE, "must begin with https://"),
    (["--witness-name", "w"], check.USAGE, "--witness-name needs --cosign-key"),
    (["--url", "http://127.0.0.1:9"], check.UNREACHABLE, "could not reach"),
])
def test_bad_arguments_and_an_unreachable_server_have_their_own_exit_codes(
        served: tuple[FakeLog, list[str]], change: list[str], code: int, message: str,
        capsys: pytest.CaptureFixture[str]) -> None:
    _, args = served
    flag = args.index(change[0]) if change[0] in args else None
    changed = list(args)
    if flag is None:
        changed += change
    else:
        changed[flag + 1] = change[1]

    assert main([*changed, "--json"]) == code
    answer = json.loads(capsys.readouterr().out)
    assert answer["ok"] is False and message in answer["message"]


def test_a_wrong_token_is_reported_as_the_servers_answer(
        served: tuple[FakeLog, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, args = served
    (tmp_path / "token").write_text("tok_wrong")

    assert main(args) == check.UNREACHABLE
    assert "answered 404: not found" in capsys.readouterr().err


def test_the_verifier_imports_only_the_standard_library_and_cryptography() -> None:
    allowed = set(sys.stdlib_module_names) | {"cryptography", "sharebound_verify"}
    sources = sorted((VERIFIER / "src" / "sharebound_verify").glob("*.py"))
    assert sources

    imported = set()
    for source in sources:
        for node in ast.walk(ast.parse(source.read_text(), str(source))):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                assert node.level == 0, f"{source.name}: use absolute imports"
                imported.add((node.module or "").split(".")[0])

    assert imported - allowed == set()
    assert "sharebound" not in imported


def test_the_verifier_pins_the_servers_cryptography() -> None:
    def pin(pyproject: Path) -> str:
        return next(line.split('"')[1] for line in pyproject.read_text().splitlines()
                    if line.strip().startswith('"cryptography=='))

    assert pin(VERIFIER / "pyproject.toml") == pin(VERIFIER.parent / "pyproject.toml")
