"""An NC names the controlled document it concerns: checked to be one of the organization's,
shown as {id, code, title}, changed and logged by PATCH."""

import uuid

from sqlalchemy import select

from server.documents.models import Document
from server.events.models import Event
from server.extensions import db
from tests.factories import make_organization
from tests.nonconformities.conftest import nc_body


def _document(organization, code: str = "SOP-014", title: str = "Press seals") -> Document:
    document = Document(
        id=uuid.uuid4(), organization_id=organization.id, code=code, title=title, kind="procedure"
    )
    db.session.add(document)
    db.session.commit()
    return document


def test_an_nc_names_its_document(plant, desk):
    document = _document(plant.organization)
    desk.as_(plant.officer)
    body = nc_body(plant.north, document_id=str(document.id))
    made = desk.post("/api/nonconformities", body)
    assert made.status_code == 201, made.json
    expected = {"id": str(document.id), "code": "SOP-014", "title": "Press seals"}
    assert made.json["document"] == expected
    assert desk.get(f"/api/nonconformities/{body['id']}").json["document"] == expected
    # Sent again: the same NC; with another document: other content.
    assert desk.post("/api/nonconformities", body).status_code == 200
    other = _document(plant.organization, "SOP-015")
    again = desk.post("/api/nonconformities", body | {"document_id": str(other.id)})
    assert again.status_code == 409


def test_an_nc_without_a_document_shows_none_and_resends_as_before(plant, desk):
    desk.as_(plant.officer)
    body = nc_body(plant.north)
    assert desk.post("/api/nonconformities", body).json["document"] is None
    assert desk.post("/api/nonconformities", body | {"document_id": None}).status_code == 200


def test_patch_sets_and_clears_the_document(plant, desk):
    document = _document(plant.organization)
    desk.as_(plant.officer)
    nc = desk.new_nc(plant.north)
    url = f"/api/nonconformities/{nc['id']}"
    named = desk.patch(url, {"document_id": str(document.id)})
    assert named.status_code == 200, named.json
    assert named.json["document"]["code"] == "SOP-014"
    cleared = desk.patch(url, {"document_id": None})
    assert cleared.status_code == 200 and cleared.json["document"] is None
    db.session.rollback()
    logged = db.session.scalars(
        select(Event.data).where(Event.entity_id == nc["id"], Event.action == "updated")
    ).all()
    assert [e["document_id"] for e in logged] == [str(document.id), None]
    assert all(e["changed"] == ["document_id"] for e in logged)


def test_only_a_document_of_the_organization(plant, desk):
    foreign = _document(make_organization(), "ELSE-1")
    desk.as_(plant.officer)
    for document_id in (str(foreign.id), str(uuid.uuid4())):
        made = desk.post("/api/nonconformities", nc_body(plant.north, document_id=document_id))
        assert made.status_code == 422
        assert made.json["errors"] == {"document_id": ["No such document in your organization."]}
    nc = desk.new_nc(plant.north)
    url = f"/api/nonconformities/{nc['id']}"
    assert desk.patch(url, {"document_id": str(foreign.id)}).status_code == 422
    for bad in ("SOP-014", 14, ["x"], "a\x00"):
        response = desk.patch(url, {"document_id": bad})
        assert response.status_code == 422 and "document_id" in response.json["errors"]
        created = desk.post("/api/nonconformities", nc_body(plant.north, document_id=bad))
        assert created.status_code == 422 and "document_id" in created.json["errors"]
    assert desk.get(url).json["document"] is None
