"""Fixtures for document tests: an organization with two sites and people of every role, a
second organization beside it, and the API helper."""

from types import SimpleNamespace

import pytest

from server.extensions import db
from tests.documents.helpers import Desk, make_person
from tests.factories import make_organization, make_site


@pytest.fixture
def plant(app):
    """An organization (North and South sites), its people, and another organization."""
    organization = make_organization()
    north = make_site(organization, "NORTH", "North Plant")
    south = make_site(organization, "SOUTH", "South Yard")
    other = make_organization()
    other_site = make_site(other, "ELSE", "Elsewhere Works")
    db.session.commit()
    return SimpleNamespace(
        organization=organization,
        north=north,
        south=south,
        officer=make_person(organization, "officer", name="Olive Officer"),
        approver=make_person(organization, "officer", name="Abel Approver"),
        admin=make_person(organization, "admin", name="Ada Admin"),
        worker=make_person(organization, "worker", name="Wendy Worker"),
        north_worker=make_person(organization, "worker", sites=[north], name="Nora North"),
        south_worker=make_person(organization, "worker", sites=[south], name="Sam South"),
        auditor=make_person(organization, "auditor", name="Audrey Auditor"),
        other=other,
        other_site=other_site,
        other_officer=make_person(other, "officer", name="Otto Other"),
        other_worker=make_person(other, "worker", name="Oona Other"),
    )


@pytest.fixture
def desk(client, auth):
    """desk.as_(user) signs in; then the helpers call the API as that person."""
    return Desk(client, auth)
