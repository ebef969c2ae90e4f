"""Large bundles: built by a real `flask worker` into storage, followed by their progress,
downloaded by the person who asked (or an admin), deleted after their day."""

import time
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from server.dbtypes import utcnow
from server.exports import services
from server.exports.bundle import FIXED_FILES
from server.exports.models import EvidenceBundle
from server.extensions import db
from server.media.storage import media_storage
from tests.exports.conftest import check_bundle, period
from tests.exports.test_bundle import records


@pytest.fixture
def app(queued_app):
    """The app with its queue on the test's Redis: a bundle asked for goes to the worker. The
    workers' fixture builds it, so that the test and the workers share one app (and the
    tables' cleaning closes its database connections)."""
    queued_app.config["VERIFY_WAIT_DAYS"] = 0
    return queued_app


def wait_for(officer, bundle_id: str, timeout: float = 60.0) -> tuple[dict, list[dict]]:
    """Poll the bundle until it is ready or failed: its last view and every view seen."""
    seen, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        response = officer.get(f"/api/exports/evidence/{bundle_id}")
        assert response.status_code == 200, response.json
        seen.append(response.json)
        if response.json["status"] in ("ready", "failed"):
            return response.json, seen
        time.sleep(0.1)
    raise AssertionError(f"the bundle was not built within {timeout} s: {seen[-1]}")


def test_a_worker_builds_the_bundle_and_its_progress_shows(person, plant, worker_process, tmp_path):
    made = records(person, plant)
    officer = person(plant.officer)
    asked = officer.post("/api/exports/evidence", {**period(), "site_id": None})
    assert asked.status_code == 202, asked.json
    assert asked.json["status"] == "queued" and asked.json["download_url"] is None
    files = FIXED_FILES + 5 + 1  # five photos, one audit report
    assert asked.json["progress"] == {"done": 0, "total": files}
    worker_process()
    bundle, seen = wait_for(officer, asked.json["id"])
    assert bundle["status"] == "ready", bundle
    assert bundle["progress"] == {"done": files, "total": files}
    dones = [view["progress"]["done"] for view in seen]
    assert dones == sorted(dones)
    assert bundle["download_url"] == f"/api/exports/evidence/{bundle['id']}/download"
    download = officer.get(bundle["download_url"])
    assert download.status_code == 200 and download.mimetype == "application/zip"
    assert int(download.headers["Content-Length"]) == bundle["size_bytes"]
    data = download.get_data()
    download.close()
    unzipped = check_bundle(data, tmp_path / "bundle")
    assert f"audits/audit-{made['audit']['id']}.pdf" in unzipped
    assert len(unzipped) == files


def test_only_the_person_who_asked_or_an_admin_may_download(person, plant):
    records(person, plant)
    asked = person(plant.officer).post("/api/exports/evidence", period()).json
    pk = db.session.scalar(
        select(EvidenceBundle.pk).where(EvidenceBundle.id == uuid.UUID(asked["id"]))
    )
    services.build(pk)  # the job's own function, here, as the worker would run it
    url = f"/api/exports/evidence/{asked['id']}"
    for user in (plant.officer, plant.admin):
        download = person(user).get(f"{url}/download")
        assert download.status_code == 200
        download.close()
    assert person(plant.admin).get(url).json["status"] == "ready"
    for other in (plant.other_officer, plant.south_officer, plant.other_officer_elsewhere):
        assert person(other).get(url).status_code == 404
        assert person(other).get(f"{url}/download").status_code == 404
    for worker in (plant.worker, plant.auditor, plant.other_worker):
        assert person(worker).get(url).status_code == 403
        assert person(worker).get(f"{url}/download").status_code == 403
        assert person(worker).post("/api/exports/evidence", period()).status_code == 403


def test_asking_follows_the_rules_of_the_exports(person, plant):
    officer = person(plant.officer)
    assert (
        officer.post(
            "/api/exports/evidence", {**period(), "site_id": plant.other_site.id}
        ).status_code
        == 404
    )
    south = person(plant.south_officer)
    assert (
        south.post("/api/exports/evidence", {**period(), "site_id": plant.north.id}).status_code
        == 404
    )
    for body, field in (
        ({"to": "2026-01-01"}, "from"),
        ({"from": "2026-01-02", "to": "2026-01-01"}, "to"),
        ({"from": "0001-01-01", "to": "2026-01-01"}, "from"),
        ({"from": "2026-01-01", "to": "2026-01-01\x00"}, "to"),
        ({"from": "2026-01-01", "to": "2026-01-01", "site_id": 2**63}, "site_id"),
        ({"from": "2026-01-01", "to": "2026-01-01", "site_id": "1"}, "site_id"),
    ):
        response = officer.post("/api/exports/evidence", body)
        assert response.status_code == 422 and field in response.json["errors"], (
            body,
            response.json,
        )
    assert db.session.scalar(select(EvidenceBundle.pk)) is None


def test_a_bundle_is_deleted_after_its_day(person, plant):
    records(person, plant)
    asked = person(plant.officer).post("/api/exports/evidence", period()).json
    bundle = db.session.scalar(
        select(EvidenceBundle).where(EvidenceBundle.id == uuid.UUID(asked["id"]))
    )
    services.build(bundle.pk)
    db.session.refresh(bundle)
    path = media_storage().path(bundle.storage_key)
    assert path.is_file() and bundle.expires_at - utcnow() > timedelta(hours=23)
    assert services.expire_bundles() == 0
    db.session.execute(
        update(EvidenceBundle)
        .where(EvidenceBundle.pk == bundle.pk)
        .values(expires_at=utcnow() - timedelta(seconds=1))
    )
    db.session.commit()
    assert services.expire_bundles() == 1
    assert not path.exists()
    officer = person(plant.officer)
    assert officer.get(f"/api/exports/evidence/{asked['id']}").json["status"] == "expired"
    assert officer.get(f"/api/exports/evidence/{asked['id']}/download").status_code == 404


def test_a_job_run_twice_builds_once_and_a_lost_member_fails_it(person, plant):
    records(person, plant)
    asked = person(plant.officer).post("/api/exports/evidence", period()).json
    bundle = db.session.scalar(
        select(EvidenceBundle).where(EvidenceBundle.id == uuid.UUID(asked["id"]))
    )
    assert services.build(bundle.pk)["files"] == asked["progress"]["total"]
    assert services.build(bundle.pk) is None  # ready already: left as it is
    other = person(plant.south_officer).post("/api/exports/evidence", period()).json
    other_pk = db.session.scalar(
        select(EvidenceBundle.pk).where(EvidenceBundle.id == uuid.UUID(other["id"]))
    )
    plant.south_officer.active = False
    db.session.commit()
    assert services.build(other_pk) is None
    failed = person(plant.admin).get(f"/api/exports/evidence/{other['id']}").json
    assert failed["status"] == "failed" and "no longer a member" in failed["error"]
