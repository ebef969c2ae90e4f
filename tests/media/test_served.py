"""Photos through gunicorn, the server production runs: downloads whole, stalled uploads cut off."""

import hashlib
import io

import pytest
import requests
from PIL import Image

from tests.factories import PASSWORD, make_organization, make_site, make_user, report_item
from tests.live_server import GunicornServer, app_environment
from tests.media import images


@pytest.fixture
def served(app, tmp_path):
    """The test's app (same database and media) served by gunicorn."""
    server = GunicornServer(app_environment(app), workers=1, log_path=tmp_path / "gunicorn.log")
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
