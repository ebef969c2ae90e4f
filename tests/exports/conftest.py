"""Fixtures for export tests: an organization with two sites in two time zones, people of every
role, another organization, and helpers that make records through the API as phones and the
desk do (photos uploaded as real JPEG bytes)."""

import csv
import io
import subprocess
import uuid
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from server.extensions import db
from tests.api_person import ApiPerson
from tests.audits.conftest import make_template
from tests.factories import make_organization, make_site, make_user, report_item
from tests.jobs.conftest import (  # noqa: F401  (fixtures: real Redis and `flask worker`)
    queued_app,
    redis_url,
    shared_redis_url,
    worker_process,
)
from tests.media.images import jpeg, sha256
from tests.nonconformities.conftest import FIVE_WHYS, action_body, nc_body

BOM = "\ufeff"


@pytest.fixture
def app(make_app):
    """The app with the effectiveness check allowed at once."""
    app = make_app(VERIFY_WAIT_DAYS=0)
    with app.app_context():
        yield app


def make_plant():
    """The organization, its two sites (North in UTC, South in Berlin) and its people."""
    organization = make_organization()
    north = make_site(organization, "NORTH", "North Plant")
    south = make_site(organization, "SOUTH", "South Yard")
    south.time_zone = "Europe/Berlin"
    other = make_organization()
    other_site = make_site(other, "ELSE", "Elsewhere")
    db.session.commit()
    return SimpleNamespace(
        organization=organization,
        north=north,
        south=south,
        worker=make_user(organization),
        auditor=make_user(organization, role="auditor"),
        officer=make_user(organization, role="officer"),
        other_officer=make_user(organization, role="officer"),
        south_officer=make_user(organization, role="officer", sites=[south]),
        admin=make_user(organization, role="admin"),
        template=make_template(organization),
        other=other,
        other_site=other_site,
        other_officer_elsewhere=make_user(other, role="officer"),
        other_worker=make_user(other),
    )


@pytest.fixture
def plant(app):
    return make_plant()


# The bytes of every photo uploaded, by SHA-256.
UPLOADED: dict[str, bytes] = {}


class Person(ApiPerson):
    """The API as one signed-in person: reports, NCs, actions and audits made the real way."""

    def photo(self, seed: int = 1) -> str:
        """Upload a small real JPEG (different for each seed); its SHA-256."""
        data = jpeg((64 + seed, 48))
        UPLOADED[sha256(data)] = data
        response = self.client.put(
            f"/api/photos/{sha256(data)}", data=data, headers={"Content-Type": "image/jpeg"}
        )
        assert response.status_code in (200, 201), response.json
        return sha256(data)

    def report(self, site, observed_at: datetime | str, photos=(), **fields) -> dict:
        """Sync one report; its item."""
        moment = observed_at if isinstance(observed_at, str) else observed_at.isoformat()
        refs = [{"sha256": sha, "content_type": "image/jpeg"} for sha in photos]
        item = report_item(site.id, observed_at=moment, photos=refs, **fields)
        response = self.client.post("/api/sync", json={"reports": [item]})
        assert response.json["results"][0]["status"] == "created", response.json
        return item

    def nc(self, site, **fields) -> dict:
        response = self.post("/api/nonconformities", nc_body(site, **fields))
        assert response.status_code == 201, response.json
        return response.json

    def root_cause(self, nc: dict) -> None:
        response = self.patch(f"/api/nonconformities/{nc['id']}", {"root_cause": FIVE_WHYS})
        assert response.status_code == 200, response.json

    def plan(self, nc: dict, owner, **fields) -> dict:
        response = self.post(
            f"/api/nonconformities/{nc['id']}/actions", action_body(owner, **fields)
        )
        assert response.status_code == 201, response.json
        return response.json

    def done(self, action: dict, photos=()) -> None:
        body = {"status": "done", "notes": "Seal replaced", "photos": list(photos)}
        response = self.patch(f"/api/actions/{action['id']}", body)
        assert response.status_code == 200, response.json

    def verify(self, nc: dict, effective: bool = True) -> None:
        body = {"effective": effective, "notes": "No leak since"}
        response = self.post(f"/api/nonconformities/{nc['id']}/verification", body)
        assert response.status_code == 200, response.json

    def audit(self, template, site, results: dict, photos=()) -> dict:
        """Start, answer (every question; those in results as given) and sign off an audit."""
        started = self.post(
            "/api/audits",
            {"id": str(uuid.uuid4()), "template_id": str(template.id), "site_id": site.id},
        )
        assert started.status_code == 201, started.json
        audit = started.json
        items = []
        for section in audit["template"]["sections"]:
            for question in section["questions"]:
                result = results.get(question["ref"], "conforming")
                nc = result in ("minor_nc", "major_nc")
                items.append(
                    {
                        "id": str(uuid.uuid4()),
                        "audit_id": audit["id"],
                        "question_id": question["id"],
                        "result": result,
                        "notes": "Seen on the floor" if nc else None,
                        "photos": list(photos) if nc else [],
                        "answered_at": datetime.now(UTC).isoformat(),
                    }
                )
        synced = self.client.post("/api/sync", json={"responses": items})
        assert synced.status_code == 200, synced.json
        signed = self.post(
            f"/api/audits/{audit['id']}/submit", {"signed_at": datetime.now(UTC).isoformat()}
        )
        assert signed.status_code == 200, signed.json
        return signed.json


@pytest.fixture
def person(client, auth):
    """person(user): the API as that person, signed in (signing in again switches)."""
    return lambda user: Person(client, auth).as_(user)


def today():
    return datetime.now(UTC).date()


def period(days_back: int = 30, days_on: int = 1) -> dict:
    """from and to around today."""
    return {
        "from": (today() - timedelta(days=days_back)).isoformat(),
        "to": (today() + timedelta(days=days_on)).isoformat(),
    }


def parse_csv(body: bytes) -> tuple[list[str], list[dict]]:
    """A CSV export read back with the csv module: (header, rows as dicts). The mark first."""
    text = body.decode("utf-8")
    assert text.startswith(BOM)
    rows = list(csv.reader(io.StringIO(text[1:], newline="")))
    header = rows[0]
    return header, [dict(zip(header, row, strict=True)) for row in rows[1:]]


def check_bundle(data: bytes, folder) -> dict[str, bytes]:
    """Unzip a bundle with the real unzip into folder and check it with the real
    `sha256sum -c SHA256SUMS` there; every file's bytes by name."""
    folder.mkdir(parents=True, exist_ok=True)
    archive = folder / "evidence.zip"
    archive.write_bytes(data)
    target = folder / "evidence"
    unzipped = subprocess.run(
        ["unzip", "-q", str(archive), "-d", str(target)], capture_output=True, text=True
    )
    assert unzipped.returncode == 0, unzipped.stderr
    checked = subprocess.run(
        ["sha256sum", "-c", "SHA256SUMS"], cwd=target, capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    lines = checked.stdout.strip().splitlines()
    assert lines and all(line.endswith(": OK") for line in lines), checked.stdout
    files = {
        str(path.relative_to(target)): path.read_bytes()
        for path in target.rglob("*")
        if path.is_file()
    }
    listed = {line.rsplit(": ", 1)[0] for line in lines}
    assert listed == set(files) - {"SHA256SUMS"}
    return files
