"""Answers through POST /api/sync: each on its own, idempotent on its id, the latest
answered_at counting for a question, and what a nonconforming answer needs."""

import hashlib
import uuid

import pytest

from server.audits.models import AuditResponse
from server.events.models import Event
from server.extensions import db
from tests.audits.conftest import now_iso, question
from tests.factories import make_organization, make_photo_row, make_site, make_user


def rows(audit) -> int:
    return db.session.query(AuditResponse).count()


def test_an_answer_is_saved_once_however_often_it_is_sent(plant, phone):
    auditor = phone(plant.auditor)
    audit = auditor.start(plant.template, plant.north)
    item = auditor.answer(audit, "4.1", "conforming")
    assert auditor.sync(item)[0]["status"] == "created"
    assert auditor.sync(item)[0]["status"] == "duplicate"
    assert rows(audit) == 1
    changed = item | {"result": "observation"}
    answer = auditor.sync(changed)[0]
    assert answer["status"] == "conflict"
    assert auditor.get(audit)["status"] == "in_progress"


def test_for_one_question_the_latest_answered_at_wins_and_both_stay_in_the_log(plant, phone):
    tablet, mobile = phone(plant.auditor), None
    audit = tablet.start(plant.template, plant.north)
    later = tablet.answer(audit, "4.1", "observation", answered_at=now_iso(-60), notes="Late")
    earlier = tablet.answer(audit, "4.1", "conforming", answered_at=now_iso(-600))
    # The later answer arrives first (from another device); the earlier one arrives after it.
    assert tablet.sync(later)[0] == {"id": later["id"], "status": "created", "current": True}
    assert tablet.sync(earlier)[0] == {"id": earlier["id"], "status": "created", "current": False}
    responses = tablet.get(audit)["responses"]
    assert [(r["id"], r["result"]) for r in responses] == [(later["id"], "observation")]
    answered = db.session.query(Event).filter_by(action="answered").all()
    assert {e.data["response_id"] for e in answered} == {later["id"], earlier["id"]}
    assert mobile is None


def test_a_nonconforming_answer_needs_notes_and_where_asked_a_photo(plant, phone):
    auditor = phone(plant.auditor)
    audit = auditor.start(plant.template, plant.north)
    no_notes = auditor.answer(audit, "4.1", "minor_nc")
    no_photo = auditor.answer(audit, "7.1", "major_nc", notes="Guard missing on press 4")
    fine = auditor.answer(audit, "7.2", "minor_nc", notes="Two of six trained")
    answers = auditor.sync(no_notes, no_photo, fine)
    assert answers[0]["status"] == "rejected" and "notes" in answers[0]["errors"]
    assert answers[1]["status"] == "rejected" and "photos" in answers[1]["errors"]
    assert answers[2]["status"] == "created"
    assert rows(audit) == 1


def test_a_photo_not_uploaded_yet_is_asked_for_and_then_taken(plant, phone):
    auditor = phone(plant.auditor)
    audit = auditor.start(plant.template, plant.north)
    sha = hashlib.sha256(b"guard photo").hexdigest()
    item = auditor.answer(audit, "7.1", "major_nc", notes="No guard", photos=[sha])
    assert auditor.sync(item)[0] == {
        "id": item["id"],
        "status": "missing_photos",
        "missing_photos": [sha],
    }
    make_photo_row(plant.organization, sha)
    assert auditor.sync(item)[0]["status"] == "created"
    assert auditor.get(audit)["responses"][0]["photos"] == [sha]


def test_a_photo_of_another_organization_is_missing_here(plant, phone):
    elsewhere = make_organization()
    sha = hashlib.sha256(b"their photo").hexdigest()
    make_photo_row(elsewhere, sha)
    auditor = phone(plant.auditor)
    audit = auditor.start(plant.template, plant.north)
    item = auditor.answer(audit, "7.1", "major_nc", notes="No guard", photos=[sha])
    assert auditor.sync(item)[0]["status"] == "missing_photos"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("notes", "bad\x00note"),
        ("notes", "lone \ud800 surrogate"),
        ("answered_at", "0001-01-01T00:00:00+00:00"),
        ("answered_at", "2026-01-01T10:00:00"),
        ("answered_at", "2999-01-01T10:00:00+00:00"),
        ("result", "excellent"),
        ("question_id", 2**63 + 1),
        ("audit_id", "not-a-uuid"),
        ("photos", ["A" * 64]),
    ],
)
def test_a_bad_field_rejects_only_its_item_naming_the_field(plant, phone, field, value):
    auditor = phone(plant.auditor)
    audit = auditor.start(plant.template, plant.north)
    bad = auditor.answer(audit, "4.1", "conforming") | {field: value}
    good = auditor.answer(audit, "4.2", "conforming")
    answers = auditor.sync(bad, good)
    assert answers[0]["status"] == "rejected" and field in answers[0]["errors"], answers[0]
    assert answers[1]["status"] == "created"
    assert rows(audit) == 1


def test_a_question_of_another_template_is_refused(plant, phone):
    auditor = phone(plant.auditor)
    audit = auditor.start(plant.template, plant.north)
    item = auditor.answer(audit, "4.1", "conforming") | {"question_id": str(uuid.uuid4())}
    answer = auditor.sync(item)[0]
    assert answer["status"] == "rejected" and "question_id" in answer["errors"]


def test_nobody_else_answers_an_audit(plant, phone, client, auth):
    audit = phone(plant.auditor).start(plant.template, plant.north)
    item = {
        "id": str(uuid.uuid4()),
        "audit_id": audit["id"],
        "question_id": question(audit, "4.1")["id"],
        "result": "conforming",
        "answered_at": now_iso(),
    }
    stranger_org = make_organization()
    make_site(stranger_org)
    for person in (
        plant.other_auditor,
        plant.worker,
        plant.south_officer,
        make_user(stranger_org, role="admin"),
    ):
        auth.login(person.email)
        answers = client.post("/api/sync", json={"responses": [item]}).json["responses"]
        assert answers[0]["status"] == "conflict", (person.email, answers)
        assert client.get(f"/api/audits/{audit['id']}").status_code in (403, 404)
    auth.login(plant.officer.email)
    assert (
        client.post("/api/sync", json={"responses": [item]}).json["responses"][0]["status"]
        == "created"
    )
