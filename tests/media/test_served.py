"""Photos through gunicorn, the server production runs: downloads whole, stalled uploads cut off."""

import hashlib
import io
import json
import socket
from pathlib import Path

import pytest
import requests
from PIL import Image

from tests.factories import PASSWORD, make_organization, make_site, make_user, report_item
from tests.live_server import GunicornServer, app_environment
from tests.media import images

READ_TIMEOUT = 2


@pytest.fixture
def served(app, tmp_path):
    """The test's app (same database and media) served by gunicorn, with a short read timeout."""
    env = app_environment(app, PHOTO_READ_TIMEOUT=READ_TIMEOUT)
    server = GunicornServer(env, workers=1, log_path=tmp_path / "gunicorn.log")
    with server:
        yield server


@pytest.fixture
def officer_session(served):
    """An officer of a new organization, signed in over HTTP, and the id of their site."""
    organization = make_organization()
    site = make_site(organization)
    officer = make_user(organization, role="officer")
    with requests.Session() as http:
        login = {"email": officer.email, "password": PASSWORD}
        assert http.post(f"{served.url}/api/auth/login", json=login).status_code == 200
        yield http, site.id


def test_downloads_through_gunicorn_are_the_stored_bytes(served, officer_session):
    http, site_id = officer_session
    # One photo larger than a read buffer (4,096 bytes), one smaller.
    photos = {images.jpeg((1800, 1200)): "image/jpeg", images.webp((60, 40)): "image/webp"}
    for data, content_type in photos.items():
        response = http.put(
            f"{served.url}/api/photos/{images.sha256(data)}",
            data=data,
            headers={"Content-Type": content_type},
        )
        assert response.status_code == 201, response.text
    refs = [{"sha256": images.sha256(data), "content_type": kind} for data, kind in photos.items()]
    item = report_item(site_id, photos=refs)
    sync = http.post(f"{served.url}/api/sync", json={"reports": [item]})
    assert sync.json()["results"][0]["status"] == "created"

    for data, content_type in photos.items():
        base = f"{served.url}/api/photos/{images.sha256(data)}"
        original = http.get(f"{base}/original")
        assert original.status_code == 200
        assert original.headers["Content-Type"] == content_type
        assert len(original.content) == len(data)
        assert hashlib.sha256(original.content).hexdigest() == images.sha256(data)
        for variant in ("display", "thumb"):
            derivative = http.get(f"{base}/{variant}")
            assert derivative.headers["Content-Type"] == "image/jpeg"
            with Image.open(io.BytesIO(derivative.content)) as image:
                image.load()
                assert image.format == "JPEG"


def _read_answer(client: socket.socket) -> tuple[int, dict, bytes]:
    """Read one HTTP response from a raw socket: status, headers (lower-case names), body."""
    received = b""
    while b"\r\n\r\n" not in received:
        received += client.recv(65536) or _closed()
    head, body = received.split(b"\r\n\r\n", 1)
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(":", 1) for line in lines)
    headers = {name.lower(): value.strip() for name, value in headers.items()}
    while len(body) < int(headers["content-length"]):
        body += client.recv(65536) or _closed()
    return int(status_line.split()[1]), headers, body


def _closed() -> bytes:
    raise AssertionError("the server closed the connection without answering")


@pytest.mark.parametrize("framing", ["content-length", "chunked"])
def test_a_stalled_upload_gets_408_and_the_server_carries_on(app, served, officer_session, framing):
    http, _site_id = officer_session
    data = images.jpeg()
    sha = images.sha256(data)
    cookies = "; ".join(f"{name}={value}" for name, value in http.cookies.items())
    if framing == "chunked":
        length, sent = "Transfer-Encoding: chunked", f"{len(data):x}\r\n".encode() + data[:5000]
    else:
        length, sent = f"Content-Length: {len(data)}", data[: len(data) // 2]
    head = (
        f"PUT /api/photos/{sha} HTTP/1.1\r\nHost: {served.url[7:]}\r\nCookie: {cookies}\r\n"
        f"Content-Type: image/jpeg\r\n{length}\r\n\r\n"
    )
    # Headers and part of the body, then nothing: the client waits far longer than the server.
    with socket.create_connection(("127.0.0.1", served.port), timeout=READ_TIMEOUT * 10) as client:
        client.sendall(head.encode() + sent)
        status, headers, body = _read_answer(client)
    assert status == 408
    assert headers["content-type"] == "application/problem+json"
    problem = json.loads(body)
    assert problem["status"] == 408 and "stalled" in problem["detail"]

    # Nothing kept, and the same worker serves the next request (it was not killed).
    assert http.head(f"{served.url}/api/photos/{sha}").status_code == 404
    assert list((Path(app.config["MEDIA_ROOT"]) / "tmp").iterdir()) == []
    log = served.log_path.read_text()
    assert log.count("Booting worker") == 1 and "WORKER TIMEOUT" not in log
    assert '" 500 ' not in log
