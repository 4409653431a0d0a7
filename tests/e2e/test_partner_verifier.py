"""A partner's security team runs `sharebound-verify`, installed alone in its own venv
(`make verifier`: .verifier-venv/), against the app served on 127.0.0.1: as globex it verifies
the partnership's log, stores the checkpoint, cosigns it, and the register shows the witness.
Then the database-level attacker (append-only triggers dropped) forks, reorders, rewrites and
truncates the log; each time the next run fails naming what it found."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from sharebound import bootstrap
from sharebound.config import Settings
from sharebound.domain.transparency import checkpoint_body, signature_line, signed_note
from tests.browser.conftest import LiveServer
from tests.conftest import TEST_WEBHOOK_ALLOW
from tests.integration.notify_helpers import disclose
from tests.integration.test_log_tamper import _rewrite_everything, _unlock
from tests.integration.world import World, build_world

ROOT = Path(__file__).resolve().parents[2]
VERIFY = ROOT / ".verifier-venv" / "bin" / "sharebound-verify"
PASSWORD = "a long passphrase"
TIMEOUT = 120  # why: seconds for one verifier run on a shared machine; a few dozen entries


@pytest.fixture
def core(tmp_path: Path, sqlite_template: Path) -> Iterator[bootstrap.App]:
    if not VERIFY.exists():
        pytest.fail("the verifier is not installed alone: run `make verifier` (make test does)")
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(sqlite_template, data / "sharebound.db")
    built = bootstrap.build(Settings(data_dir=data, webhook_allow=TEST_WEBHOOK_ALLOW))
    yield built
    built.close()


def _call(url: str, method: str = "GET", token: str | None = None, body: Any = None) -> Any:
    request = urllib.request.Request(url, method=method, data=None if body is None else
                                     json.dumps(body).encode())
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=30) as answer:
        raw = answer.read()
    return raw.decode() if not raw.startswith(b"{") else json.loads(raw)


class Verifier:
    """The command as a partner runs it, from its own venv, with its own files."""

    def __init__(self, folder: Path, url: str, log: str, token: str) -> None:
        self.folder, self.url, self.log = folder, url, log
        (folder / "token").write_text(token)
        (folder / "instance.vkey").write_text(_call(f"{url}/.well-known/sharebound-log-key"))

    def run(self, *extra: str, state: str = "state") -> tuple[int, dict[str, Any]]:
        done = subprocess.run(
            [str(VERIFY), "--url", self.url, "--log", self.log, "--key", f"@{self.folder / 'instance.vkey'}",
             "--token-file", str(self.folder / "token"), "--state", str(self.folder / state), "--json",
             *extra], capture_output=True, text=True, timeout=TIMEOUT, check=False)
        return done.returncode, json.loads(done.stdout)


def test_globex_verifies_cosigns_and_then_catches_each_tamper_drill(
        core: bootstrap.App, tmp_path: Path) -> None:
    world: World = build_world(core)
    with core.uow() as uow:
        for person in (world.grace, world.alice):
            uow.auth.set_password_hash(person.id, core.passwords.hash(PASSWORD))
        uow.commit()
    made = disclose(world, world.signed().id)
    log = f"partnership:{world.partnership.id}"

    with LiveServer(core) as server:
        token = _call(f"{server.url}/api/v1/auth/token", "POST",
                      body={"email": world.grace.email, "password": PASSWORD})["token"]
        verifier = Verifier(tmp_path, server.url, log, token)

        code, first = verifier.run()
        assert (code, first["ok"]) == (0, True), first
        assert first["opened"] >= 1 and first["entries"] == first["size"]
        assert (tmp_path / "state" / f"partnership%3A{world.partnership.id}.checkpoint").exists()

        keygen = subprocess.run([str(VERIFY), "keygen", "--name", "globex.example/witness",
                                 "--out", str(tmp_path / "witness.key")],
                                capture_output=True, text=True, timeout=TIMEOUT, check=True)
        _call(f"{server.url}/api/v1/orgs/globex/witness-key", "PUT", token,
              {"vkey": keygen.stdout.strip()})
        code, cosigned = verifier.run("--cosign-key", str(tmp_path / "witness.key"),
                                      "--witness-name", "globex.example/witness")
        assert (code, cosigned["cosignature"]["server"]["witness"]) == (0, "globex"), cosigned

        entry = _call(f"{server.url}/api/v1/disclosures/{made.id}", token=token)
        assert entry["witnessed"].startswith("witnessed by globex, ")
        served = _call(f"{server.url}/api/v1/partnerships/{world.partnership.id}/log/checkpoint",
                       token=token)
        assert served.rstrip("\n").rsplit("\n", 1)[1].startswith("\u2014 globex.example/witness ")
        exported = _call(f"{server.url}/api/v1/partnerships/{world.partnership.id}/register.csv",
                         token=token)
        [row] = [r for r in csv.DictReader(io.StringIO(exported)) if r["disclosure_id"] == made.id]
        assert row["witnessed"] == entry["witnessed"]  # the exported register names the witness too
        code, _ = verifier.run()  # why: the export is itself logged; the drills start from here
        assert code == 0

        # 1. A fork: the instance key signs a second checkpoint of the same size, another root,
        # and the server shows it to globex (as it would show the other to acme).
        with core.engine.begin() as connection:
            size, honest = connection.execute(text(
                "SELECT size, note FROM log_checkpoints WHERE log = :log ORDER BY size DESC LIMIT 1"),
                {"log": log}).one()
            body = checkpoint_body(f"{core.log_key.name}/{log}", size, b"\x13" * 32)
            forged = signed_note(body, [signature_line(core.log_key.name, core.log_key.key_hash,
                                                       core.log_key.sign(body.encode()))])
            connection.execute(text("UPDATE log_checkpoints SET note = :n WHERE log = :log AND size = :s"),
                               {"n": forged, "log": log, "s": size})
        code, found = verifier.run()
        assert (code, found["finding"]) == (5, "fork"), found
        assert f"two checkpoints of size {size} with different roots" in found["message"]
        with core.engine.begin() as connection:
            connection.execute(text("UPDATE log_checkpoints SET note = :n WHERE log = :log AND size = :s"),
                               {"n": honest, "log": log, "s": size})
        assert verifier.run()[0] == 0

        # 2. Two rows reordered.
        _unlock(core)
        with core.engine.begin() as connection:
            for a, b in ((2, -1), (3, 2), (-1, 3)):
                connection.execute(text("UPDATE events SET seq = :b WHERE log = :log AND seq = :a"),
                                   {"a": a, "b": b, "log": log})
        code, found = verifier.run()
        assert code != 0 and found["finding"] in {"content mismatch", "fork", "inclusion failure"}, found
        with core.engine.begin() as connection:
            for a, b in ((2, -1), (3, 2), (-1, 3)):
                connection.execute(text("UPDATE events SET seq = :b WHERE log = :log AND seq = :a"),
                                   {"a": a, "b": b, "log": log})
        assert verifier.run()[0] == 0

        # 3. A row edited and every hash recomputed, the stored checkpoints dropped: the server
        # signs the rewritten tree at the same size, which the stored checkpoint contradicts.
        with core.engine.begin() as connection:
            connection.execute(text("UPDATE events SET data = :d WHERE log = :log AND seq = 2"),
                               {"d": '{"forged":true}', "log": log})
            connection.execute(text("DELETE FROM log_checkpoints WHERE log = :log"), {"log": log})
        _rewrite_everything(core, log)
        code, found = verifier.run()
        assert (code, found["finding"]) == (5, "fork"), found

        # 4. The last rows deleted, the head rewritten, the checkpoints dropped: a shorter log.
        with core.engine.begin() as connection:
            connection.execute(text("DELETE FROM events WHERE log = :log AND seq > :keep"),
                               {"log": log, "keep": size - 2})
            connection.execute(text("DELETE FROM log_checkpoints WHERE log = :log"), {"log": log})
        _rewrite_everything(core, log)
        code, found = verifier.run()
        assert (code, found["finding"]) == (6, "rollback"), found
        assert f"fewer than the {size} verified before" in found["message"]
