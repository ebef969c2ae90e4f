"""Document tests' helpers: people, files (PDFs drawn with ReportLab, images with Pillow), and
the API as the desk and the phone use it."""

import hashlib
import io
import itertools
import uuid
from datetime import UTC, datetime
from functools import cache

from PIL import Image
from reportlab.pdfgen import canvas
from werkzeug.security import generate_password_hash

from server.auth.models import Membership, User
from server.extensions import db
from tests.api_person import ApiPerson
from tests.factories import PASSWORD, PASSWORD_HASH_METHOD

_people = itertools.count(1)


@cache
def _password_hash() -> str:
    """PASSWORD's hash, made once: scrypt per person would make every test slow."""
    return generate_password_hash(PASSWORD, method=PASSWORD_HASH_METHOD)


def make_person(organization, role: str = "worker", sites=(), name: str | None = None) -> User:
    """A member who signs in with tests.factories.PASSWORD."""
    number = next(_people)
    user = User(
        email=f"person{number}@documents.example.test",
        name=name or f"Person {number}",
        password_hash=_password_hash(),
    )
    db.session.add(Membership(user=user, organization=organization, role=role, sites=list(sites)))
    db.session.commit()
    return user


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def pdf(pages: int = 2, text: str = "Lockout procedure") -> bytes:
    """A small real PDF of this many pages."""
    buffer = io.BytesIO()
    drawing = canvas.Canvas(buffer)
    for number in range(pages):
        drawing.drawString(72, 720, f"{text}, page {number + 1}")
        drawing.showPage()
    drawing.save()
    return buffer.getvalue()


def image(format: str = "PNG", size=(64, 48), colour=(200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format)
    return buffer.getvalue()


def document_body(**fields) -> dict:
    """A valid POST /api/documents body."""
    return {
        "id": str(uuid.uuid4()),
        "code": f"SOP-{next(_people):03d}",
        "title": "Lockout and tagout of presses",
        "kind": "procedure",
        **fields,
    }


def now_text() -> str:
    return datetime.now(UTC).isoformat()


class Desk(ApiPerson):
    """The documents API as one signed-in person uses it."""

    def upload(self, data: bytes, content_type: str = "application/pdf", sha: str | None = None):
        return self.client.put(
            f"/api/documents/files/{sha or sha256(data)}", data=data, content_type=content_type
        )

    def new_document(self, **fields) -> dict:
        response = self.post("/api/documents", document_body(**fields))
        assert response.status_code == 201, response.json
        return response.json

    def document(self, document_id) -> dict:
        response = self.get(f"/api/documents/{document_id}")
        assert response.status_code == 200, response.json
        return response.json

    def documents(self, **params) -> list[dict]:
        response = self.get("/api/documents", **params)
        assert response.status_code == 200, response.json
        return response.json

    def revise(self, document_id, data: bytes | None = None, **fields):
        """Upload a file (a new PDF unless given) and draft a revision of it: the response."""
        data = data if data is not None else pdf(text=f"Revision {uuid.uuid4()}")
        kind = fields.pop("content_type", "application/pdf")
        assert self.upload(data, kind).status_code in (200, 201)
        body = {
            "id": str(uuid.uuid4()),
            "file_sha256": sha256(data),
            "filename": "lockout.pdf",
            "summary": "First issue",
            **fields,
        }
        return self.post(f"/api/documents/{document_id}/revisions", body)

    def approve(self, document_id, revision_id, **body):
        return self.post(f"/api/documents/{document_id}/revisions/{revision_id}/approve", body)

    def acknowledge(self, document_id, revision_id, **fields):
        body = {
            "id": str(uuid.uuid4()),
            "revision_id": str(revision_id),
            "acknowledged_at": now_text(),
            **fields,
        }
        return self.post(f"/api/documents/{document_id}/acknowledgements", body)
