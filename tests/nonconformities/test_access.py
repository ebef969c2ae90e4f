"""Who may do what: officers and admins manage NCs of their sites, owners their own actions,
a worker sees the status of the NC raised from their report; other organizations see nothing."""

import uuid

import pytest

from tests.factories import make_organization, make_site, make_user
from tests.nonconformities.conftest import FIVE_WHYS, action_body, nc_body


@pytest.fixture
def planned(desk, plant):
    """An NC raised from the worker's report, with its root cause and one worker's action."""
    desk.as_(plant.officer)
    nc = desk.post(f"/api/reports/{plant.report.id}/nonconformity", {"severity": "major"}).json
    desk.root_cause(nc)
    return nc, desk.plan(nc, plant.worker)


def officer_calls(nc: dict, plant) -> list[tuple[str, str, dict | None]]:
    """Every officer-only call, aimed at one NC."""
    url = f"/api/nonconformities/{nc['id']}"
    return [
        ("post", "/api/nonconformities", nc_body(plant.north)),
        ("post", f"/api/reports/{plant.report.id}/nonconformity", {"severity": "minor"}),
        ("get", "/api/nonconformities", None),
        ("get", url, None),
        ("get", f"{url}/events", None),
        ("patch", url, {"root_cause": FIVE_WHYS}),
        ("post", f"{url}/actions", action_body(plant.worker)),
        ("post", f"{url}/verification", {"effective": True, "notes": "Fine"}),
    ]


def call(desk, method: str, url: str, body):
    return desk.get(url) if method == "get" else getattr(desk, method)(url, body)


@pytest.mark.parametrize("role", ["worker", "auditor"])
def test_workers_and_auditors_may_not_make_the_officers_calls(desk, plant, planned, role):
    nc, _ = planned
    desk.as_(plant.worker if role == "worker" else plant.auditor)
    for method, url, body in officer_calls(nc, plant):
        response = call(desk, method, url, body)
        assert response.status_code == 403, (method, url)
        assert response.mimetype == "application/problem+json"


def test_another_organization_sees_nothing(desk, plant, planned):
    nc, action = planned
    elsewhere = make_organization()
    make_site(elsewhere)
    desk.as_(make_user(elsewhere, role="admin"))
    for method, url, body in officer_calls(nc, plant)[1:]:
        if url != "/api/nonconformities":
            assert call(desk, method, url, body).status_code == 404, (method, url)
    assert desk.get("/api/nonconformities").json["items"] == []
    assert desk.get("/api/actions").json["items"] == []
    assert desk.get(f"/api/actions/{action['id']}").status_code == 404
    assert desk.done(action).status_code == 404


def test_an_officer_of_another_site_sees_nothing_of_it(desk, plant):
    desk.as_(plant.officer)
    south_nc = desk.new_nc(plant.south)
    desk.as_(plant.north_officer)
    assert desk.get(f"/api/nonconformities/{south_nc['id']}").status_code == 404
    assert desk.get("/api/nonconformities").json["items"] == []
    mine = desk.new_nc(plant.north)
    assert [n["id"] for n in desk.get("/api/nonconformities").json["items"]] == [mine["id"]]


def test_an_admin_runs_the_whole_loop(desk, plant):
    desk.as_(plant.admin)
    nc = desk.new_nc(plant.south)
    desk.root_cause(nc)
    desk.done(desk.plan(nc, plant.admin))
    assert desk.verify(nc).json["status"] == "closed"


def test_a_worker_sees_the_status_of_the_nc_on_their_report_and_nothing_more(desk, plant, planned):
    nc, _ = planned
    seen = desk.as_(plant.worker).get(f"/api/reports/{plant.report.id}").json
    assert seen["nonconformity"] == {"id": nc["id"], "status": "actions", "severity": "major"}
    feed = desk.get("/api/sync", since=0).json["changes"]
    [entry] = [c for c in feed if c["type"] == "report"]
    assert entry["nonconformity"] == seen["nonconformity"]
    # The NC moves on: the worker's report moves forward in the feed with it.
    desk.as_(plant.officer).patch(
        f"/api/nonconformities/{nc['id']}", {"status": "cancelled", "cancel_reason": "Dup"}
    )
    later = desk.as_(plant.worker).get("/api/sync", since=0).json["changes"]
    [entry] = [c for c in later if c["type"] == "report"]
    assert entry["nonconformity"]["status"] == "cancelled"
    assert "root_cause" not in str(later) and nc["title"] not in str(entry)


def test_another_worker_sees_no_nc_on_a_report_not_theirs(desk, plant, planned):
    desk.as_(plant.other_worker)
    assert desk.get(f"/api/reports/{plant.report.id}").status_code == 404
    assert desk.get("/api/reports").json["items"] == []


def test_reports_without_an_nc_say_so(desk, plant):
    seen = desk.as_(plant.worker).get(f"/api/reports/{plant.report.id}").json
    assert seen["nonconformity"] is None


def test_unknown_ids_are_404(desk, plant):
    desk.as_(plant.officer)
    unknown = uuid.uuid4()
    assert desk.get(f"/api/nonconformities/{unknown}").status_code == 404
    assert desk.get(f"/api/actions/{unknown}").status_code == 404
    assert (
        desk.post(f"/api/reports/{unknown}/nonconformity", {"severity": "minor"}).status_code == 404
    )
