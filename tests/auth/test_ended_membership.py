"""A person whose membership of an organization has ended is given none of its work: no report
is routed to them, no action or register entry may name them as owner, and no evidence bundle
they asked for is built."""

import pytest
from sqlalchemy import select

from server.auth.models import Membership
from server.exceptions import InvalidInput
from server.extensions import db
from server.nonconformities.actions import check_owner
from server.triage.routing import officers_covering
from tests.factories import make_organization, make_site, make_user


def _end(user) -> None:
    membership = db.session.scalar(select(Membership).where(Membership.user_id == user.id))
    membership.active = False
    db.session.commit()


def test_an_ended_membership_is_given_no_work(app):
    organization = make_organization()
    site = make_site(organization)
    staying, leaving = make_user(organization, "officer"), make_user(organization, "officer")
    assert {m.user_id for m in officers_covering(organization.id, site.id)} == {
        staying.id,
        leaving.id,
    }
    check_owner(organization.id, site.id, leaving.id, "the site")

    _end(leaving)
    assert [m.user_id for m in officers_covering(organization.id, site.id)] == [staying.id]
    with pytest.raises(InvalidInput):
        check_owner(organization.id, site.id, leaving.id, "the site")
    check_owner(organization.id, site.id, staying.id, "the site")


def test_a_register_entry_cannot_be_owned_by_someone_who_left(app, client, auth):
    organization = make_organization()
    site = make_site(organization)
    officer, leaving = make_user(organization, "officer"), make_user(organization, "worker")
    _end(leaving)
    auth.login(officer.email)
    body = {
        "id": "5b0f1d0e-8a4a-4f57-9a59-1a1d2f3c4b5a",
        "site_id": site.id,
        "kind": "risk",
        "activity": "Grinding",
        "hazard": "Sparks",
        "who": "Fitters",
        "severity": 3,
        "likelihood": 3,
        "controls": [],
        "residual_severity": 2,
        "residual_likelihood": 2,
        "owner_id": leaving.id,
        "review_on": "2027-06-01",
    }
    answer = client.post("/api/risks", json=body)
    assert answer.status_code == 422
    assert "owner_id" in answer.json["errors"]
