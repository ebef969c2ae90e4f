"""Uploading a revision's file: PDF or image, hash checked, size and type limited, readable,
stored once by SHA-256 and held per organization."""

import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from server.documents.files import file_key
from server.documents.models import DocumentFile
from server.extensions import db
from tests.documents.helpers import image, pdf, sha256


def _count() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(DocumentFile))


def test_a_pdf_is_stored_once_and_held_by_its_hash(app, plant, desk):
    desk.as_(plant.officer)
    data = pdf(pages=3)
    first = desk.upload(data)
    assert first.status_code == 201, first.json
    assert first.json == {
        "sha256": sha256(data),
        "content_type": "application/pdf",
        "size_bytes": len(data),
        "pages": 3,
    }
    stored = Path(app.config["MEDIA_ROOT"]) / file_key(sha256(data))
    assert stored.read_bytes() == data
    again = desk.upload(data)
    assert again.status_code == 200 and again.json == first.json
    assert _count() == 1
    assert desk.client.head(f"/api/documents/files/{sha256(data)}").status_code == 200
    # Nothing is left in staging.
    assert list((Path(app.config["MEDIA_ROOT"]) / "tmp").iterdir()) == []


@pytest.mark.parametrize(
    ("format", "content_type"),
    [("JPEG", "image/jpeg"), ("PNG", "image/png"), ("WEBP", "image/webp")],
)
def test_images_are_accepted(plant, desk, format, content_type):
    desk.as_(plant.admin)
    data = image(format)
    response = desk.upload(data, content_type)
    assert response.status_code == 201, response.json
    assert response.json["content_type"] == content_type and response.json["pages"] is None


def test_another_organization_holding_the_bytes_grants_nothing(plant, desk):
    data = pdf()
    desk.as_(plant.other_officer)
    assert desk.upload(data).status_code == 201
    desk.as_(plant.officer)
    assert desk.client.head(f"/api/documents/files/{sha256(data)}").status_code == 404
    document = desk.new_document()
    body = {"id": "0f6e4a56-9a3e-4f50-9d6c-1c0a8a4f7c11", "file_sha256": sha256(data)}
    response = desk.post(f"/api/documents/{document['id']}/revisions", body | {"filename": "x.pdf"})
    assert response.status_code == 422
    assert response.json["errors"] == {"file_sha256": ["Not uploaded yet."]}
    # Sending the bytes themselves makes them the organization's, stored once.
    assert desk.upload(data).status_code == 201
    assert _count() == 2


def test_the_hash_must_match_the_bytes(plant, desk):
    desk.as_(plant.officer)
    response = desk.upload(pdf(), sha="0" * 64)
    assert response.status_code == 422
    assert "hash to" in response.json["detail"]
    bad = desk.upload(pdf(), sha="not-a-hash")
    assert bad.status_code == 422 and "sha256" in bad.json["errors"]
    assert _count() == 0


def test_too_large_is_413(app, plant, desk):
    app.config["DOCUMENT_MAX_MB"] = 0.01  # 10,485 bytes
    desk.as_(plant.officer)
    response = desk.upload(pdf(pages=1) + b"%" + b"x" * 20_000)
    assert response.status_code == 413
    assert response.content_type == "application/problem+json"
    assert "at most 10,485 bytes" in response.json["detail"]


@pytest.mark.parametrize(
    ("data", "content_type", "status"),
    [
        (b"hello", "text/plain", 415),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "image/svg+xml", 415),
        (image("PNG"), "application/pdf", 415),  # the bytes are a PNG
        (pdf(), "image/png", 415),  # the bytes are a PDF
        (b"%PDF-1.7\n garbage that is no PDF at all", "application/pdf", 422),
        (pdf()[:200], "application/pdf", 422),  # cut short
        (b"not a pdf", "application/pdf", 422),
        (b"", "application/pdf", 422),
        (image("PNG")[:60], "image/png", 422),  # truncated
        (image("JPEG")[:-200] + b"\xff\xd9", "image/jpeg", 422),  # damaged
    ],
    ids=[
        "text",
        "svg",
        "png-as-pdf",
        "pdf-as-png",
        "broken-pdf",
        "short-pdf",
        "no-pdf-header",
        "empty",
        "short-png",
        "damaged-jpeg",
    ],
)
def test_other_types_and_unreadable_files_are_refused(plant, desk, data, content_type, status):
    desk.as_(plant.officer)
    response = desk.upload(data, content_type)
    assert response.status_code == status, response.json
    assert response.content_type == "application/problem+json"
    assert _count() == 0


def test_a_pdf_without_pages_is_refused(plant, desk):
    from pypdf import PdfWriter

    buffer = io.BytesIO()
    PdfWriter().write(buffer)
    desk.as_(plant.officer)
    response = desk.upload(buffer.getvalue())
    assert response.status_code == 422
    assert "no pages" in response.json["detail"]


def test_a_password_protected_pdf_is_refused(plant, desk):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf())))
    writer.encrypt(user_password="secret", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    desk.as_(plant.officer)
    response = desk.upload(buffer.getvalue())
    assert response.status_code == 422
    assert "password" in response.json["detail"]


@pytest.mark.parametrize("role", ["worker", "auditor"])
def test_only_the_desk_uploads(plant, desk, role):
    desk.as_(getattr(plant, role))
    assert desk.upload(pdf()).status_code == 403
    assert _count() == 0
