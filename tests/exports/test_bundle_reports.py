"""The bundle holds each signed-off audit's report as kept in storage (drawn once, after the
sign-off), the very bytes GET /api/audits/{id}/report.pdf serves; one not kept yet is drawn
and kept on the way."""

import uuid

from sqlalchemy import select

from server.audits.models import Audit
from server.audits.report_files import AuditReportFile, draw_audit_report, report_key
from server.extensions import db
from server.media.storage import media_storage
from tests.exports.conftest import check_bundle, period
from tests.exports.test_bundle import records


def _kept(audit_id: str) -> bytes | None:
    db.session.expire_all()
    row = db.session.scalar(
        select(AuditReportFile)
        .join(Audit, Audit.pk == AuditReportFile.audit_pk)
        .where(Audit.id == uuid.UUID(audit_id))
    )
    return None if row is None else media_storage().path(report_key(row.sha256)).read_bytes()


def test_the_bundle_holds_the_kept_report(person, plant, tmp_path):
    made = records(person, plant)
    audit_id = made["audit"]["id"]
    assert _kept(audit_id) is None  # the sign-off's job has not run
    officer = person(plant.officer)
    first = officer.get("/api/exports/evidence.zip", **period())
    assert first.status_code == 200
    files = check_bundle(first.get_data(), tmp_path / "first")
    kept = _kept(audit_id)  # drawn and kept by the bundle
    assert files[f"audits/audit-{audit_id}.pdf"] == kept

    draw_audit_report(db.session.scalar(select(Audit.pk).where(Audit.id == uuid.UUID(audit_id))))
    again = officer.get("/api/exports/evidence.zip", **period())
    files = check_bundle(again.get_data(), tmp_path / "again")
    assert files[f"audits/audit-{audit_id}.pdf"] == kept == _kept(audit_id)
    served = officer.get(f"/api/audits/{audit_id}/report.pdf")
    assert served.get_data() == kept
