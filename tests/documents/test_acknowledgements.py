"""Read and understood: the people a document concerns, their acknowledgements of the current
revision (idempotent, refused for one that is no longer current), and who has not read it."""

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from server.documents.models import DocumentAcknowledgement
from server.events.models import Event
from server.extensions import db
from tests.documents.helpers import make_person


def _approved(desk, plant, **fields) -> dict:
    desk.as_(plant.officer)
    document = desk.new_document(**fields)
    draft = desk.revise(document["id"]).json["revisions"][0]
    desk.as_(plant.approver)
    return desk.approve(document["id"], draft["id"]).json


def _count() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(DocumentAcknowledgement))


def test_acknowledging_the_current_revision_once(plant, desk):
    document = _approved(desk, plant, audience={"roles": ["worker"]})
    revision_id = document["current_revision"]["id"]
    desk.as_(plant.worker)
    (listed,) = desk.documents(to_acknowledge="me")
    assert listed["id"] == document["id"] and listed["concerns_me"] is True
    assert listed["acknowledged_by_me"] is False

    at = "2026-11-30T08:15:00+01:00"
    body = {"id": str(uuid.uuid4()), "revision_id": revision_id, "acknowledged_at": at}
    url = f"/api/documents/{document['id']}/acknowledgements"
    made = desk.post(url, body)
    assert made.status_code == 201, made.json
    assert made.json["revision_number"] == 1 and made.json["document_id"] == document["id"]
    assert made.json["user"] == {"id": plant.worker.id, "name": "Wendy Worker"}
    assert made.json["acknowledged_at"] == "2026-11-30T07:15:00+00:00"
    # Sent again: the same one back; with other content under the id: 409; a second id for the
    # same revision (another phone): the first back.
    assert desk.post(url, body).status_code == 200
    other_time = desk.post(url, body | {"acknowledged_at": "2026-11-30T09:00:00+01:00"})
    assert other_time.status_code == 409
    second = desk.post(url, body | {"id": str(uuid.uuid4())})
    assert second.status_code == 200 and second.json["id"] == body["id"]
    assert _count() == 1

    assert desk.documents(to_acknowledge="me") == []
    view = desk.document(document["id"])
    assert view["acknowledged_by_me"] is True
    assert view["my_acknowledgement"]["id"] == body["id"]
    db.session.rollback()
    event = db.session.scalar(
        select(Event).where(Event.entity_id == document["id"], Event.action == "acknowledged")
    )
    assert event.actor_id == plant.worker.id and event.data["number"] == 1


def test_a_newer_revision_needs_reading_again(plant, desk):
    document = _approved(desk, plant)
    first = document["current_revision"]["id"]
    desk.as_(plant.worker)
    assert desk.acknowledge(document["id"], first).status_code == 201
    desk.as_(plant.officer)
    draft = desk.revise(document["id"]).json["revisions"][0]
    # A draft is not acknowledged.
    desk.as_(plant.worker)
    assert desk.acknowledge(document["id"], draft["id"]).status_code == 409
    desk.as_(plant.approver)
    desk.approve(document["id"], draft["id"])
    desk.as_(plant.worker)
    stale = desk.acknowledge(document["id"], first)
    assert stale.status_code == 409 and "revision_id" in stale.json["errors"]
    (listed,) = desk.documents(to_acknowledge="me")
    assert listed["acknowledged_by_me"] is False
    assert desk.acknowledge(document["id"], draft["id"]).status_code == 201
    assert desk.documents(to_acknowledge="me") == []


def test_the_desk_sees_who_has_and_has_not_read_it(plant, desk):
    document = _approved(desk, plant, audience={"roles": ["worker"], "site_ids": [plant.north.id]})
    revision_id = document["current_revision"]["id"]
    gone = make_person(plant.organization, "worker", name="Gone Worker")
    gone.memberships[0].active = False
    db.session.commit()
    # The workers of every site and of North are concerned; South's worker is not.
    for person in (plant.worker, plant.north_worker, plant.south_worker, plant.auditor):
        desk.as_(person)
        concerned = desk.document(document["id"])["concerns_me"]
        assert concerned is (person in (plant.worker, plant.north_worker))
    desk.as_(plant.north_worker)
    assert desk.acknowledge(document["id"], revision_id).status_code == 201
    # An auditor may acknowledge what they read, though it is not for them.
    desk.as_(plant.auditor)
    assert desk.acknowledge(document["id"], revision_id).status_code == 201

    desk.as_(plant.officer)
    view = desk.document(document["id"])
    assert [a["user"]["name"] for a in view["acknowledgements"]] == ["Nora North", "Audrey Auditor"]
    assert view["pending"] == [{"id": plant.worker.id, "name": "Wendy Worker"}]
    assert view["acknowledgement_counts"] == {"done": 1, "expected": 2}
    (listed,) = desk.documents()
    assert listed["acknowledgements"] == {"done": 1, "expected": 2}


def test_who_may_acknowledge(plant, desk):
    document = _approved(desk, plant)
    revision_id = document["current_revision"]["id"]
    desk.as_(plant.other_worker)
    assert desk.acknowledge(document["id"], revision_id).status_code == 404
    desk.as_(plant.officer)
    draft_only = desk.new_document()
    desk.as_(plant.worker)
    assert desk.acknowledge(draft_only["id"], revision_id).status_code == 404
    future = (datetime.now(UTC) + timedelta(days=3)).isoformat()
    late = desk.acknowledge(document["id"], revision_id, acknowledged_at=future)
    assert late.status_code == 422 and "acknowledged_at" in late.json["errors"]
    assert _count() == 0
