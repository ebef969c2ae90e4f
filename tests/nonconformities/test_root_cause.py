"""The root cause: 5 Whys in the NC, or a link to the report's own Ishikawa analysis."""

import pytest

from server.auth.access import actor_for
from server.auth.models import Membership
from server.extensions import db
from server.ishikawa.jobs import build_analysis
from server.ishikawa.services import request_analysis
from tests.factories import make_stored_report
from tests.nonconformities.conftest import FIVE_WHYS

ISHIKAWA = {"method": "ishikawa", "statement": "Nobody owns the press maintenance plan."}


def analysed_report(plant):
    """The plant's report with its Ishikawa analysis built, as the worker's job does."""
    membership = db.session.scalar(
        db.select(Membership).where(Membership.user_id == plant.officer.id)
    )
    request_analysis(actor_for(membership), plant.report.id)
    build_analysis(plant.report.pk)
    return plant.report


def raise_nc(desk, plant) -> dict:
    desk.as_(plant.officer)
    url = f"/api/reports/{plant.report.id}/nonconformity"
    return desk.post(url, {"severity": "major"}).json


def test_an_ishikawa_root_cause_links_the_reports_analysis(desk, plant):
    analysed_report(plant)
    nc = raise_nc(desk, plant)
    view = desk.root_cause(nc, ISHIKAWA)
    assert view["status"] == "analysed"
    cause = view["root_cause"]
    assert (cause["method"], cause["analysis_report_id"]) == ("ishikawa", str(plant.report.id))
    link = cause["analysis"]
    assert (link["report_id"], link["status"]) == (str(plant.report.id), "ready")
    assert link["effect"]
    assert link["url"] == f"/api/reports/{plant.report.id}/analysis"
    assert desk.get(link["diagram_url"]).status_code == 200


def test_an_ishikawa_root_cause_needs_an_analysis(desk, plant):
    nc = raise_nc(desk, plant)
    response = desk.patch(f"/api/nonconformities/{nc['id']}", {"root_cause": ISHIKAWA})
    assert response.status_code == 422
    assert "analysis_report_id" in response.json["errors"]["root_cause"]
    assert desk.nc(nc)["status"] == "open"


def test_an_nc_without_a_report_names_the_analysis_it_uses(desk, plant):
    analysed_report(plant)
    desk.as_(plant.officer)
    nc = desk.new_nc(plant.north)
    unnamed = desk.patch(f"/api/nonconformities/{nc['id']}", {"root_cause": ISHIKAWA})
    assert unnamed.status_code == 422
    named = {**ISHIKAWA, "analysis_report_id": str(plant.report.id)}
    assert desk.root_cause(nc, named)["root_cause"]["analysis"]["status"] == "ready"


def test_an_analysis_of_a_report_i_may_not_see_is_not_linked(desk, plant):
    south_report = make_stored_report(plant.south, plant.south_worker)
    desk.as_(plant.north_officer)
    nc = desk.new_nc(plant.north)
    response = desk.patch(
        f"/api/nonconformities/{nc['id']}",
        {"root_cause": {**ISHIKAWA, "analysis_report_id": str(south_report.id)}},
    )
    assert response.status_code == 422


@pytest.mark.parametrize(
    "cause",
    [
        {**FIVE_WHYS, "whys": []},
        {**FIVE_WHYS, "method": "fishbone"},
        {**FIVE_WHYS, "statement": " "},
        {**FIVE_WHYS, "whys": ["ok", "\ud800"]},
        {**FIVE_WHYS, "whys": ["why"] * 11},
        {"method": "5whys", "whys": ["why"]},
    ],
)
def test_a_root_cause_is_checked_field_by_field(desk, plant, cause):
    desk.as_(plant.officer)
    nc = desk.new_nc(plant.north)
    response = desk.patch(f"/api/nonconformities/{nc['id']}", {"root_cause": cause})
    assert response.status_code == 422
    assert "root_cause" in response.json["errors"]
