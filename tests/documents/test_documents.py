"""Documents kept by the desk: made once by their client id, revised, approved by someone other
than the author, withdrawn; who sees what; every change in the event log."""

import uuid
from datetime import date

from dateutil.relativedelta import relativedelta
from sqlalchemy import select

from server.documents.records import DOCUMENT_TYPE
from server.events.models import Event
from server.extensions import db
from tests.documents.helpers import document_body, pdf, sha256


def _actions(document_id) -> list[str]:
    db.session.rollback()
    return list(
        db.session.scalars(
            select(Event.action)
            .where(Event.entity_type == DOCUMENT_TYPE, Event.entity_id == str(document_id))
            .order_by(Event.id)
        )
    )


def test_a_document_is_made_once_by_its_id(plant, desk):
    desk.as_(plant.officer)
    body = document_body(
        code="SOP-014",
        audience={"roles": ["worker"], "site_ids": [plant.north.id]},
        owner_id=plant.approver.id,
    )
    made = desk.post("/api/documents", body)
    assert made.status_code == 201, made.json
    view = made.json
    assert view["code"] == "SOP-014" and view["status"] == "draft"
    assert view["current_revision"] is None and view["revisions"] == []
    assert view["owner"] == {"id": plant.approver.id, "name": "Abel Approver"}
    assert view["audience"] == {"roles": ["worker"], "site_ids": [plant.north.id]}
    assert view["acknowledged_by_me"] is None and view["concerns_me"] is False
    again = desk.post("/api/documents", body)
    assert again.status_code == 200 and again.json["id"] == view["id"]
    other = desk.post("/api/documents", body | {"title": "Something else"})
    assert other.status_code == 409 and other.json["errors"] == {
        "id": ["Taken by another document."]
    }
    same_code = desk.post("/api/documents", document_body(code="sop-014"))
    assert same_code.status_code == 409 and "code" in same_code.json["errors"]
    # Another organization sending the same id learns nothing of it.
    desk.as_(plant.other_officer)
    assert desk.post("/api/documents", body).status_code == 409
    assert _actions(view["id"]) == ["created"]


def test_the_creator_owns_a_document_unless_told_and_owners_are_members(plant, desk):
    desk.as_(plant.admin)
    assert desk.new_document()["owner"]["id"] == plant.admin.id
    stranger = desk.post("/api/documents", document_body(owner_id=plant.other_officer.id))
    assert stranger.status_code == 422 and "owner_id" in stranger.json["errors"]
    foreign_site = desk.post(
        "/api/documents", document_body(audience={"site_ids": [plant.other_site.id]})
    )
    assert foreign_site.status_code == 422
    assert "site_ids" in foreign_site.json["errors"]["audience"]


def test_revise_approve_and_supersede(plant, desk):
    desk.as_(plant.officer)
    document = desk.new_document()
    first = desk.revise(document["id"], summary="First issue")
    assert first.status_code == 201, first.json
    (draft,) = first.json["revisions"]
    assert draft["number"] == 1 and draft["status"] == "draft"
    assert draft["author"] == {"id": plant.officer.id, "name": "Olive Officer"}
    assert draft["content_type"] == "application/pdf" and draft["size_bytes"] > 0

    # The author may not approve their own revision.
    own = desk.approve(document["id"], draft["id"])
    assert own.status_code == 409 and "revision_id" in own.json["errors"]

    desk.as_(plant.approver)
    approved = desk.approve(document["id"], draft["id"])
    assert approved.status_code == 200, approved.json
    view = approved.json
    assert view["status"] == "approved"
    current = view["current_revision"]
    assert current["id"] == draft["id"] and current["number"] == 1
    assert current["approved_by"] == {"id": plant.approver.id, "name": "Abel Approver"}
    assert current["file_url"] == f"/api/documents/{document['id']}/file"
    expected = date.today() + relativedelta(months=12)
    assert abs((date.fromisoformat(view["review_on"]) - expected).days) <= 1
    assert view["review_due"] is False
    # The same approval again is harmless; another approver gets 409 (it is not a draft).
    assert desk.approve(document["id"], draft["id"]).status_code == 200
    desk.as_(plant.admin)
    assert desk.approve(document["id"], draft["id"]).status_code == 409

    second = desk.revise(document["id"], summary="Guard interlock added")
    newer = second.json["revisions"][0]
    assert newer["number"] == 2 and second.json["current_revision"]["number"] == 1
    third = desk.revise(document["id"], summary="Typo fixed")
    numbers = {r["number"]: r["status"] for r in third.json["revisions"]}
    assert numbers == {3: "draft", 2: "obsolete", 1: "approved"}  # a newer draft supersedes
    superseded = desk.approve(document["id"], newer["id"])
    assert superseded.status_code == 409
    latest = third.json["revisions"][0]
    desk.as_(plant.approver)
    done = desk.approve(document["id"], latest["id"], review_on="2027-03-31").json
    assert done["current_revision"]["number"] == 3 and done["review_on"] == "2027-03-31"
    statuses = {r["number"]: r["status"] for r in done["revisions"]}
    assert statuses == {3: "approved", 2: "obsolete", 1: "obsolete"}
    assert all(r["obsoleted_at"] for r in done["revisions"] if r["number"] < 3)
    assert _actions(document["id"]) == [
        "created",
        "revised",
        "approved",
        "revised",
        "revised",
        "approved",
    ]


def test_a_revision_is_made_once_by_its_id(plant, desk):
    desk.as_(plant.officer)
    document = desk.new_document()
    data = pdf()
    desk.upload(data)
    body = {"id": str(uuid.uuid4()), "file_sha256": sha256(data), "filename": "a.pdf"}
    url = f"/api/documents/{document['id']}/revisions"
    assert desk.post(url, body).status_code == 201
    assert desk.post(url, body).status_code == 200
    conflict = desk.post(url, body | {"filename": "b.pdf"})
    assert conflict.status_code == 409
    assert len(desk.document(document["id"])["revisions"]) == 1


def test_review_months_come_from_the_organization(plant, desk):
    plant.organization.document_review_months = 3
    db.session.commit()
    desk.as_(plant.officer)
    document = desk.new_document()
    draft = desk.revise(document["id"]).json["revisions"][0]
    desk.as_(plant.approver)
    view = desk.approve(document["id"], draft["id"]).json
    expected = date.today() + relativedelta(months=3)
    assert abs((date.fromisoformat(view["review_on"]) - expected).days) <= 1


def test_withdrawal_makes_every_revision_obsolete(plant, desk):
    desk.as_(plant.officer)
    document = desk.new_document()
    draft = desk.revise(document["id"]).json["revisions"][0]
    desk.as_(plant.approver)
    desk.approve(document["id"], draft["id"])
    desk.revise(document["id"])
    url = f"/api/documents/{document['id']}/obsolete"
    withdrawn = desk.post(url, {"reason": "Press line removed"})
    assert withdrawn.status_code == 200, withdrawn.json
    assert withdrawn.json["status"] == "obsolete"
    assert withdrawn.json["current_revision"] is None
    assert {r["status"] for r in withdrawn.json["revisions"]} == {"obsolete"}
    assert desk.post(url, {"reason": "Again"}).status_code == 409
    assert desk.post(url, {"reason": " "}).status_code == 422
    assert desk.get(f"/api/documents/{document['id']}/file").status_code == 404
    assert _actions(document["id"])[-1] == "obsoleted"
    db.session.rollback()
    event = db.session.scalar(
        select(Event).where(Event.entity_id == document["id"], Event.action == "obsoleted")
    )
    assert event.data["reason"] == "Press line removed" and event.data["revisions"] == [1, 2]


def test_patch_changes_what_is_given_and_logs_it(plant, desk):
    desk.as_(plant.officer)
    document = desk.new_document()
    url = f"/api/documents/{document['id']}"
    changed = desk.patch(
        url,
        {"title": "  Lockout   of presses ", "audience": {"roles": ["auditor", "worker"]}},
    )
    assert changed.status_code == 200, changed.json
    assert changed.json["title"] == "Lockout of presses"
    assert changed.json["audience"] == {"roles": ["auditor", "worker"], "site_ids": []}
    assert desk.patch(url, {"review_on": None, "owner_id": None}).json["owner"] is None
    assert desk.patch(url, {}).status_code == 422
    assert desk.patch(url, {"code": "X"}).status_code == 422
    db.session.rollback()
    updates = db.session.scalars(
        select(Event.data).where(Event.entity_id == document["id"], Event.action == "updated")
    ).all()
    assert updates[0]["changed"] == ["title", "audience"]
    assert updates[1]["changed"] == ["owner_id"]  # review_on was empty already
    desk.as_(plant.worker)
    assert desk.patch(url, {"title": "Mine"}).status_code == 403


def _approved(desk, plant, **fields) -> dict:
    desk.as_(plant.officer)
    document = desk.new_document(**fields)
    draft = desk.revise(document["id"]).json["revisions"][0]
    desk.as_(plant.approver)
    return desk.approve(document["id"], draft["id"]).json


def test_who_sees_what(plant, desk):
    approved = _approved(desk, plant, code="POL-1", audience={"roles": ["officer"]})
    desk.as_(plant.officer)
    draft = desk.new_document(code="DRAFT-1")
    desk.revise(draft["id"])
    codes = [d["code"] for d in desk.documents()]
    assert codes == ["DRAFT-1", "POL-1"]
    assert [d["code"] for d in desk.documents(status="draft")] == ["DRAFT-1"]

    for person in (plant.worker, plant.auditor, plant.north_worker):
        desk.as_(person)
        listed = desk.documents()
        assert [d["code"] for d in listed] == ["POL-1"]
        assert listed[0]["concerns_me"] is False  # it is for officers
        assert listed[0]["acknowledgements"] is None
        assert desk.get(f"/api/documents/{draft['id']}").status_code == 404
        view = desk.document(approved["id"])
        assert [r["number"] for r in view["revisions"]] == [1]
        assert view["revisions"][0]["file_url"] == f"/api/documents/{approved['id']}/file"
        assert view["pending"] is None and view["acknowledgements"] is None
        assert desk.documents(status="draft") == []

    for person in (plant.other_officer, plant.other_worker):
        desk.as_(person)
        assert desk.documents() == []
        for document_id in (approved["id"], draft["id"]):
            assert desk.get(f"/api/documents/{document_id}").status_code == 404
            assert desk.get(f"/api/documents/{document_id}/file").status_code == 404
            changed = desk.patch(f"/api/documents/{document_id}", {"title": "x"})
            assert changed.status_code == (404 if person is plant.other_officer else 403)


def test_filters(plant, desk):
    _approved(desk, plant, code="POL-1", title="Safety policy", kind="policy")
    due = _approved(desk, plant, code="WI-7", title="Forklift daily check", kind="work_instruction")
    desk.patch(f"/api/documents/{due['id']}", {"review_on": "2020-01-01"})
    assert [d["code"] for d in desk.documents(kind="policy")] == ["POL-1"]
    assert [d["code"] for d in desk.documents(q="forklift CHECK")] == ["WI-7"]
    assert [d["code"] for d in desk.documents(q="100%")] == []
    listed = desk.documents(review_due="true")
    assert [d["code"] for d in listed] == ["WI-7"] and listed[0]["review_due"] is True
    assert [d["code"] for d in desk.documents(review_due="false")] == ["POL-1"]
    assert desk.get("/api/documents", status="withdrawn").status_code == 422
