"""Objectives through the API: entered by the desk, computed from the records or from figures
entered by hand each month, met or not in either direction, and who may see and change them."""

import uuid
from datetime import date

import pytest

from server.events.services import events_of
from tests.reviews.conftest import (
    Q3,
    at,
    make_action,
    make_audit,
    make_report,
    make_template,
    objective_body,
)

QUARTER = {"from": Q3[0].isoformat(), "to": Q3[1].isoformat()}


def _by_title(objectives: list[dict]) -> dict:
    return {objective["title"]: objective for objective in objectives}


def test_an_injury_rate_from_injuries_and_hours_worked(desk, plant):
    desk.as_(plant.officer)
    rate = desk.new_objective(
        title="Injuries per 200,000 hours",
        measure="injury_rate",
        target=1.0,
        direction="at_most",
    )
    assert rate["unit"] == "per 200,000 h"
    assert rate["hand_entered"] is True
    for text in ("2026-07-03 10:00", "2026-08-03 10:00", "2026-09-03 10:00"):
        make_report(plant.north, "injury", at(text))
    make_report(plant.south, "injury", at("2026-05-03 10:00"))
    make_report(plant.south, "hazard", at("2026-08-03 10:00"))
    for month, hours in (("2026-07", 200_000), ("2026-08", 250_000), ("2026-09", 150_000)):
        response = desk.put(f"/api/objectives/{rate['id']}/figures/{month}", {"value": hours})
        assert response.status_code == 200, response.json
    for month in ("2026-04", "2026-05"):
        desk.put(f"/api/objectives/{rate['id']}/figures/{month}", {"value": 200_000})
    # Entering a month again replaces its figure.
    desk.put(f"/api/objectives/{rate['id']}/figures/2026-05", {"value": 300_000})

    [shown] = desk.objectives(**QUARTER)

    assert (shown["value"], shown["previous_value"], shown["met"]) == (1.0, 0.4, True)
    assert shown["figures"] == [
        {"month": "2026-04", "value": 200_000.0},
        {"month": "2026-05", "value": 300_000.0},
        {"month": "2026-07", "value": 200_000.0},
        {"month": "2026-08", "value": 250_000.0},
        {"month": "2026-09", "value": 150_000.0},
    ]
    assert shown["comparison"] == {"period_start": "2026-04-01", "period_end": "2026-06-30"}
    make_report(plant.north, "injury", at("2026-09-20 10:00"))
    [again] = desk.objectives(**QUARTER)
    assert (again["value"], again["met"]) == (1.33, False)


def test_no_hours_entered_is_no_value(desk, plant):
    desk.as_(plant.officer).new_objective(measure="injury_rate", target=1.0, direction="at_most")
    make_report(plant.north, "injury", at("2026-07-03 10:00"))
    [shown] = desk.objectives(**QUARTER)
    assert (shown["value"], shown["previous_value"], shown["met"]) == (None, None, None)


def test_actions_on_time_met_at_least_and_not_met_at_most(desk, plant):
    desk.as_(plant.officer)
    desk.new_objective(title="At least 70", target=70.0, direction="at_least")
    desk.new_objective(title="At least 80", target=80.0, direction="at_least")
    desk.new_objective(title="At most 70", target=70.0, direction="at_most")
    desk.new_objective(title="At most 80", target=80.0, direction="at_most")
    for due, done in ((date(2026, 7, 10), "2026-07-09 10:00"), (date(2026, 8, 10), None)):
        status = {"status": "done", "done_at": at(done)} if done else {}
        make_action(plant.north, due, **status)
    make_action(plant.south, date(2026, 9, 10), status="done", done_at=at("2026-09-01 10:00"))
    make_action(plant.south, date(2026, 9, 11), status="done", done_at=at("2026-09-02 10:00"))
    make_action(plant.south, date(2026, 5, 11), status="done", done_at=at("2026-05-20 10:00"))
    shown = _by_title(desk.objectives(**QUARTER))
    assert {title: o["value"] for title, o in shown.items()} == dict.fromkeys(shown, 75.0)
    assert shown["At least 70"]["previous_value"] == 0.0
    assert {title: o["met"] for title, o in shown.items()} == {
        "At least 70": True,
        "At least 80": False,
        "At most 70": False,
        "At most 80": True,
    }


def test_a_site_objective_counts_its_site_only(desk, plant):
    desk.as_(plant.officer)
    desk.new_objective(title="North", site_id=plant.north.id)
    desk.new_objective(title="South", site_id=plant.south.id)
    make_action(plant.north, date(2026, 7, 10), status="done", done_at=at("2026-07-09 10:00"))
    make_action(plant.south, date(2026, 7, 10))
    shown = _by_title(desk.objectives(**QUARTER))
    assert (shown["North"]["value"], shown["South"]["value"]) == (100.0, 0.0)
    assert shown["North"]["site"] == {"id": plant.north.id, "name": "North Plant"}
    only = desk.objectives(site_id=plant.south.id, **QUARTER)
    assert [o["title"] for o in only] == ["South"]


def test_sites_audited_every_quarter_and_reports_per_person(desk, plant):
    desk.as_(plant.officer)
    desk.new_objective(title="Audited", measure="sites_audited", target=100.0, direction="at_least")
    desk.new_objective(
        title="Reports", measure="reports_per_person", target=1.0, direction="at_least"
    )
    version = make_template(plant.organization)
    make_audit(plant.north, version, submitted_at=at("2026-08-01 10:00"), score=90.0)
    make_audit(plant.south, version, submitted_at=at("2026-04-01 10:00"), score=90.0)
    make_audit(plant.north, version, submitted_at=at("2026-05-01 10:00"), score=90.0)
    for _ in range(14):
        make_report(plant.north, "hazard", at("2026-07-20 10:00"))
    shown = _by_title(desk.objectives(**QUARTER))
    assert (shown["Audited"]["value"], shown["Audited"]["previous_value"]) == (50.0, 100.0)
    assert shown["Audited"]["met"] is False
    # 14 reports by 7 active people of the organization.
    assert (shown["Reports"]["value"], shown["Reports"]["met"]) == (2.0, True)
    year = desk.objectives(**{"from": "2026-01-01", "to": "2026-12-31"})
    # A year has four quarters: North was audited in two of them.
    assert _by_title(year)["Audited"]["value"] == 0.0


def test_a_manual_objective_is_the_mean_of_its_months(desk, plant):
    desk.as_(plant.officer)
    waste = desk.new_objective(
        title="Waste to landfill", measure="manual", target=12.0, direction="at_most", unit="t"
    )
    for month, value in (("2026-07", 10.0), ("2026-08", 14.5)):
        desk.put(f"/api/objectives/{waste['id']}/figures/{month}", {"value": value})
    [shown] = desk.objectives(**QUARTER)
    assert (shown["value"], shown["unit"], shown["met"]) == (12.25, "t", False)
    computed = desk.new_objective()
    refused = desk.put(f"/api/objectives/{computed['id']}/figures/2026-07", {"value": 1.0})
    assert refused.status_code == 409


def test_an_objective_is_idempotent_on_its_id_and_changes_what_may_change(desk, plant):
    desk.as_(plant.officer)
    body = objective_body()
    assert desk.post("/api/objectives", body).status_code == 201
    again = desk.post("/api/objectives", body)
    assert again.status_code == 200
    assert desk.post("/api/objectives", {**body, "target": 50.0}).status_code == 409
    changed = desk.patch(f"/api/objectives/{body['id']}", {"target": 95.0, "active": False})
    assert changed.status_code == 200
    assert (changed.json["target"], changed.json["active"]) == (95.0, False)
    assert desk.get(f"/api/objectives/{body['id']}").json["target"] == 95.0
    assert desk.patch(f"/api/objectives/{body['id']}", {}).status_code == 422
    logged = events_of(plant.organization.id, "objective", body["id"])
    assert [event.action for event in logged] == ["created", "changed"]
    assert logged[1].data == {"target": 95.0, "active": False}


def test_who_may_see_and_change_objectives(desk, plant):
    desk.as_(plant.officer)
    whole = desk.new_objective(title="Whole")
    north = desk.new_objective(title="North", site_id=plant.north.id)
    south = desk.new_objective(title="South", site_id=plant.south.id)

    desk.as_(plant.worker)
    assert desk.get("/api/objectives").status_code == 403
    assert desk.post("/api/objectives", {"title": "x"}).status_code == 403

    desk.as_(plant.north_officer)
    assert [o["title"] for o in desk.objectives()] == ["North"]
    assert desk.get(f"/api/objectives/{south['id']}").status_code == 404
    assert desk.get(f"/api/objectives/{whole['id']}").status_code == 404
    assert desk.patch(f"/api/objectives/{south['id']}", {"target": 1.0}).status_code == 404
    for site_id in (None, plant.south.id, plant.other_site.id):
        refused = desk.post("/api/objectives", objective_body(site_id=site_id))
        assert refused.status_code == 422, site_id
        assert "site_id" in refused.json["errors"]
    assert desk.patch(f"/api/objectives/{north['id']}", {"target": 1.0}).status_code == 200

    desk.as_(plant.other_officer)
    assert desk.objectives() == []
    assert desk.get(f"/api/objectives/{whole['id']}").status_code == 404
    put = desk.put(f"/api/objectives/{whole['id']}/figures/2026-07", {"value": 1.0})
    assert put.status_code == 404


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", "Guard\u0000rail"),
        ("title", "Half an emoji \ud83d"),
        ("title", "   "),
        ("measure", "happiness"),
        ("direction", "sideways"),
        ("target", "ninety"),
        ("target", 1e300),
        ("site_id", 2**63),
        ("site_id", 2**31),
        ("unit", "u" * 33),
        ("id", "not-a-uuid"),
    ],
)
def test_bad_objective_input_names_its_field(desk, plant, field, value):
    desk.as_(plant.officer)
    response = desk.post("/api/objectives", objective_body(**{field: value}))
    assert response.status_code == 422, response.json
    assert field in response.json["errors"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "0001-01-01", "to": "2026-09-30"}, "from"),
        ({"from": "2026-07-01"}, "to"),
        ({"from": "2026-07-01", "to": "2026-06-01"}, "to"),
        ({"from": "2020-01-01", "to": "2026-06-01"}, "to"),
        ({"site_id": str(2**63)}, "site_id"),
    ],
)
def test_bad_objective_queries_name_their_field(desk, plant, params, field):
    desk.as_(plant.officer)
    response = desk.get("/api/objectives", **params)
    assert response.status_code == 422, response.json
    assert field in response.json["errors"]


@pytest.mark.parametrize(
    ("month", "body", "field"),
    [
        ("2026-13", {"value": 1.0}, "month"),
        ("0001-01", {"value": 1.0}, "month"),
        ("July", {"value": 1.0}, "month"),
        ("2026-07", {"value": "a lot"}, "value"),
        ("2026-07", {"value": -5.0}, "value"),
        ("2026-07", {}, "value"),
    ],
)
def test_bad_figures_name_their_field(desk, plant, month, body, field):
    desk.as_(plant.officer)
    rate = desk.new_objective(measure="injury_rate", target=1.0, direction="at_most")
    response = desk.put(f"/api/objectives/{rate['id']}/figures/{month}", body)
    assert response.status_code == 422, response.json
    assert field in response.json["errors"]


def test_an_unknown_objective_is_404(desk, plant):
    desk.as_(plant.officer)
    assert desk.get(f"/api/objectives/{uuid.uuid4()}").status_code == 404


def test_the_period_defaults_to_this_quarter(desk, plant):
    desk.as_(plant.officer).new_objective()
    [shown] = desk.objectives()
    start = date.fromisoformat(shown["period"]["period_start"])
    end = date.fromisoformat(shown["period"]["period_end"])
    today = date.today()
    assert start <= today <= end
    assert (start.month - 1) % 3 == 0 and start.day == 1
