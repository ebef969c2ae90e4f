"""The sign-off: every question answered, each NC answer a nonconformity made once, with its
clause, notes and photos; the audit's score kept."""

import hashlib
import threading

import pytest

from server.audits.models import Audit
from server.extensions import db
from server.media.models import Attachment
from server.nonconformities.models import Nonconformity
from tests.factories import PASSWORD, make_photo_row


def test_sign_off_refuses_unanswered_questions_and_lists_them(plant, phone):
    auditor = phone(plant.auditor)
    audit = auditor.start(plant.template, plant.north)
    auditor.sync(auditor.answer(audit, "4.1", "conforming"))
    response = auditor.submit(audit)
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert [m.split(" ")[1] for m in response.json["errors"]["responses"]] == [
        "4.2",
        "7.1",
        "7.2",
        "9.1",
    ]
    assert len(response.json["errors"]["unanswered"]) == 4
    assert auditor.get(audit)["status"] == "in_progress"


def test_each_nc_answer_becomes_one_nonconformity_even_when_signed_off_twice(plant, phone):
    auditor = phone(plant.auditor)
    audit = auditor.start(plant.template, plant.north)
    sha = hashlib.sha256(b"missing guard").hexdigest()
    make_photo_row(plant.organization, sha)
    auditor.answer_all(audit, {"4.2": "minor_nc", "9.1": "observation"})
    guard = auditor.answer(audit, "7.1", "major_nc", notes="No guard on press 4", photos=[sha])
    assert auditor.sync(guard)[0]["status"] == "created"

    first = auditor.submit(audit, "2026-11-30T15:00:00+00:00")
    assert first.status_code == 200, first.json
    again = auditor.submit(audit, "2026-11-30T15:05:00+00:00")
    assert again.status_code == 200
    assert again.json["signed_at"] == first.json["signed_at"]

    ncs = db.session.query(Nonconformity).order_by(Nonconformity.clause).all()
    assert [(nc.clause, nc.severity, nc.source) for nc in ncs] == [
        ("4.2", "minor", "audit"),
        ("7.1", "major", "audit"),
    ]
    assert "No guard on press 4" in ncs[1].description
    photos = db.session.query(Attachment).filter_by(
        record_type="nonconformity", record_pk=ncs[1].pk
    )
    assert [a.sha256 for a in photos] == [sha]
    view = first.json
    assert view["status"] == "submitted"
    assert {f["ref"]: f["nonconformity_id"] for f in view["findings"]} == {
        "4.2": str(ncs[0].id),
        "7.1": str(ncs[1].id),
    }
    assert [o["ref"] for o in view["observations"]] == ["9.1"]
    # 4: 1 + 1.5 of 4; 7: 0 + 1 of 3; 9: 1 of 1 -> 4.5 of 8.
    assert view["score"]["overall"] == pytest.approx(56.3)
    assert db.session.get(Audit, 1).score == pytest.approx(56.3)


def test_a_signed_off_audit_takes_no_more_answers(plant, phone):
    auditor = phone(plant.auditor)
    audit = auditor.start(plant.template, plant.north)
    auditor.answer_all(audit, {})
    assert auditor.submit(audit).status_code == 200
    late = auditor.answer(audit, "4.1", "major_nc", notes="Changed my mind")
    answer = auditor.sync(late)[0]
    assert answer["status"] == "conflict"
    assert auditor.get(audit)["score"]["overall"] == 100.0


def test_two_sign_offs_at_once_make_each_nc_once(app, plant, phone):
    auditor = phone(plant.auditor)
    audit = auditor.start(plant.template, plant.north)
    auditor.answer_all(audit, {"4.1": "minor_nc", "7.2": "major_nc"})
    clients = [app.test_client() for _ in range(2)]
    for client in clients:
        client.post("/api/auth/login", json={"email": plant.auditor.email, "password": PASSWORD})
    start, statuses = threading.Barrier(len(clients)), []

    def sign_off(client):
        start.wait()
        body = {"signed_at": "2026-11-30T15:00:00Z"}
        statuses.append(client.post(f"/api/audits/{audit['id']}/submit", json=body).status_code)

    threads = [threading.Thread(target=sign_off, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200, 200]
    db.session.expire_all()
    assert db.session.query(Nonconformity).count() == 2


def test_only_the_auditor_or_an_officer_signs_off(plant, phone, client, auth):
    audit = phone(plant.auditor).start(plant.template, plant.north)
    for person in (plant.other_auditor, plant.south_officer):
        auth.login(person.email)
        response = client.post(
            f"/api/audits/{audit['id']}/submit", json={"signed_at": "2026-11-30T15:00:00Z"}
        )
        assert response.status_code == 404
    auth.login(plant.worker.email)
    response = client.post(
        f"/api/audits/{audit['id']}/submit", json={"signed_at": "2026-11-30T15:00:00Z"}
    )
    assert response.status_code == 403
