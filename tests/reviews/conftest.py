"""Fixtures for management reviews and objectives: a plant with two sites in different time
zones and people of every role, a second organization beside it, records inserted at chosen
moments (so that every count can be checked by hand), and an API helper for the desk."""

import itertools
import uuid
from datetime import UTC, date, datetime, timedelta
from functools import cache
from types import SimpleNamespace

import pytest
from werkzeug.security import generate_password_hash

from server.audits.models import Audit, AuditResponse, AuditTemplate, AuditTemplateVersion
from server.auth.models import Membership, User
from server.extensions import db
from server.nonconformities.models import Action, Nonconformity
from server.reports.models import Report
from server.risks.models import Risk, RiskReview
from tests.api_person import ApiPerson
from tests.factories import PASSWORD, PASSWORD_HASH_METHOD, make_organization, make_site

# The quarter most tests review, and the one before it (the comparison).
Q3 = (date(2026, 7, 1), date(2026, 9, 30))
Q2 = (date(2026, 4, 1), date(2026, 6, 30))
_numbers = itertools.count(1)


def at(text: str) -> datetime:
    """A UTC moment from 'YYYY-MM-DD HH:MM'."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.fixture
def app(make_app):
    """The app with the effectiveness check allowed at once."""
    app = make_app(VERIFY_WAIT_DAYS=0)
    with app.app_context():
        yield app


@cache
def _password_hash() -> str:
    return generate_password_hash(PASSWORD, method=PASSWORD_HASH_METHOD)


def make_person(organization, role: str = "worker", sites=(), name: str | None = None) -> User:
    """A member who signs in with tests.factories.PASSWORD (the hash made once)."""
    number = next(_numbers)
    user = User(
        email=f"person{number}@reviews.example.test",
        name=name or f"Person {number}",
        password_hash=_password_hash(),
    )
    db.session.add(Membership(user=user, organization=organization, role=role, sites=list(sites)))
    db.session.commit()
    return user


@pytest.fixture
def plant(app):
    """North (Europe/London, an hour ahead of UTC in summer) and South (UTC), people of every
    role, and another organization with a site and an officer."""
    organization = make_organization()
    north = make_site(organization, "NORTH", "North Plant")
    south = make_site(organization, "SOUTH", "South Yard")
    north.time_zone, south.time_zone = "Europe/London", "UTC"
    other = make_organization()
    other_site = make_site(other, "ELSE", "Elsewhere Works")
    db.session.commit()
    return SimpleNamespace(
        organization=organization,
        north=north,
        south=south,
        worker=make_person(organization, name="Wendy Worker"),
        north_worker=make_person(organization, sites=[north], name="Nora North"),
        auditor=make_person(organization, "auditor"),
        officer=make_person(organization, "officer", name="Olive Officer"),
        north_officer=make_person(organization, "officer", sites=[north]),
        south_officer=make_person(organization, "officer", sites=[south]),
        admin=make_person(organization, "admin"),
        other=other,
        other_site=other_site,
        other_officer=make_person(other, "officer"),
        other_worker=make_person(other),
    )


# Records at chosen moments


def make_report(site, kind: str = "hazard", observed_at: datetime | None = None, **fields):
    """A report of site observed at a moment (received then too), committed."""
    moment = observed_at or datetime.now(UTC)
    report = Report(
        id=uuid.uuid4(),
        organization_id=site.organization_id,
        site_id=site.id,
        kind=kind,
        description=fields.pop("description", f"Observation {next(_numbers)}"),
        observed_at=moment,
        received_at=moment,
        changed_at=moment,
        status=fields.pop("status", "received"),
        content_hash=uuid.uuid4().hex * 2,
        **fields,
    )
    db.session.add(report)
    db.session.commit()
    return report


def make_nc(site, created_at: datetime, **fields) -> Nonconformity:
    """An NC of site raised at a moment (minor, from a report, open unless told), committed."""
    nc = Nonconformity(
        id=uuid.uuid4(),
        organization_id=site.organization_id,
        site_id=site.id,
        title=fields.pop("title", f"Guard missing on press {next(_numbers)}"),
        description="The press ran without its guard.",
        severity=fields.pop("severity", "minor"),
        source=fields.pop("source", "report"),
        status=fields.pop("status", "open"),
        created_at=created_at,
        changed_at=created_at,
        content_hash=uuid.uuid4().hex * 2,
        **fields,
    )
    db.session.add(nc)
    db.session.commit()
    return nc


def make_action(site, due_on: date, owner=None, nc=None, **fields) -> Action:
    """An action of site due on a day (of a new NC unless nc or review_pk is given)."""
    if nc is None and "review_pk" not in fields:
        nc = make_nc(site, at("2026-01-05 09:00"), status="actions")
    created = fields.pop("created_at", at("2026-01-05 10:00"))
    action = Action(
        id=uuid.uuid4(),
        organization_id=site.organization_id,
        site_id=site.id,
        nonconformity_pk=nc.pk if nc is not None else None,
        title=fields.pop("title", f"Fit an interlocked guard {next(_numbers)}"),
        kind=fields.pop("kind", "corrective"),
        control=fields.pop("control", "engineering"),
        owner_id=owner.id if owner else None,
        due_on=due_on,
        status=fields.pop("status", "open"),
        created_at=created,
        changed_at=created,
        content_hash=uuid.uuid4().hex * 2,
        **fields,
    )
    db.session.add(action)
    db.session.commit()
    return action


def make_template(organization, name: str = "Plant audit", created_at: datetime | None = None):
    """A template with one version of two sections (clauses 7.2 and 8.1.2), committed."""
    moment = created_at or at("2026-01-02 08:00")
    template = AuditTemplate(
        id=uuid.uuid4(), organization_id=organization.id, name=name, standard="other"
    )
    db.session.add(template)
    db.session.flush()
    sections = [
        {"ref": clause, "title": clause, "questions": [{"id": str(uuid.uuid4()), "ref": clause}]}
        for clause in ("7.2", "8.1.2")
    ]
    version = AuditTemplateVersion(
        template_pk=template.pk,
        version=1,
        name=name,
        standard="other",
        sections=sections,
        question_count=2,
        created_at=moment,
    )
    db.session.add(version)
    db.session.commit()
    return version


def make_audit(site, version, status: str = "submitted", **fields) -> Audit:
    """An audit of site on a template version (signed off at submitted_at when submitted)."""
    audit = Audit(
        id=uuid.uuid4(),
        organization_id=site.organization_id,
        site_id=site.id,
        template_version_pk=version.pk,
        status=status,
        **fields,
    )
    db.session.add(audit)
    db.session.commit()
    return audit


def answer(audit, clause: str, result: str, answered_at: datetime, question_id=None):
    """One answer of an audit to a question of clause (a new question unless given)."""
    response = AuditResponse(
        id=uuid.uuid4(),
        organization_id=audit.organization_id,
        audit_pk=audit.pk,
        question_id=question_id or uuid.uuid4(),
        clause=clause,
        result=result,
        notes="Seen on the floor",
        answered_at=answered_at,
        content_hash=uuid.uuid4().hex * 2,
    )
    db.session.add(response)
    db.session.commit()
    return response


def make_risk(site, number: int, created_at: datetime, **fields) -> Risk:
    """A register entry (a risk, residual 2 x 2 low, active) with its first rating."""
    values = {
        "kind": "risk",
        "activity": f"Activity {number}",
        "hazard": f"Hazard {number}",
        "who": "Operators",
        "severity": 4,
        "likelihood": 3,
        "controls": [{"text": "Guard", "control": "engineering"}],
        "residual_severity": 2,
        "residual_likelihood": 2,
        "review_on": date(2027, 6, 1),
        "status": "active",
        **fields,
    }
    risk = Risk(
        id=uuid.uuid4(),
        organization_id=site.organization_id,
        site_id=site.id,
        number=number,
        created_at=created_at,
        changed_at=created_at,
        content_hash=uuid.uuid4().hex * 2,
        **values,
    )
    db.session.add(risk)
    db.session.flush()
    rate(risk, created_at, risk.residual_severity, risk.residual_likelihood)
    return risk


def rate(risk, reviewed_at: datetime, residual_severity: int, residual_likelihood: int):
    """A review of an entry with new residual ratings, committed."""
    risk.residual_severity, risk.residual_likelihood = residual_severity, residual_likelihood
    db.session.add(
        RiskReview(
            risk_pk=risk.pk,
            severity=risk.severity,
            likelihood=risk.likelihood,
            controls=risk.controls,
            residual_severity=residual_severity,
            residual_likelihood=residual_likelihood,
            review_on=risk.review_on,
            reviewed_at=reviewed_at,
        )
    )
    db.session.commit()


# The API


@pytest.fixture
def desk(client, auth):
    """Drive the API as a given person: desk.as_(user) signs in, then call the helpers."""
    return Desk(client, auth)


def review_body(**fields) -> dict:
    """A valid POST /api/reviews body: the whole organization's 2026 Q3."""
    return {
        "id": str(uuid.uuid4()),
        "period_start": Q3[0].isoformat(),
        "period_end": Q3[1].isoformat(),
        **fields,
    }


def objective_body(**fields) -> dict:
    """A valid POST /api/objectives body: 90% of actions on time, the whole organization."""
    return {
        "id": str(uuid.uuid4()),
        "title": "Actions closed on time",
        "measure": "actions_on_time",
        "target": 90.0,
        "direction": "at_least",
        **fields,
    }


def action_body(owner, site, **fields) -> dict:
    """A valid POST /api/reviews/{id}/actions body, due in a month."""
    return {
        "id": str(uuid.uuid4()),
        "title": "Fund a second forklift route in hall 2",
        "owner_id": owner.id,
        "site_id": site.id,
        "due_on": (date.today() + timedelta(days=30)).isoformat(),
        **fields,
    }


class Desk(ApiPerson):
    """The reviews API as one signed-in person uses it."""

    def new_review(self, **fields) -> dict:
        response = self.post("/api/reviews", review_body(**fields))
        assert response.status_code == 201, response.json
        return response.json

    def review(self, review_id) -> dict:
        response = self.get(f"/api/reviews/{review_id}")
        assert response.status_code == 200, response.json
        return response.json

    def outputs(self, review_id, **fields) -> dict:
        response = self.patch(f"/api/reviews/{review_id}", fields)
        assert response.status_code == 200, response.json
        return response.json

    def decide(self, review_id, owner, site, **fields) -> dict:
        response = self.post(
            f"/api/reviews/{review_id}/actions", action_body(owner, site, **fields)
        )
        assert response.status_code == 201, response.json
        return response.json

    def hold(self, review_id, held_on: str = "2026-10-08"):
        return self.post(f"/api/reviews/{review_id}/hold", {"held_on": held_on})

    def new_objective(self, **fields) -> dict:
        response = self.post("/api/objectives", objective_body(**fields))
        assert response.status_code == 201, response.json
        return response.json

    def objectives(self, **params) -> list[dict]:
        response = self.get("/api/objectives", **params)
        assert response.status_code == 200, response.json
        return response.json
