"""Document files through gunicorn, the server production runs: the bytes whole, their type and
name, and caching only where the URL names the bytes for ever."""

import hashlib
import uuid
from urllib.parse import unquote

import pytest
import requests
from werkzeug.http import parse_options_header

from tests.documents.helpers import image, pdf, sha256
from tests.factories import PASSWORD
from tests.live_server import GunicornServer, app_environment

MAX_BYTES = 25 * 2**20  # DOCUMENT_MAX_MB's default
NAME = 'Überprüfung der "Presse"; Stufe 2 – 東京.pdf'


@pytest.fixture
def served(app, tmp_path):
    env = app_environment(app)
    server = GunicornServer(env, workers=1, log_path=tmp_path / "gunicorn.log")
    with server:
        yield server


def _session(url: str, user) -> requests.Session:
    http = requests.Session()
    login = {"email": user.email, "password": PASSWORD}
    assert http.post(f"{url}/api/auth/login", json=login).status_code == 200
    return http


def _put(http, url, data, content_type="application/pdf"):
    return http.put(
        f"{url}/api/documents/files/{sha256(data)}",
        data=data,
        headers={"Content-Type": content_type},
    )


def _approved(served, plant, data, filename, content_type="application/pdf") -> tuple:
    officer = _session(served.url, plant.officer)
    assert _put(officer, served.url, data, content_type).status_code == 201
    document_id = str(uuid.uuid4())
    body = {"id": document_id, "code": "SOP-1", "title": "Presses", "kind": "procedure"}
    assert officer.post(f"{served.url}/api/documents", json=body).status_code == 201
    revision = {"id": str(uuid.uuid4()), "file_sha256": sha256(data), "filename": filename}
    url = f"{served.url}/api/documents/{document_id}"
    assert officer.post(f"{url}/revisions", json=revision).status_code == 201
    approver = _session(served.url, plant.approver)
    approve = approver.post(f"{url}/revisions/{revision['id']}/approve", json={})
    assert approve.status_code == 200, approve.text
    return url, revision["id"], officer


def test_the_current_file_is_the_stored_bytes_with_its_name(served, plant):
    data = pdf(pages=12)
    assert len(data) > 4096
    url, revision_id, officer = _approved(served, plant, data, NAME)
    worker = _session(served.url, plant.worker)
    response = worker.get(f"{url}/file")
    assert response.status_code == 200
    assert response.content == data
    assert hashlib.sha256(response.content).hexdigest() == sha256(data)
    assert response.headers["Content-Type"] == "application/pdf"
    header = response.headers["Content-Disposition"]
    disposition, options = parse_options_header(header)
    assert disposition == "inline" and options["filename"] == NAME
    # ASCII on the wire: a plain fallback, quoted, and the name itself as RFC 8187 UTF-8.
    assert header.isascii()
    assert header.startswith('inline; filename="Uberprufung der \\"Presse\\"; Stufe 2')
    encoded = header.split("filename*=UTF-8''")[1]
    assert unquote(encoded) == NAME
    # Not content-addressed: every link shows the revision in use, so the browser asks again.
    cache = response.headers["Cache-Control"]
    assert "no-cache" in cache and "private" in cache and "max-age=31536000" not in cache
    assert response.headers["ETag"].strip('"') == sha256(data)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "object-src 'self'" in response.headers["Content-Security-Policy"]
    again = worker.get(f"{url}/file", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and again.content == b""

    # A revision's own URL names these bytes for ever: cached long (privately), for the desk.
    revision = officer.get(f"{url}/revisions/{revision_id}/file")
    assert revision.status_code == 200 and revision.content == data
    cache = revision.headers["Cache-Control"]
    assert "max-age=31536000" in cache and "immutable" in cache and "private" in cache
    assert "public" not in cache
    assert worker.get(f"{url}/revisions/{revision_id}/file").status_code == 403
    stranger = _session(served.url, plant.other_officer)
    assert stranger.get(f"{url}/file").status_code == 404
    assert stranger.get(f"{url}/revisions/{revision_id}/file").status_code == 404


def test_an_image_file_and_a_plain_name(served, plant):
    data = image("JPEG", size=(400, 300))
    url, _revision_id, _officer = _approved(served, plant, data, "poster.jpg", "image/jpeg")
    response = _session(served.url, plant.worker).get(f"{url}/file")
    assert response.content == data and response.headers["Content-Type"] == "image/jpeg"
    _kind, options = parse_options_header(response.headers["Content-Disposition"])
    assert options["filename"] == "poster.jpg"


def test_a_file_too_large_is_cut_off_as_it_streams(served, plant):
    officer = _session(served.url, plant.officer)
    data = pdf(pages=1) + b"%" + b"x" * MAX_BYTES

    def chunks():
        for start in range(0, len(data), 2**20):
            yield data[start : start + 2**20]

    response = officer.put(
        f"{served.url}/api/documents/files/{sha256(data)}",
        data=chunks(),
        headers={"Content-Type": "application/pdf"},
    )
    assert response.status_code == 413
    assert response.headers["Content-Type"] == "application/problem+json"
    sized = _put(officer, served.url, data)
    assert sized.status_code == 413
    assert '" 500 ' not in served.log_path.read_text()
