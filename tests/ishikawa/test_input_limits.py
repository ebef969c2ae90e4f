"""Analysis edits: a value no database can store is a field error, not a 500."""

import pytest
from sqlalchemy import func, select

from server.extensions import db
from server.ishikawa.jobs import build_analysis
from server.ishikawa.models import AnalysisRevision
from tests.ishikawa.helpers import analysis_url, edit

SURROGATE = "Guard taken off \ud83d"  # an emoji cut in half by a phone
NUL = "Guard taken\x00off"
TEXTS = {"lone surrogate": SURROGATE, "NUL": NUL}
INTEGERS = {"2^63": 2**63, "-2^63 - 1": -(2**63) - 1, "10^30": 10**30}
# Each operation with what it needs, good; a case replaces one field with a bad value.
GOOD = {
    "add_cause": {"op": "add_cause", "category": "Methods", "text": "No permit"},
    "move_cause": {"op": "move_cause", "id": "report-guard", "category": "Methods"},
    "edit_cause": {"op": "edit_cause", "id": "report-guard", "text": "Guard off"},
    "remove_cause": {"op": "remove_cause", "id": "report-guard"},
    "set_root_cause": {"op": "set_root_cause", "id": "report-guard"},
    "add_why": {"op": "add_why", "text": "Rushed"},
    "edit_why": {"op": "edit_why", "index": 0, "text": "Rushed job"},
    "set_effect": {"op": "set_effect", "text": "Press run without its guard"},
}
CASES = [
    *(
        pytest.param(op, field, value, id=f"{op} {field} {name}")
        for op, good in GOOD.items()
        for field in ("op", "id", "category", "text")
        if field in good
        for name, value in TEXTS.items()
    ),
    *(
        pytest.param("edit_why", "index", value, id=f"edit_why index {name}")
        for name, value in INTEGERS.items()
    ),
]


@pytest.fixture
def version(client, plant, officer) -> int:
    """The version of a built analysis with one why, the officer signed in."""
    client.post(analysis_url(plant.report))
    build_analysis(plant.report.pk)
    built = client.get(analysis_url(plant.report)).json["version"]
    return edit(client, plant.report, built, GOOD["add_why"]).json["version"]


def revisions() -> int:
    return db.session.scalar(select(func.count()).select_from(AnalysisRevision))


@pytest.mark.parametrize(("op", "field", "value"), CASES)
def test_each_bad_operation_value_is_a_field_error(client, plant, version, op, field, value):
    before = revisions()
    response = edit(client, plant.report, version, GOOD["add_why"], {**GOOD[op], field: value})
    assert response.status_code == 422, response.json
    assert response.mimetype == "application/problem+json"
    assert list(response.json["errors"]["operations"]["1"]) == [field], response.json
    assert revisions() == before
    assert edit(client, plant.report, version, GOOD[op]).status_code == 200


@pytest.mark.parametrize("value", INTEGERS.values(), ids=INTEGERS.keys())
def test_a_version_out_of_range_is_a_field_error(client, plant, version, value):
    response = edit(client, plant.report, value, GOOD["add_why"])
    assert response.status_code == 422, response.json
    assert list(response.json["errors"]) == ["version"]
