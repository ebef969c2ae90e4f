"""An audit question may name the controlled document it checks: validated on POST and PUT of a
template, shown as {id, code, title} in the template and in each audit that runs it."""

import uuid
from types import SimpleNamespace

from server.documents.models import Document
from server.extensions import db
from tests.audits.conftest import question
from tests.factories import PASSWORD, make_organization

URL = "/api/audit-templates"


def _document(organization, code: str = "SOP-014", title: str = "Machine guarding") -> Document:
    document = Document(
        id=uuid.uuid4(), organization_id=organization.id, code=code, title=title, kind="procedure"
    )
    db.session.add(document)
    db.session.commit()
    return document


def _body(document_id=None, **fields) -> dict:
    guards = {"ref": "7.1", "text": "Are guards fitted?", "weight": 2}
    if document_id is not None:
        guards["document_id"] = document_id
    return {
        "id": str(uuid.uuid4()),
        "name": "Guarding walk",
        "standard": "ISO 45001:2018",
        "sections": [
            {
                "ref": "7",
                "title": "Support",
                "questions": [guards, {"ref": "7.2", "text": "Are people competent?"}],
            }
        ],
        **fields,
    }


def _sign_in(client, user) -> None:
    login = {"email": user.email, "password": PASSWORD}
    assert client.post("/api/auth/login", json=login).status_code == 200


def _questions(view: dict) -> dict:
    return {q["ref"]: q for s in view["sections"] for q in s["questions"]}


def test_a_template_question_names_its_document_and_the_audit_shows_it(client, plant, phone):
    document = _document(plant.organization)
    _sign_in(client, plant.officer)
    body = _body(str(document.id))
    made = client.post(URL, json=body)
    assert made.status_code == 201, made.json
    # The template says which document (and reads back as it is sent, for a PUT).
    guards, other = _questions(made.json)["7.1"], _questions(made.json)["7.2"]
    assert guards["document_id"] == str(document.id) and "document_id" not in other
    assert client.post(URL, json=body).status_code == 200  # the same template again

    # The document's title changes: every view shows it as it is now.
    document.title = "Machine guarding and interlocks"
    db.session.commit()
    audit = phone(plant.auditor).start(SimpleNamespace(id=body["id"]), plant.north)
    shown = question(audit, "7.1")
    assert shown["document_id"] == str(document.id)
    assert shown["document"] == {
        "id": str(document.id),
        "code": "SOP-014",
        "title": "Machine guarding and interlocks",
    }
    assert question(audit, "7.2")["document"] is None
    _sign_in(client, plant.officer)
    full = client.get(f"/api/audits/{audit['id']}").json
    assert question(full, "7.1")["document"]["code"] == "SOP-014"


def test_put_sets_and_clears_a_questions_document(client, plant):
    document = _document(plant.organization)
    _sign_in(client, plant.officer)
    body = _body()
    template = client.post(URL, json=body).json
    sections = template["sections"]
    sections[0]["questions"][1]["document_id"] = str(document.id)
    content = {"name": body["name"], "standard": body["standard"], "sections": sections}
    put = client.put(f"{URL}/{body['id']}", json=content)
    assert put.status_code == 200, put.json
    assert _questions(put.json)["7.2"]["document_id"] == str(document.id)
    assert put.json["version"] == 1  # edited in place: no audit ran it
    content["sections"][0]["questions"][1]["document_id"] = None
    cleared = client.put(f"{URL}/{body['id']}", json=content)
    assert "document_id" not in _questions(cleared.json)["7.2"]


def test_only_a_document_of_the_organization(client, plant):
    foreign = _document(make_organization(), "ELSE-1")
    _sign_in(client, plant.officer)
    field = "sections.0.questions.0.document_id"
    for document_id in (str(foreign.id), str(uuid.uuid4())):
        made = client.post(URL, json=_body(document_id))
        assert made.status_code == 422
        assert made.json["errors"] == {field: ["No such document in your organization."]}
    for bad in ("SOP-014", 7, ["x"], "a\x00", "\ud800"):
        made = client.post(URL, json=_body(bad))
        assert made.status_code == 422 and field in made.json["errors"], made.json
    body = _body()
    client.post(URL, json=body)
    content = _body(str(foreign.id))
    del content["id"]
    put = client.put(f"{URL}/{body['id']}", json=content)
    assert put.status_code == 422 and field in put.json["errors"]
    kept = client.get(f"{URL}/{body['id']}").json
    assert "document_id" not in _questions(kept)["7.1"]
