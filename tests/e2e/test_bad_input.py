"""The bad-input corpus (tests/corpus) uploaded through the JSON API and the pages.

Each bad file gets a clear refusal naming the `file` field; nothing is stored (the blob
folder and the library are as they were); the server answers the next request at once.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote

import pytest
from fastapi.testclient import TestClient

from sharebound.bootstrap import App
from sharebound.web import create_app
from tests.corpus import CASES, DOCX, PDF, PNG, REFUSED, Case
from tests.e2e.conftest import Api, csrf_of, sign_in_page, sign_up

LIMIT = 64 * 1024  # why: small enough that a file just over it is quick to send


def _on_disk(app: App) -> list[str]:
    """Every file under the blob folder, temporary ones included."""
    root = app.settings.blobs_dir
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _upload(api: Api, name: str, content: bytes, declared: str, title: str = "Upload") -> object:
    return api.post("/items", files={"file": (name, content, declared)},
                    data={"title": title, "classification": "internal", "topics": "corpus"})


@pytest.fixture
def acme(client: TestClient) -> Api:
    return sign_up(client, "acme", "alice@acme.example")


@pytest.mark.parametrize("case", REFUSED, ids=lambda c: c.name)
def test_each_bad_file_is_refused_by_the_api_naming_the_problem_and_storing_nothing(
    case: Case, acme: Api, app: App
) -> None:
    before_disk, before_items = _on_disk(app), acme.get("/items").json()

    answer = _upload(acme, case.name, case.content, case.declared)
    after = acme.get("/me")

    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert set(answer.json()["errors"]) == {"file"}
    assert case.refusal in answer.json()["errors"]["file"]
    assert "Traceback" not in answer.text
    assert _on_disk(app) == before_disk
    assert acme.get("/items").json() == before_items
    assert after.status_code == 200 and after.json()["email"] == "alice@acme.example"


@pytest.mark.parametrize("case", [c for c in CASES if c.refusal is None], ids=lambda c: c.name)
def test_the_good_files_of_the_corpus_are_stored_with_their_type(case: Case, acme: Api, app: App) -> None:
    answer = _upload(acme, case.name, case.content, case.declared)

    assert answer.status_code == 201, answer.text
    assert answer.json()["versions"][0]["media_type"] == case.declared
    assert acme.get(f"/items/{answer.json()['id']}/content").content == case.content
    assert len([p for p in _on_disk(app) if not p.startswith(".incoming")]) == 1


def test_a_good_upload_right_after_a_bomb_is_stored(acme: Api) -> None:
    bomb = next(c for c in REFUSED if c.name == "bomb-20000x20000.png")
    good = next(c for c in CASES if c.name == "valid.png")

    refused = _upload(acme, bomb.name, bomb.content, bomb.declared)
    stored = _upload(acme, good.name, good.content, good.declared, title="After the bomb")

    assert refused.status_code == 422
    assert stored.status_code == 201
    assert [i["title"] for i in acme.get("/items").json()["items"]] == ["After the bomb"]


# Over the limit


@pytest.fixture
def small(app: App) -> Iterator[TestClient]:
    """The app with an upload limit of 64 KiB."""
    settings = app.settings.model_copy(update={"open_signup": True, "max_upload_bytes": LIMIT})
    with TestClient(create_app(core=replace(app, settings=settings)), base_url="http://testserver") as client:
        yield client


def test_a_file_just_over_the_limit_is_refused_by_the_api_and_nothing_is_left_on_disk(
    small: TestClient, app: App
) -> None:
    acme = sign_up(small, "acme", "alice@acme.example")

    answer = _upload(acme, "big.txt", b"x" * (LIMIT + 1), "text/plain")

    assert answer.status_code == 413
    assert answer.json()["detail"] == f"the request body is over the limit of {LIMIT} bytes"
    assert _on_disk(app) == []
    assert acme.get("/items").json()["items"] == []
    assert acme.get("/me").status_code == 200


def test_a_streamed_upload_without_a_length_is_cut_off_at_the_limit(small: TestClient, app: App) -> None:
    acme = sign_up(small, "acme", "alice@acme.example")
    boundary = "corpus-boundary"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nBig\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"classification\"\r\n\r\ninternal\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.txt\"\r\n"
            "Content-Type: text/plain\r\n\r\n").encode()

    def body() -> Iterator[bytes]:  # no Content-Length: the limit is found while streaming
        yield head
        for _ in range(2 * LIMIT // 4096):
            yield b"y" * 4096
        yield f"\r\n--{boundary}--\r\n".encode()

    answer = acme.post("/items", content=body(),
                       headers={"content-type": f"multipart/form-data; boundary={boundary}"})

    assert answer.status_code == 413
    assert "over the limit" in answer.json()["detail"]
    assert _on_disk(app) == []
    assert acme.get("/me").status_code == 200


# Names


NAMES = {
    "../../etc/passwd": "passwd",
    "..\\..\\windows\\win.ini": "win.ini",
    "..": "file",
    "report\u202egpj.exe": "reportgpj.exe",  # a right-to-left override would show "report.exe" as "...jpg"
    "nul\x00byte.txt": "nulbyte.txt",
    "tab\tand\x1bescape.txt": "tab andescape.txt",
    "a" * 1000 + ".pdf.txt": "a" * (255 - len(".txt")) + ".txt",
    "é" * 1000 + ".txt": "é" * ((255 - len(".txt")) // 2) + ".txt",  # 2 bytes each: never cut in two
}


@pytest.mark.parametrize(("sent", "kept"), NAMES.items(), ids=range(len(NAMES)))
def test_a_name_with_separators_controls_or_a_thousand_characters_is_stored_safe(
    sent: str, kept: str, acme: Api
) -> None:
    answer = _raw_upload(acme, sent, b"Drift under 0.2 K\n")
    download = acme.get(f"/items/{answer.json()['id']}/content")

    assert answer.status_code == 201, answer.text
    assert answer.json()["versions"][0]["filename"] == kept
    assert _filename_of(download.headers["content-disposition"]) == kept
    assert download.headers["content-disposition"].isascii()


def test_a_name_of_5000_characters_is_refused_naming_the_file_and_stores_nothing(acme: Api, app: App) -> None:
    answer = _raw_upload(acme, "a" * 5000 + ".txt", b"Drift under 0.2 K\n")

    assert answer.status_code == 422
    assert answer.json()["errors"] == {"file": "has a name over 4 KB: give the file a shorter name"}
    assert _on_disk(app) == []
    assert acme.get("/me").status_code == 200


def _raw_upload(api: Api, filename: str, content: bytes) -> object:
    """A multipart body written by hand: an HTTP client would escape the name's controls."""
    boundary = "corpus-boundary"
    quoted = filename.replace("\\", "\\\\").replace('"', '\\"')
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nNamed\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"classification\"\r\n\r\ninternal\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{quoted}\"\r\n"
            "Content-Type: text/plain\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return api.post("/items", content=body,
                    headers={"content-type": f"multipart/form-data; boundary={boundary}"})


def _filename_of(header: str) -> str:
    """The name a client that follows RFC 6266 reads: `filename*` (UTF-8, percent-encoded) first."""
    encoded = re.fullmatch(r'attachment; filename="[^"\\\x00-\x1f]*"; filename\*=UTF-8\'\'([^;\s]+)', header)
    assert encoded is not None, header
    return unquote(encoded.group(1), errors="strict")


# The pages


def _signed_in_page(client: TestClient) -> str:
    """Sign alice in through the login form; the new-item form's CSRF secret."""
    sign_in_page(client, "alice@acme.example", "a long passphrase")
    form = client.get("/items/new?kind=file")
    assert form.status_code == 200, form.text
    return csrf_of(form.text)


@pytest.mark.parametrize("name", ["encrypted-password.pdf", "bomb-20000x20000.png", "zip-bomb.docx",
                                  "5000-pages.pdf", "text-declared-as.pdf"])
def test_the_page_form_shows_the_refusal_next_to_the_file_and_stores_nothing(
    name: str, client: TestClient, acme: Api, app: App
) -> None:
    case = next(c for c in REFUSED if c.name == name)
    csrf = _signed_in_page(client)
    assert case.refusal is not None

    answer = client.post("/items/new", data={"csrf": csrf, "kind": "file", "title": "Upload",
                                             "classification": "internal", "topics": ""},
                         files={"file": (case.name, case.content, case.declared)})

    assert answer.status_code == 422
    assert 'id="file-error"' in answer.text
    assert html.escape(case.refusal, quote=False) in answer.text
    assert _on_disk(app) == []
    assert acme.get("/items").json()["items"] == []
    assert client.get("/items").status_code == 200


def test_a_file_just_over_the_limit_is_refused_by_the_page_with_a_page(small: TestClient, app: App) -> None:
    sign_up(small, "acme", "alice@acme.example")
    csrf = _signed_in_page(small)

    answer = small.post("/items/new", data={"csrf": csrf, "kind": "file", "title": "Big",
                                            "classification": "internal"},
                        files={"file": ("big.pdf", b"%PDF-" + b"x" * LIMIT, PDF)})

    assert answer.status_code == 413
    assert answer.headers["content-type"].startswith("text/html")
    assert "over the limit" in answer.text
    assert _on_disk(app) == []
    assert small.get("/items").status_code == 200


def test_the_corpus_readme_lists_every_file_and_every_file_is_tested() -> None:
    folder = Path(__file__).parents[1] / "corpus"
    files = {p.name for p in folder.iterdir()
             if p.is_file() and not p.name.startswith(".") and p.suffix not in {".py", ".md"}}
    readme = (folder / "README.md").read_text()

    assert files == {c.name for c in CASES}
    assert [c.name for c in CASES if f"`{c.name}`" not in readme] == []
    assert {c.declared for c in CASES} >= {PDF, PNG, DOCX}
