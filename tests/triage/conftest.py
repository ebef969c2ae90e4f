"""Fixtures for triage: a plant with sites, a worker and officers; sending and triaging reports."""

import pytest

from tests.factories import make_organization, make_site, make_user, report_item
from tests.triage.helpers import MEASURES


@pytest.fixture
def plant(app):
    """An organization with two sites, a worker, an officer of each site, and an admin."""
    organization = make_organization()
    north, south = make_site(organization, "NORTH"), make_site(organization, "SOUTH")
    return {
        "organization": organization,
        "north": north,
        "south": south,
        "worker": make_user(organization),
        "north_officer": make_user(organization, role="officer", sites=[north]),
        "south_officer": make_user(organization, role="officer", sites=[south]),
        "admin": make_user(organization, role="admin"),
    }


@pytest.fixture
def send(client, auth):
    """Sign in as user and sync one report item; returns the item (its "id" is the report's)."""

    def post(user, site, **fields) -> dict:
        auth.login(user.email)
        item = report_item(site.id, **fields)
        response = client.post("/api/sync", json={"reports": [item]})
        assert response.json["results"][0]["status"] in ("created", "missing_photos")
        return item

    return post


@pytest.fixture(autouse=True)
def _report_measures(request):
    """Hand the figures a test measured to its report, so that parallel runs show them too."""
    before = dict(MEASURES)
    yield
    for name, text in MEASURES.items():
        if before.get(name) != text:
            request.node.user_properties.append(("triage_measure", (name, text)))
