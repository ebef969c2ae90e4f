"""Fixtures for photo tests: a signed-in member, an upload helper, and a look at what got stored."""

from pathlib import Path

import pytest
from sqlalchemy import func, select

from server.extensions import db
from server.media.models import Photo
from tests.factories import make_organization, make_user
from tests.media.images import sha256


@pytest.fixture
def member(client, auth):
    """A worker of a new organization, signed in on client."""
    user = make_user(make_organization())
    auth.login(user.email)
    return user


@pytest.fixture
def upload(client):
    """PUT bytes to /api/photos/<their sha256, or the one given>."""

    def put(data: bytes, content_type: str = "image/jpeg", sha: str | None = None, **kwargs):
        return client.put(
            f"/api/photos/{sha or sha256(data)}", data=data, content_type=content_type, **kwargs
        )

    return put


@pytest.fixture
def media_root(app) -> Path:
    return Path(app.config["MEDIA_ROOT"])


@pytest.fixture
def stored_files(media_root):
    """Every file under MEDIA_ROOT (staging included), relative, sorted."""

    def files() -> list[str]:
        return sorted(str(p.relative_to(media_root)) for p in media_root.rglob("*") if p.is_file())

    return files


@pytest.fixture
def photo_count():
    def count() -> int:
        db.session.remove()
        return db.session.scalar(select(func.count()).select_from(Photo))

    return count
