"""Bad input, field by field: 422 problem+json naming the field, and nothing saved."""

import uuid

import pytest
from sqlalchemy import func, select

from server.documents.models import Document, DocumentAcknowledgement, DocumentRevision
from server.extensions import db
from tests.documents.helpers import document_body, pdf, sha256

BIG = 2**63
HOSTILE = [
    ("lone surrogate", "Lockout \ud800 presses"),
    ("NUL", "Lockout\x00presses"),
    ("control", "Lockout\x1bpresses"),
]


def _problem(response, *path: str) -> None:
    assert response.status_code == 422, response.json
    assert response.content_type == "application/problem+json"
    errors = response.json["errors"]
    for name in path:
        assert name in errors, (name, errors)
        errors = errors[name]


def _saved(model) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model))


DOCUMENT_CASES = [
    *[(f"code {label}", {"code": text[:30]}, ("code",)) for label, text in HOSTILE],
    *[(f"title {label}", {"title": text}, ("title",)) for label, text in HOSTILE],
    ("id not a UUID", {"id": "doc-1"}, ("id",)),
    ("id a number", {"id": 7}, ("id",)),
    ("code blank", {"code": "   "}, ("code",)),
    ("code too long", {"code": "X" * 33}, ("code",)),
    ("code a number", {"code": 14}, ("code",)),
    ("title a list", {"title": ["a"]}, ("title",)),
    ("kind unknown", {"kind": "memo"}, ("kind",)),
    ("owner_id above 2^63", {"owner_id": BIG}, ("owner_id",)),
    ("owner_id above 32 bits", {"owner_id": 2**31}, ("owner_id",)),
    ("owner_id text", {"owner_id": "3"}, ("owner_id",)),
    ("owner_id a float", {"owner_id": 3.5}, ("owner_id",)),
    ("review_on year 1", {"review_on": "0001-01-01"}, ("review_on",)),
    ("review_on not a day", {"review_on": "2026-02-30"}, ("review_on",)),
    ("review_on a number", {"review_on": 20260101}, ("review_on",)),
    ("audience not an object", {"audience": ["worker"]}, ("audience",)),
    ("audience role unknown", {"audience": {"roles": ["boss"]}}, ("audience", "roles")),
    ("audience role twice", {"audience": {"roles": ["worker"] * 2}}, ("audience", "roles")),
    ("audience site above 2^63", {"audience": {"site_ids": [BIG]}}, ("audience", "site_ids")),
    ("audience site text", {"audience": {"site_ids": ["1"]}}, ("audience", "site_ids")),
    ("audience role NUL", {"audience": {"roles": ["work\x00er"]}}, ("audience", "roles")),
    ("unknown field", {"colour": "red"}, ("colour",)),
]


@pytest.mark.parametrize(
    ("label", "fields", "path"), DOCUMENT_CASES, ids=[c[0] for c in DOCUMENT_CASES]
)
def test_a_document_field_by_field(plant, desk, label, fields, path):
    desk.as_(plant.officer)
    _problem(desk.post("/api/documents", document_body(**fields)), *path)
    assert _saved(Document) == 0


@pytest.mark.parametrize(
    ("fields", "path"),
    [
        ({"title": "a\ud800"}, ("title",)),
        ({"title": "a\x00"}, ("title",)),
        ({"owner_id": BIG}, ("owner_id",)),
        ({"review_on": "0001-01-01"}, ("review_on",)),
        ({"kind": 3}, ("kind",)),
        ({"audience": {"site_ids": [BIG]}}, ("audience", "site_ids")),
    ],
)
def test_a_patch_field_by_field(plant, desk, fields, path):
    desk.as_(plant.officer)
    document = desk.new_document(title="Kept")
    _problem(desk.patch(f"/api/documents/{document['id']}", fields), *path)
    assert desk.document(document["id"])["title"] == "Kept"


REVISION_CASES = [
    ("file_sha256 upper case", {"file_sha256": "A" * 64}, "file_sha256"),
    ("file_sha256 short", {"file_sha256": "a" * 63}, "file_sha256"),
    ("file_sha256 a number", {"file_sha256": 12}, "file_sha256"),
    ("filename NUL", {"filename": "a\x00.pdf"}, "filename"),
    ("filename surrogate", {"filename": "a\udc00.pdf"}, "filename"),
    ("filename with a folder", {"filename": "../etc/passwd"}, "filename"),
    ("filename with a backslash", {"filename": "C:\\x.pdf"}, "filename"),
    ("filename blank", {"filename": "  "}, "filename"),
    ("filename too long", {"filename": "a" * 197 + ".pdf"}, "filename"),
    ("summary NUL", {"summary": "x\x00"}, "summary"),
    ("summary surrogate", {"summary": "x\ud83d"}, "summary"),
    ("id not a UUID", {"id": "r1"}, "id"),
]


@pytest.mark.parametrize(
    ("label", "fields", "field"), REVISION_CASES, ids=[c[0] for c in REVISION_CASES]
)
def test_a_revision_field_by_field(plant, desk, label, fields, field):
    desk.as_(plant.officer)
    document = desk.new_document()
    data = pdf()
    desk.upload(data)
    body = {"id": str(uuid.uuid4()), "file_sha256": sha256(data), "filename": "a.pdf", **fields}
    _problem(desk.post(f"/api/documents/{document['id']}/revisions", body), field)
    assert _saved(DocumentRevision) == 0


def _approved(desk, plant) -> dict:
    desk.as_(plant.officer)
    document = desk.new_document()
    draft = desk.revise(document["id"]).json["revisions"][0]
    desk.as_(plant.approver)
    return desk.approve(document["id"], draft["id"]).json


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"acknowledged_at": "0001-01-01T00:00:00+14:00"}, "acknowledged_at"),
        ({"acknowledged_at": "0001-01-01T00:00:00Z"}, "acknowledged_at"),
        ({"acknowledged_at": "2026-11-30T08:00:00"}, "acknowledged_at"),  # no offset
        ({"acknowledged_at": 1764489600}, "acknowledged_at"),
        ({"revision_id": "current"}, "revision_id"),
        ({"id": None}, "id"),
    ],
)
def test_an_acknowledgement_field_by_field(plant, desk, fields, field):
    document = _approved(desk, plant)
    desk.as_(plant.worker)
    body = {
        "id": str(uuid.uuid4()),
        "revision_id": document["current_revision"]["id"],
        "acknowledged_at": "2026-11-30T08:00:00+01:00",
        **fields,
    }
    response = desk.post(f"/api/documents/{document['id']}/acknowledgements", body)
    _problem(response, field)
    assert _saved(DocumentAcknowledgement) == 0


def test_approval_withdrawal_and_the_query_field_by_field(plant, desk):
    desk.as_(plant.officer)
    document = desk.new_document()
    draft = desk.revise(document["id"]).json["revisions"][0]
    desk.as_(plant.approver)
    for review_on in ("0001-01-01", "9999-12-31", 5):
        _problem(desk.approve(document["id"], draft["id"], review_on=review_on), "review_on")
    url = f"/api/documents/{document['id']}/obsolete"
    for reason in ("why\x00", "why\ud800", "", None, 5):
        _problem(desk.post(url, {"reason": reason}), "reason")
    for name, value in (
        ("status", "gone"),
        ("kind", "memo"),
        ("q", "a\x00"),
        ("review_due", "maybe"),
        ("to_acknowledge", "you"),
    ):
        _problem(desk.get("/api/documents", **{name: value}), name)
    assert desk.document(document["id"])["status"] == "draft"
