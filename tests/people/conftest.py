"""Fixtures for people tests: an organization's team, another's, and signing in as one of them."""

from types import SimpleNamespace

import pytest

from tests.factories import make_organization, make_site
from tests.people.helpers import make_member


@pytest.fixture
def team(app):
    organization = make_organization()
    north = make_site(organization, "NORTH", "North Plant")
    elsewhere = make_organization()
    return SimpleNamespace(
        organization=organization,
        north=north,
        worker=make_member(organization),
        other_worker=make_member(organization),
        auditor=make_member(organization, role="auditor"),
        officer=make_member(organization, role="officer"),
        north_officer=make_member(organization, role="officer", sites=[north]),
        admin=make_member(organization, role="admin"),
        elsewhere=elsewhere,
        stranger=make_member(elsewhere, role="auditor"),
        stranger_officer=make_member(elsewhere, role="officer"),
    )


@pytest.fixture
def as_(client, auth):
    """as_(user): the client, signed in as user."""

    def sign_in(user):
        assert auth.login(user.email).status_code == 200
        return client

    return sign_in
