"""Fixtures for nonconformity tests: a plant with two sites and people of every role, and
helpers that drive an NC through the API as the desk and the phone do."""

import uuid
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from tests.api_person import ApiPerson
from tests.factories import make_organization, make_site, make_stored_report, make_user

FIVE_WHYS = {
    "method": "5whys",
    "whys": ["The floor was wet", "The press leaks oil", "The seal wore out"],
    "statement": "No preventive maintenance plan for the press seals.",
}


@pytest.fixture
def app(make_app):
    """The app with the effectiveness check allowed at once (most tests do not wait 30 days)."""
    app = make_app(VERIFY_WAIT_DAYS=0)
    with app.app_context():
        yield app


@pytest.fixture
def plant(app):
    """An organization with two sites, a worker's report at North, and people of every role."""
    organization = make_organization()
    north = make_site(organization, "NORTH", "North Plant")
    south = make_site(organization, "SOUTH", "South Yard")
    worker = make_user(organization)
    plant = SimpleNamespace(
        organization=organization,
        north=north,
        south=south,
        worker=worker,
        other_worker=make_user(organization),
        auditor=make_user(organization, role="auditor"),
        officer=make_user(organization, role="officer"),
        north_officer=make_user(organization, role="officer", sites=[north]),
        south_worker=make_user(organization, sites=[south]),
        admin=make_user(organization, role="admin"),
        report=make_stored_report(north, worker, "Oil leak under press 4, floor slippery"),
    )
    return plant


@pytest.fixture
def desk(client, auth):
    """Drive the API as a given person: desk.as_(user) signs in, then call get/post/patch."""
    return Desk(client, auth)


class Desk(ApiPerson):
    """The API as one signed-in person uses it, with helpers for the usual steps."""

    def new_nc(self, site, **fields) -> dict:
        """POST an NC (201) and return it."""
        response = self.post("/api/nonconformities", nc_body(site, **fields))
        assert response.status_code == 201, response.json
        return response.json

    def root_cause(self, nc: dict, cause: dict = FIVE_WHYS) -> dict:
        response = self.patch(f"/api/nonconformities/{nc['id']}", {"root_cause": cause})
        assert response.status_code == 200, response.json
        return response.json

    def plan(self, nc: dict, owner, **fields) -> dict:
        """POST an action (201) and return it."""
        response = self.post(
            f"/api/nonconformities/{nc['id']}/actions", action_body(owner, **fields)
        )
        assert response.status_code == 201, response.json
        return response.json

    def done(self, action: dict, notes: str = "Seal replaced, floor cleaned", **fields):
        return self.patch(
            f"/api/actions/{action['id']}", {"status": "done", "notes": notes, **fields}
        )

    def nc(self, nc: dict) -> dict:
        response = self.get(f"/api/nonconformities/{nc['id']}")
        assert response.status_code == 200, response.json
        return response.json

    def verify(self, nc: dict, effective: bool = True, notes: str = "No leak for 30 days"):
        return self.post(
            f"/api/nonconformities/{nc['id']}/verification",
            {"effective": effective, "notes": notes},
        )


def nc_body(site, **fields) -> dict:
    """A valid POST /api/nonconformities body."""
    return {
        "id": str(uuid.uuid4()),
        "site_id": site.id,
        "title": "Oil on the floor by press 4",
        "description": "Oil leaking from the press 4 seal made the walkway slippery.",
        "severity": "minor",
        "source": "incident",
        **fields,
    }


def action_body(owner, **fields) -> dict:
    """A valid POST .../actions body: a corrective engineering action due in a week."""
    return {
        "id": str(uuid.uuid4()),
        "title": "Fit a drip tray and a new seal",
        "kind": "corrective",
        "control": "engineering",
        "owner_id": owner.id,
        "due_on": (datetime.now(UTC).date() + timedelta(days=7)).isoformat(),
        **fields,
    }


def days_ago(days: int) -> datetime:
    return datetime.now(UTC) - timedelta(days=days)
