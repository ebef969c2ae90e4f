"""Fixtures for audit tests: a plant with people of every role, a small template of three
clauses with weights and photo evidence, and helpers that answer and sign off as a phone does."""

import uuid
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from server.audits.models import AuditTemplate, AuditTemplateVersion
from server.extensions import db
from tests.factories import make_organization, make_site, make_user

# Three clauses; 4.2 has weight 3 and 7.1 wants a photo for a nonconforming answer.
SECTIONS = [
    {
        "ref": "4",
        "title": "Context of the organization",
        "questions": [
            {"ref": "4.1", "text": "Are internal and external issues known?", "weight": 1},
            {"ref": "4.2", "text": "Are the needs of workers known?", "weight": 3},
        ],
    },
    {
        "ref": "7",
        "title": "Support",
        "questions": [
            {"ref": "7.1", "text": "Are guards fitted?", "weight": 2, "evidence_on_nc": True},
            {"ref": "7.2", "text": "Are people competent?", "weight": 1},
        ],
    },
    {
        "ref": "9",
        "title": "Performance evaluation",
        "questions": [{"ref": "9.1", "text": "Is performance monitored?", "weight": 1}],
    },
]


def make_template(organization, name="Plant audit", sections=SECTIONS) -> AuditTemplate:
    """A template with one version whose questions get fresh ids."""
    content = [
        {
            **section,
            "questions": [
                {"guidance": "", "weight": 1, "evidence_on_nc": False, **q, "id": str(uuid.uuid4())}
                for q in section["questions"]
            ],
        }
        for section in sections
    ]
    template = AuditTemplate(
        id=uuid.uuid4(), organization_id=organization.id, name=name, standard="ISO 45001:2018"
    )
    db.session.add(template)
    db.session.flush()
    db.session.add(
        AuditTemplateVersion(
            template_pk=template.pk,
            version=1,
            name=name,
            standard=template.standard,
            sections=content,
            question_count=sum(len(s["questions"]) for s in content),
        )
    )
    db.session.commit()
    return template


@pytest.fixture
def plant(app):
    organization = make_organization()
    north = make_site(organization, "NORTH", "North Plant")
    south = make_site(organization, "SOUTH", "South Yard")
    return SimpleNamespace(
        organization=organization,
        north=north,
        south=south,
        worker=make_user(organization),
        auditor=make_user(organization, role="auditor"),
        other_auditor=make_user(organization, role="auditor"),
        officer=make_user(organization, role="officer"),
        south_officer=make_user(organization, role="officer", sites=[south]),
        template=make_template(organization),
    )


def now_iso(delta_seconds: float = 0) -> str:
    return (datetime.now(UTC) + timedelta(seconds=delta_seconds)).isoformat()


class Phone:
    """The API as one signed-in auditor's phone uses it."""

    def __init__(self, client, auth, user):
        self.client = client
        assert auth.login(user.email).status_code == 200

    def start(self, template, site, audit_id=None) -> dict:
        body = {"id": str(audit_id or uuid.uuid4()), "template_id": str(template.id)}
        response = self.client.post("/api/audits", json=body | {"site_id": site.id})
        assert response.status_code in (200, 201), response.json
        return response.json

    def answer(self, audit: dict, ref: str, result: str, **fields) -> dict:
        """One answer item as the phone sends it."""
        return {
            "id": str(uuid.uuid4()),
            "audit_id": audit["id"],
            "question_id": question(audit, ref)["id"],
            "result": result,
            "notes": fields.pop("notes", None),
            "photos": fields.pop("photos", []),
            "answered_at": fields.pop("answered_at", now_iso()),
            **fields,
        }

    def sync(self, *items) -> list[dict]:
        response = self.client.post("/api/sync", json={"responses": list(items)})
        assert response.status_code == 200, response.json
        return response.json["responses"]

    def answer_all(self, audit: dict, results: dict[str, str], default="conforming") -> list:
        items = []
        for section in audit["template"]["sections"]:
            for q in section["questions"]:
                result = results.get(q["ref"], default)
                notes = "Seen on the floor" if result in ("minor_nc", "major_nc") else None
                items.append(self.answer(audit, q["ref"], result, notes=notes))
        return self.sync(*items)

    def submit(self, audit: dict, signed_at: str | None = None):
        return self.client.post(
            f"/api/audits/{audit['id']}/submit", json={"signed_at": signed_at or now_iso()}
        )

    def get(self, audit: dict) -> dict:
        response = self.client.get(f"/api/audits/{audit['id']}")
        assert response.status_code == 200, response.json
        return response.json


def question(audit: dict, ref: str) -> dict:
    return next(q for s in audit["template"]["sections"] for q in s["questions"] if q["ref"] == ref)


@pytest.fixture
def phone(client, auth):
    """phone(user): the API as that person's phone, signed in."""
    return lambda user: Phone(client, auth, user)
