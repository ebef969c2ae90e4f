"""A signed-off audit's report is drawn once and kept by its SHA-256: asked for by the sign-off,
drawn by a real `flask worker`, served as stored (through gunicorn too), drawn again when a
name it prints changes or its file is gone; a draft's report is never kept."""

import hashlib
import time
import uuid

import pytest
import requests
from sqlalchemy import select

from server.audits.models import Audit
from server.audits.report_files import AuditReportFile, draw_audit_report, report_key
from server.audits.services import DRAW_REPORT
from server.extensions import db
from server.jobs.models import OutboxMessage
from server.media.storage import media_storage
from server.orgs.models import Site
from tests.audits.test_report_pdf import pdf_text, signed_off  # noqa: F401  (a fixture)
from tests.factories import PASSWORD
from tests.jobs.conftest import (  # noqa: F401  (fixtures: real Redis and `flask worker`)
    queued_app,
    redis_url,
    shared_redis_url,
    worker_process,
)
from tests.live_server import GunicornServer, app_environment


@pytest.fixture
def app(queued_app):  # noqa: F811
    """The app with its queue on the test's Redis (and an app context): the sign-off's job
    goes to a worker when one runs."""
    return queued_app


def _audit_pk(view: dict) -> int:
    return db.session.scalar(select(Audit.pk).where(Audit.id == uuid.UUID(view["id"])))


def _stored(audit_pk: int) -> AuditReportFile | None:
    db.session.expire_all()
    return db.session.scalar(select(AuditReportFile).where(AuditReportFile.audit_pk == audit_pk))


def _file_bytes(row: AuditReportFile) -> bytes:
    return media_storage().path(report_key(row.sha256)).read_bytes()


def test_the_sign_off_asks_for_the_report_and_the_job_keeps_it(app, signed_off, tmp_path):  # noqa: F811
    view, hashes = signed_off
    audit_pk = _audit_pk(view)
    asked = db.session.scalars(select(OutboxMessage).where(OutboxMessage.job == DRAW_REPORT))
    assert [message.payload for message in asked] == [{"audit_pk": audit_pk}]
    assert _stored(audit_pk) is None

    done = draw_audit_report(audit_pk)
    row = _stored(audit_pk)
    assert done == {"audit_pk": audit_pk, "sha256": row.sha256, "size_bytes": row.size_bytes}
    pdf = _file_bytes(row)
    assert hashlib.sha256(pdf).hexdigest() == row.sha256 and len(pdf) == row.size_bytes
    text = pdf_text(pdf, tmp_path)
    assert view["id"] in text and "North Plant" in text
    for item in view["findings"]:
        assert f"Nonconformity: {item['nonconformity_id']}" in text

    drawn_at = row.drawn_at
    assert draw_audit_report(audit_pk)["sha256"] == row.sha256  # run again: nothing drawn
    assert _stored(audit_pk).drawn_at == drawn_at


def test_the_report_is_served_as_stored(app, signed_off, client, auth, plant):  # noqa: F811
    view, _ = signed_off
    audit_pk = _audit_pk(view)
    first = client.get(f"/api/audits/{view['id']}/report.pdf")
    assert first.status_code == 200 and first.mimetype == "application/pdf"
    assert first.headers["Content-Disposition"] == f'inline; filename="audit-{view["id"]}.pdf"'
    row = _stored(audit_pk)  # drawn by the first request, the job not having run
    assert first.data == _file_bytes(row)
    assert first.headers["ETag"] == f'"{row.sha256}"'
    drawn_at = row.drawn_at
    auth.login(plant.officer.email)
    again = client.get(f"/api/audits/{view['id']}/report.pdf")
    assert again.data == first.data and _stored(audit_pk).drawn_at == drawn_at


def test_a_renamed_site_or_a_lost_file_draws_it_again(app, signed_off, client, tmp_path):  # noqa: F811
    view, _ = signed_off
    audit_pk = _audit_pk(view)
    draw_audit_report(audit_pk)
    before = _stored(audit_pk)
    sha_before, inputs_before = before.sha256, before.inputs

    site = db.session.get(Site, view["site_id"])
    site.name = "North Works"
    db.session.commit()
    renamed = client.get(f"/api/audits/{view['id']}/report.pdf")
    assert "North Works" in pdf_text(renamed.data, tmp_path)
    after = _stored(audit_pk)
    assert after.sha256 != sha_before and after.inputs != inputs_before
    assert renamed.data == _file_bytes(after)

    media_storage().path(report_key(after.sha256)).unlink()
    lost = client.get(f"/api/audits/{view['id']}/report.pdf")
    assert lost.status_code == 200 and "North Works" in pdf_text(lost.data, tmp_path)
    assert lost.data == _file_bytes(_stored(audit_pk))


def test_a_draft_report_is_drawn_each_time_and_never_kept(app, plant, phone, client, tmp_path):
    auditor = phone(plant.auditor)
    audit = auditor.start(plant.template, plant.north)
    first = client.get(f"/api/audits/{audit['id']}/report.pdf")
    assert first.status_code == 200
    assert "this report is a draft" in pdf_text(first.data, tmp_path)
    audit_pk = _audit_pk(audit)
    assert draw_audit_report(audit_pk) is None
    assert _stored(audit_pk) is None
    assert db.session.scalar(select(AuditReportFile.pk)) is None


def test_a_worker_draws_the_report_after_the_sign_off(signed_off, worker_process):  # noqa: F811
    view, _ = signed_off
    audit_pk = _audit_pk(view)
    worker_process()
    deadline = time.monotonic() + 60
    while _stored(audit_pk) is None:
        assert time.monotonic() < deadline, "the worker drew no report"
        time.sleep(0.1)
    row = _stored(audit_pk)
    assert hashlib.sha256(_file_bytes(row)).hexdigest() == row.sha256


def test_gunicorn_serves_the_stored_report(app, signed_off, plant, tmp_path):  # noqa: F811
    view, _ = signed_off
    audit_pk = _audit_pk(view)
    draw_audit_report(audit_pk)
    row = _stored(audit_pk)
    drawn_at = row.drawn_at
    server = GunicornServer(app_environment(app), workers=1, log_path=tmp_path / "gunicorn.log")
    with server:
        http = requests.Session()
        login = {"email": plant.auditor.email, "password": PASSWORD}
        assert http.post(f"{server.url}/api/auth/login", json=login).status_code == 200
        got = http.get(f"{server.url}/api/audits/{view['id']}/report.pdf")
    assert got.status_code == 200 and got.headers["Content-Type"] == "application/pdf"
    assert got.content == _file_bytes(row)
    assert _stored(audit_pk).drawn_at == drawn_at
