"""Reviews of register entries: every rating kept in the history, a pending review cleared by
the next one, reviews asked for by linked records, and who may review."""

import threading
import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from server.auth.access import actor_for
from server.auth.models import Membership
from server.events.services import events_of
from server.extensions import db
from server.risks import services
from server.risks.models import Risk, RiskReview
from server.risks.schemas import ReviewIn
from tests.risks.conftest import make_risk, review_body


def _days(n: int) -> str:
    return (date.today() + timedelta(days=n)).isoformat()


def test_three_reviews_make_four_history_rows_and_keep_the_earlier_ratings(register, plant):
    register.as_(plant.officer)
    entry = register.new_risk(plant.north, plant.officer, severity=5, likelihood=4)
    reviews = [
        {"residual_severity": 4, "residual_likelihood": 3, "review_on": _days(30), "notes": "A"},
        {
            "residual_severity": 3,
            "residual_likelihood": 2,
            "review_on": _days(60),
            "controls": [{"text": "Lorry barrier at bay 3", "control": "engineering"}],
            "notes": "B",
        },
        {"residual_severity": 2, "residual_likelihood": 1, "review_on": _days(90), "notes": ""},
    ]
    for review in reviews:
        register.as_(plant.admin).review(entry["id"], severity=5, likelihood=4, **review)
    final = register.as_(plant.officer).risk(entry["id"])
    history = final["history"]
    assert len(history) == 4
    assert history[0]["residual"] == entry["residual"] and history[0]["notes"] is None
    assert history[0]["reviewed_by"]["id"] == plant.officer.id
    assert history[0]["controls"] == entry["controls"]
    assert [h["residual"]["score"] for h in history] == [4, 12, 6, 2]
    assert [h["review_on"] for h in history] == [
        entry["review_on"],
        _days(30),
        _days(60),
        _days(90),
    ]
    assert [h["notes"] for h in history] == [None, "A", "B", None]
    assert [h["reviewed_by"]["id"] for h in history[1:]] == [plant.admin.id] * 3
    assert history[2]["controls"] == [{"text": "Lorry barrier at bay 3", "control": "engineering"}]
    assert [h["reviewed_at"] for h in history] == sorted(h["reviewed_at"] for h in history)
    assert final["residual"] == history[-1]["residual"] and final["review_on"] == _days(90)
    assert final["number"] == entry["number"] and final["created_at"] == entry["created_at"]
    # The rows themselves were never rewritten.
    stored = db.session.scalars(select(RiskReview).order_by(RiskReview.pk)).all()
    assert [(r.residual_severity, r.residual_likelihood) for r in stored] == [
        (4, 1),
        (4, 3),
        (3, 2),
        (2, 1),
    ]
    actions = [e.action for e in events_of(plant.organization.id, "risk", entry["id"])]
    assert actions == ["created", "reviewed", "reviewed", "reviewed"]
    assert final["change_id"] > entry["change_id"]


def test_a_review_clears_a_pending_review_and_keeps_its_reason(register, plant):
    risk = make_risk(plant.north, plant.officer)
    services.request_review(risk, "incident", "Lorry  reversed into\nthe rail", plant.admin.id)
    db.session.commit()
    register.as_(plant.officer)
    pending = register.risk(risk.id)
    assert pending["review_due"] is True and pending["review_overdue"] is False
    assert pending["review_reason"] == "incident"
    assert pending["review_note"] == "Lorry reversed into the rail"
    assert pending["review_requested_at"] is not None
    assert [i["id"] for i in register.items(review_due="true")] == [str(risk.id)]
    reviewed = register.review(risk.id, notes="Barrier added after the incident")
    assert reviewed["review_reason"] is None and reviewed["review_note"] is None
    assert reviewed["review_requested_at"] is None and reviewed["review_due"] is False
    assert [h["reason"] for h in reviewed["history"]] == [None, "incident"]
    assert register.items(review_due="true") == []
    # A planned review afterwards has no reason.
    again = register.review(risk.id)
    assert [h["reason"] for h in again["history"]] == [None, "incident", None]
    events = events_of(plant.organization.id, "risk", risk.id)
    assert [e.action for e in events] == ["review_requested", "reviewed", "reviewed"]
    assert events[0].data["reason"] == "incident" and events[0].actor_id == plant.admin.id
    assert events[1].data["reason"] == "incident"


def test_a_second_request_keeps_the_first_reason_and_adds_its_note(app, plant):
    risk = make_risk(plant.north, plant.officer)
    services.request_review(risk, "incident", "Lorry hit the rail", None)
    db.session.commit()
    first_at = risk.review_requested_at
    services.request_review(risk, "major_nc", "Major NC at bay 3", None)
    services.request_review(risk, "major_nc", "Major NC at bay 3", None)
    db.session.commit()
    db.session.refresh(risk)
    assert risk.review_reason == "incident" and risk.review_requested_at == first_at
    assert risk.review_note == "Lorry hit the rail\nMajor NC at bay 3"
    events = events_of(plant.organization.id, "risk", risk.id)
    assert [(e.data["reason"], e.data["pending"]) for e in events] == [
        ("incident", None),
        ("major_nc", "incident"),
        ("major_nc", "incident"),
    ]
    with pytest.raises(ValueError):
        services.request_review(risk, "rumour", None, None)


def test_a_review_may_hand_the_entry_on_and_archive_it(register, plant):
    risk = make_risk(plant.north, plant.officer)
    register.as_(plant.officer)
    moved = register.review(risk.id, owner_id=plant.north_worker.id)
    assert moved["owner"]["id"] == plant.north_worker.id and moved["status"] == "active"
    refused = register.patch(f"/api/risks/{risk.id}", review_body(owner_id=plant.south_worker.id))
    assert refused.status_code == 422 and "owner_id" in refused.json["errors"]
    archived = register.review(risk.id, status="archived")
    assert archived["status"] == "archived" and archived["owner"]["id"] == plant.north_worker.id
    assert register.items() == []
    assert register.as_(plant.north_worker).get("/api/risks/controls").json == []


def test_a_review_may_bring_a_warning_or_clear_it(register, plant):
    risk = make_risk(plant.north, plant.officer)
    register.as_(plant.officer)
    weak = register.review(
        risk.id,
        severity=5,
        likelihood=5,
        residual_severity=4,
        residual_likelihood=4,
        controls=[{"text": "Hi-vis vests", "control": "ppe"}],
    )
    assert [w["code"] for w in weak["warnings"]] == ["weak_controls"]
    strong = register.review(
        risk.id,
        severity=5,
        likelihood=5,
        residual_severity=4,
        residual_likelihood=4,
        controls=[{"text": "Segregated walkway", "control": "engineering"}],
    )
    assert strong["warnings"] == []


def test_a_review_of_an_overdue_entry_sets_its_next_day(register, plant):
    risk = make_risk(plant.south, plant.officer, review_on=date.today() - timedelta(days=10))
    register.as_(plant.officer)
    assert register.risk(risk.id)["review_overdue"] is True
    reviewed = register.review(risk.id, review_on=_days(365))
    assert reviewed["review_due"] is False and reviewed["review_overdue"] is False


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("severity", 0),
        ("likelihood", 6),
        ("residual_severity", 2**63),
        ("residual_likelihood", None),
        ("review_on", "0001-01-01"),
        ("notes", "Checked\x00"),
        ("notes", "\udc00"),
        ("controls", [{"text": "Signs", "control": "signage"}]),
        ("owner_id", "me"),
        ("status", "deleted"),
    ],
)
def test_bad_review_fields_are_field_errors_and_change_nothing(register, plant, field, value):
    risk = make_risk(plant.north, plant.officer)
    response = register.as_(plant.officer).patch(
        f"/api/risks/{risk.id}", review_body(**{field: value})
    )
    assert response.status_code == 422 and field in response.json["errors"], response.json
    assert len(register.risk(risk.id)["history"]) == 1


def test_a_review_needs_every_rating(register, plant):
    risk = make_risk(plant.north, plant.officer)
    response = register.as_(plant.officer).patch(f"/api/risks/{risk.id}", {"notes": "Looked"})
    assert response.status_code == 422
    assert set(response.json["errors"]) == {
        "severity",
        "likelihood",
        "residual_severity",
        "residual_likelihood",
        "review_on",
    }


def test_only_the_desk_of_the_entrys_site_reviews_it(register, plant):
    south = make_risk(plant.south, plant.officer)
    theirs = make_risk(plant.other_site, plant.other_officer)
    register.as_(plant.north_officer)
    assert register.patch(f"/api/risks/{south.id}", review_body()).status_code == 404
    assert register.patch(f"/api/risks/{theirs.id}", review_body()).status_code == 404
    assert register.patch(f"/api/risks/{uuid.uuid4()}", review_body()).status_code == 404
    for person in (plant.south_worker, plant.auditor):
        assert (
            register.as_(person).patch(f"/api/risks/{south.id}", review_body()).status_code == 403
        )
    assert register.as_(plant.south_officer).review(south.id)["history"][-1]["reviewed_by"] == {
        "id": plant.south_officer.id,
        "name": plant.south_officer.name,
    }
    db.session.expire_all()
    assert len(db.session.scalars(select(RiskReview)).all()) == 3


def test_reviews_made_at_once_are_all_kept(app, plant):
    """Four reviews of one entry in four sessions at once: four history rows after the first."""
    risk = make_risk(plant.north, plant.officer)
    membership = db.session.scalar(select(Membership).where(Membership.user_id == plant.officer.id))
    actor = actor_for(membership)
    start = threading.Barrier(4)
    failures = []

    def review(n: int):
        try:
            with app.app_context():
                data = ReviewIn().load(review_body(residual_likelihood=n, notes=f"Review {n}"))
                start.wait()
                services.review_risk(actor, risk.id, data)
                db.session.remove()
        except Exception as error:  # noqa: BLE001  (shown by the assertion below)
            failures.append(error)

    threads = [threading.Thread(target=review, args=(n,)) for n in range(1, 5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    notes = db.session.scalars(
        select(RiskReview.notes).where(RiskReview.risk_pk == risk.pk).order_by(RiskReview.pk)
    ).all()
    assert notes[0] is None and sorted(notes[1:]) == [f"Review {n}" for n in range(1, 5)]
    db.session.expire_all()
    stored = db.session.get(Risk, risk.pk)
    last = db.session.scalar(
        select(RiskReview).where(RiskReview.risk_pk == risk.pk).order_by(RiskReview.pk.desc())
    )
    # The entry holds the ratings of the review written last.
    assert stored.residual_likelihood == last.residual_likelihood
    events = events_of(plant.organization.id, "risk", risk.id)
    assert [e.action for e in events] == ["reviewed"] * 4
    assert stored.change_id == events[-1].id
