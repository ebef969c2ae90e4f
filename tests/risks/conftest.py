"""Fixtures for register tests: a plant with two sites and people of every role, a factory that
enters a risk straight into the database, and an API helper that drives the register as the desk
and the phone do."""

import itertools
import uuid
from datetime import UTC, date, datetime, timedelta
from functools import cache
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from server.auth.models import Membership, User
from server.extensions import db
from server.records.identity import fingerprint
from server.risks.models import Risk, RiskReview
from tests.api_person import ApiPerson
from tests.factories import (
    PASSWORD,
    PASSWORD_HASH_METHOD,
    make_organization,
    make_site,
    make_stored_report,
)

CONTROLS = [
    {"text": "Guard rail along the loading edge", "control": "engineering"},
    {"text": "Banksman for every reversing lorry", "control": "administrative"},
]


@pytest.fixture
def plant(app):
    """An organization with two sites (North in Europe/London, South in Pacific/Auckland),
    people of every role, a worker's report at North, and a second organization beside it."""
    organization = make_organization()
    north = make_site(organization, "NORTH", "North Plant")
    south = make_site(organization, "SOUTH", "South Yard")
    north.time_zone, south.time_zone = "Europe/London", "Pacific/Auckland"
    db.session.commit()
    other = make_organization()
    other_site = make_site(other, "ELSE", "Elsewhere Works")
    worker = make_person(organization)
    return SimpleNamespace(
        organization=organization,
        north=north,
        south=south,
        worker=worker,
        north_worker=make_person(organization, sites=[north]),
        south_worker=make_person(organization, sites=[south]),
        auditor=make_person(organization, "auditor"),
        officer=make_person(organization, "officer"),
        north_officer=make_person(organization, "officer", sites=[north]),
        south_officer=make_person(organization, "officer", sites=[south]),
        admin=make_person(organization, "admin"),
        report=make_stored_report(north, worker, "Lorry reversed close to the loading edge"),
        other=other,
        other_site=other_site,
        other_officer=make_person(other, "officer"),
    )


_people = itertools.count(1)


@cache
def _password_hash() -> str:
    """PASSWORD's hash, made once: scrypt per person would make every test slow."""
    return generate_password_hash(PASSWORD, method=PASSWORD_HASH_METHOD)


def make_person(organization, role: str = "worker", sites=(), name: str | None = None) -> User:
    """A member who signs in with tests.factories.PASSWORD, like make_user but quicker."""
    number = next(_people)
    user = User(
        email=f"person{number}@risks.example.test",
        name=name or f"Person {number}",
        password_hash=_password_hash(),
    )
    db.session.add(Membership(user=user, organization=organization, role=role, sites=list(sites)))
    db.session.commit()
    return user


def make_risk(site, owner, **fields) -> Risk:
    """Enter a risk straight into the database (numbered next, with its first history row),
    committed. fields override the entry's columns; commit=False leaves it flushed only."""
    commit = fields.pop("commit", True)
    number = fields.pop("number", None) or _next_number(site.organization_id)
    values = {
        "kind": "risk",
        "activity": "Loading lorries at bay 3",
        "hazard": "Falling from the loading edge",
        "who": "Drivers and loaders",
        "category": None,
        "severity": 4,
        "likelihood": 3,
        "controls": list(CONTROLS),
        "residual_severity": 4,
        "residual_likelihood": 1,
        "review_on": date.today() + timedelta(days=90),
        "status": "active",
        **fields,
    }
    now = datetime.now(UTC)
    risk = Risk(
        id=values.pop("id", None) or uuid.uuid4(),
        organization_id=site.organization_id,
        site_id=site.id,
        number=number,
        owner_id=owner.id if owner is not None else None,
        created_by_id=owner.id if owner is not None else None,
        created_at=now,
        changed_at=now,
        content_hash=fingerprint({"number": number, "site": site.id, "made": now}),
        **values,
    )
    db.session.add(risk)
    db.session.flush()
    db.session.add(
        RiskReview(
            risk_pk=risk.pk,
            reviewed_by_id=risk.owner_id,
            reviewed_at=now,
            **{name: getattr(risk, name) for name in _RATED},
        )
    )
    if commit:
        db.session.commit()
    else:
        db.session.flush()
    return risk


_RATED = (
    "severity",
    "likelihood",
    "controls",
    "residual_severity",
    "residual_likelihood",
    "review_on",
)


def _next_number(organization_id: int) -> int:
    found = db.session.scalar(
        select(func.max(Risk.number)).where(Risk.organization_id == organization_id)
    )
    return (found or 0) + 1


def risk_body(site, owner, **fields) -> dict:
    """A valid POST /api/risks body: a medium inherent risk brought low by an engineering
    control, reviewed in 90 days."""
    return {
        "id": str(uuid.uuid4()),
        "site_id": site.id,
        "kind": "risk",
        "activity": "Loading lorries at bay 3",
        "hazard": "Falling from the loading edge",
        "who": "Drivers and loaders",
        "severity": 4,
        "likelihood": 3,
        "controls": list(CONTROLS),
        "residual_severity": 4,
        "residual_likelihood": 1,
        "owner_id": owner.id,
        "review_on": (date.today() + timedelta(days=90)).isoformat(),
        **fields,
    }


def review_body(**fields) -> dict:
    """A valid PATCH /api/risks/{id} body (a review)."""
    return {
        "severity": 4,
        "likelihood": 3,
        "controls": list(CONTROLS),
        "residual_severity": 3,
        "residual_likelihood": 1,
        "review_on": (date.today() + timedelta(days=180)).isoformat(),
        "notes": "Checked on the floor with the shift lead.",
        **fields,
    }


@pytest.fixture
def register(client, auth):
    """Drive the API as a given person: register.as_(user) signs in, then call the helpers."""
    return Register(client, auth)


class Register(ApiPerson):
    """The register's API as one signed-in person uses it."""

    def new_risk(self, site, owner, **fields) -> dict:
        """POST an entry (201) and return it."""
        response = self.post("/api/risks", risk_body(site, owner, **fields))
        assert response.status_code == 201, response.json
        return response.json

    def risk(self, risk_id) -> dict:
        """GET one entry (200) with its history and links."""
        response = self.get(f"/api/risks/{risk_id}")
        assert response.status_code == 200, response.json
        return response.json

    def review(self, risk_id, **fields) -> dict:
        """PATCH a review (200) and return the entry."""
        response = self.patch(f"/api/risks/{risk_id}", review_body(**fields))
        assert response.status_code == 200, response.json
        return response.json

    def items(self, **params) -> list[dict]:
        """GET /api/risks (200): the items of the first page."""
        response = self.get("/api/risks", **params)
        assert response.status_code == 200, response.json
        return response.json["items"]
