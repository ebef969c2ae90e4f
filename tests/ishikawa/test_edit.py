"""PATCH /api/reports/{id}/analysis: an officer's edits, versioned, validated and logged."""

import pytest
from sqlalchemy import func, select, update

from server.events.models import Event
from server.extensions import db
from server.ishikawa import services
from server.ishikawa.edits import MAX_WHYS
from server.ishikawa.jobs import build_analysis
from server.ishikawa.models import Analysis, AnalysisRevision
from tests.ishikawa.helpers import analysis_url, category_of, causes_by_id, edit


@pytest.fixture
def built(client, plant, officer) -> dict:
    """The plant's report analysed, as the officer's screen reads it."""
    client.post(analysis_url(plant.report))
    build_analysis(plant.report.pk)
    return client.get(analysis_url(plant.report)).json


def test_add_move_edit_and_remove_causes(client, plant, built):
    response = edit(
        client,
        plant.report,
        built["version"],
        {"op": "add_cause", "category": "Methods", "text": "  Lockout   not  applied "},
        {"op": "move_cause", "id": "report-oil", "category": "Machines"},
        {"op": "edit_cause", "id": "report-pump", "text": "Pump seal leaking for weeks"},
        {"op": "remove_cause", "id": "report-lighting"},
    )
    assert response.status_code == 200
    analysis = response.json
    assert analysis["version"] == built["version"] + 1
    causes = causes_by_id(analysis)
    added = [c for c in causes.values() if c["source"] == "officer"]
    assert [(c["category"], c["text"], c["count"]) for c in added] == [
        ("Methods", "Lockout not applied", 1)
    ]
    assert category_of(analysis, "report-oil") == "Machines" and causes["report-oil"]["edited"]
    assert causes["report-pump"]["text"] == "Pump seal leaking for weeks"
    assert causes["report-pump"]["source"] == "report"
    assert "report-lighting" not in causes
    assert client.get(analysis_url(plant.report)).json == analysis


def test_root_cause_whys_and_effect(client, plant, built):
    version = built["version"]
    analysis = edit(
        client,
        plant.report,
        version,
        {"op": "set_root_cause", "id": "report-training"},
        {"op": "add_why", "text": "Why was the guard off? It was removed for cleaning"},
        {"op": "add_why", "text": "Why? No procedure for cleaning"},
        {"op": "edit_why", "index": 0, "text": "Guard removed to clear a jam"},
        {"op": "set_effect", "text": "Press 4 guard off while running"},
    ).json
    assert analysis["root_cause_id"] == "report-training"
    assert analysis["root_cause"]["text"] == "Person not trained or inducted for the task"
    assert analysis["whys"] == ["Guard removed to clear a jam", "Why? No procedure for cleaning"]
    assert causes_by_id(analysis).keys() == causes_by_id(built).keys()
    assert analysis["effect"] == "Press 4 guard off while running"
    cleared = edit(client, plant.report, version + 1, {"op": "set_root_cause", "id": None}).json
    assert (cleared["root_cause_id"], cleared["root_cause"]) == (None, None)


def test_removing_the_root_cause_clears_it(client, plant, built):
    analysis = edit(
        client,
        plant.report,
        built["version"],
        {"op": "set_root_cause", "id": "report-guard"},
        {"op": "remove_cause", "id": "report-guard"},
    ).json
    assert analysis["root_cause_id"] is None


def test_each_edit_is_logged_and_makes_a_version(client, plant, built, officer):
    first = edit(client, plant.report, built["version"], {"op": "add_why", "text": "Rushed"})
    second = edit(client, plant.report, first.json["version"], {"op": "add_why", "text": "Late"})
    assert second.json["version"] == built["version"] + 2
    assert second.json["updated_by"]["id"] == officer.id
    events = db.session.scalars(
        select(Event).where(Event.action == "analysis_edited").order_by(Event.id)
    ).all()
    assert [(e.entity_type, e.entity_id, e.actor_id) for e in events] == [
        ("report", str(plant.report.id), officer.id)
    ] * 2
    assert events[1].data == {
        "version": built["version"] + 2,
        "operations": [{"op": "add_why", "text": "Late"}],
    }


def test_a_stale_version_is_a_409_and_changes_nothing(client, plant, built):
    version = built["version"]
    assert edit(client, plant.report, version, {"op": "add_why", "text": "A"}).status_code == 200
    response = edit(client, plant.report, version, {"op": "add_why", "text": "B"})
    assert response.status_code == 409
    assert response.mimetype == "application/problem+json"
    assert f"version {version}" in response.json["detail"]
    assert client.get(analysis_url(plant.report)).json["whys"] == ["A"]


def test_an_edit_saved_while_another_was_being_applied_is_a_409(client, plant, built, monkeypatch):
    apply_operations = services.apply_operations

    def another_officer_saves_meanwhile(data, operations, hidden):
        with db.engine.begin() as connection:
            connection.execute(update(Analysis).values(version=Analysis.version + 1))
        return apply_operations(data, operations, hidden)

    monkeypatch.setattr(services, "apply_operations", another_officer_saves_meanwhile)
    response = edit(client, plant.report, built["version"], {"op": "add_why", "text": "Late"})
    assert response.status_code == 409
    assert f"version {built['version'] + 1}" in response.json["detail"]
    assert db.session.scalar(select(func.count()).select_from(AnalysisRevision)) == 2
    edited = select(func.count()).select_from(Event).where(Event.action == "analysis_edited")
    assert db.session.scalar(edited) == 0


@pytest.mark.parametrize(
    ("operation", "errors"),
    [
        (
            {"op": "paint_it_red"},
            {
                "op": [
                    "Must be one of: add_cause, add_why, edit_cause, "
                    "edit_why, move_cause, remove_cause, set_effect, "
                    "set_root_cause."
                ]
            },
        ),
        ({"op": "add_cause", "category": "Methods"}, {"text": ["Required by add_cause."]}),
        ({"op": "add_cause", "category": "Money", "text": "x"}, {"category": None}),
        ({"op": "add_cause", "category": "People", "text": "   "}, {"text": None}),
        ({"op": "add_cause", "category": "People", "text": "x" * 301}, {"text": None}),
        ({"op": "move_cause", "id": None, "category": "People"}, {"id": None}),
        ({"op": "set_root_cause"}, {"id": ["Required by set_root_cause."]}),
        ({"op": "edit_why", "index": -1, "text": "x"}, {"index": None}),
        ({"op": "edit_why", "index": "0", "text": "x"}, {"index": None}),
        ({"op": "add_why", "text": "x", "colour": "red"}, {"colour": None}),
    ],
)
def test_malformed_operations_are_422_with_field_errors(client, plant, built, operation, errors):
    response = edit(client, plant.report, built["version"], operation)
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    found = response.json["errors"]["operations"]["0"]
    assert set(found) == set(errors)
    for field, messages in errors.items():
        if messages is not None:
            assert found[field] == messages


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"operations": [{"op": "add_why", "text": "x"}]}, "version"),
        ({"version": "1", "operations": [{"op": "add_why", "text": "x"}]}, "version"),
        ({"version": 1, "operations": []}, "operations"),
        ({"version": 1}, "operations"),
        ({"version": 1, "operations": {"op": "add_why"}}, "operations"),
    ],
)
def test_a_malformed_body_is_422(client, plant, built, body, field):
    response = client.patch(analysis_url(plant.report), json=body)
    assert response.status_code == 422
    assert field in response.json["errors"]


@pytest.mark.parametrize(
    ("operation", "field"),
    [
        ({"op": "move_cause", "id": "report-nothing", "category": "People"}, "id"),
        ({"op": "edit_cause", "id": "officer-0", "text": "x"}, "id"),
        ({"op": "remove_cause", "id": "why-9"}, "id"),
        ({"op": "set_root_cause", "id": "report-nothing"}, "id"),
        ({"op": "edit_why", "index": 1, "text": "Only one why so far"}, "index"),
    ],
)
def test_operations_that_do_not_fit_the_analysis_are_422(client, plant, built, operation, field):
    ok = {"op": "add_why", "text": "Fine"}
    response = edit(client, plant.report, built["version"], ok, operation)
    assert response.status_code == 422
    assert list(response.json["errors"]["operations"]) == ["1"]
    assert field in response.json["errors"]["operations"]["1"]
    assert client.get(analysis_url(plant.report)).json == built


def test_whys_are_limited(client, plant, built):
    whys = [{"op": "add_why", "text": f"Why {n}"} for n in range(MAX_WHYS + 1)]
    response = edit(client, plant.report, built["version"], *whys)
    assert response.status_code == 422
    assert str(MAX_WHYS) in response.json["errors"]["operations"][str(MAX_WHYS)]["text"][0]


def test_form_bodies_are_refused(client, plant, built):
    response = client.patch(analysis_url(plant.report), data={"version": "1"})
    assert response.status_code == 415
