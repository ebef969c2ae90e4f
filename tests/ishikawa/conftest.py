"""Fixtures for analysis tests: a plant with a worker's report, an officer, and URL helpers."""

from types import SimpleNamespace

import pytest

from tests.factories import make_organization, make_site, make_stored_report, make_user

DESCRIPTION = (
    "New starter not trained on the press. Guard removed and oil under the pump; "
    "poor lighting in bay 3."
)


@pytest.fixture
def plant(app):
    """An organization with two sites, a worker's report at North Plant, and an officer."""
    organization = make_organization()
    north = make_site(organization, "NORTH", "North Plant")
    south = make_site(organization, "SOUTH", "South Yard")
    worker = make_user(organization)
    officer = make_user(organization, role="officer")
    report = make_stored_report(north, worker, DESCRIPTION)
    return SimpleNamespace(
        organization=organization,
        north=north,
        south=south,
        worker=worker,
        officer=officer,
        report=report,
    )


@pytest.fixture
def officer(auth, plant):
    """The plant's officer, signed in."""
    auth.login(plant.officer.email)
    return plant.officer
