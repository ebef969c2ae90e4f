"""Who may use the desk, and what each officer sees of it."""

import pytest

from tests.desk.conftest import make_report, triaged
from tests.factories import make_organization, make_site, make_user

DESK = ("/api/queue", "/api/overview")


def ids(response) -> set[str]:
    return {item["id"] for item in response.json["items"]}


@pytest.mark.parametrize("role", ["worker", "auditor"])
@pytest.mark.parametrize("url", DESK)
def test_workers_and_auditors_get_403(signed_in, plant, role, url):
    make_report(plant["north"], plant["worker"])
    response = signed_in(plant[role], url)
    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"


@pytest.mark.parametrize("url", DESK)
def test_nobody_signed_in_gets_401(client, url):
    assert client.get(url).status_code == 401


def test_an_officer_of_another_organization_sees_none_of_it(signed_in, plant):
    mine = triaged(make_report(plant["north"], severity=5, likelihood=5))
    make_report(plant["south"])
    elsewhere = make_organization()
    theirs = make_report(make_site(elsewhere))
    outsider = make_user(elsewhere, role="admin")

    assert ids(signed_in(outsider, "/api/queue")) == {str(theirs.id)}
    assert signed_in(outsider, "/api/queue", site_id=plant["north"].id).json["items"] == []
    overview = signed_in(outsider, "/api/overview").json
    assert overview["open_total"] == 1
    assert overview["overdue"]["total"] == 0
    assert {str(mine.id)} == ids(signed_in(plant["admin"], "/api/queue", risk_band="critical"))


def test_a_site_limited_officer_sees_only_their_sites(signed_in, plant):
    north = [make_report(plant["north"]) for _ in range(2)]
    make_report(plant["south"])
    response = signed_in(plant["north_officer"], "/api/queue")
    assert ids(response) == {str(r.id) for r in north}
    south_only = signed_in(plant["north_officer"], "/api/queue", site_id=plant["south"].id)
    assert south_only.json["items"] == []
    assert signed_in(plant["north_officer"], "/api/overview").json["open_total"] == 2
    assert len(signed_in(plant["officer"], "/api/queue").json["items"]) == 3
