"""Overrides and duplicate decisions: a value no database can store is a field error, not a 500."""

import pytest
from sqlalchemy import func, select

from server.extensions import db
from server.triage.models import TriageOverride
from tests.triage.helpers import triage

SURROGATE = "Oil on the floor \ud83d"  # an emoji cut in half by a phone
NUL = "Oil on the\x00floor"
TEXTS = {"lone surrogate": SURROGATE, "NUL": NUL}
INTEGERS = {"2^63": 2**63, "-2^63 - 1": -(2**63) - 1, "10^30": 10**30}
DATES = {
    "year 1 at +14:00": "0001-01-01T00:30:00+14:00",
    "year 9999 at -14:00": "9999-12-31T23:00:00-14:00",
    "year 1899": "1899-12-31T12:00:00+00:00",
    "year 9999": "9999-06-01T12:00:00+00:00",
}
# Every field of an override with each bad value of its kind (a reason is sent with each).
OVERRIDE_CASES = [
    *(
        pytest.param(field, value, id=f"{field} {name}")
        for field in ("reason", "priority", "category")
        for name, value in TEXTS.items()
    ),
    *(
        pytest.param(field, value, id=f"{field} {name}")
        for field in ("severity", "likelihood", "assignee_id")
        for name, value in INTEGERS.items()
    ),
    # A user id is an INTEGER column: beyond 32 bits it fails PostgreSQL's query itself.
    *(pytest.param("assignee_id", n, id=f"assignee_id {n}") for n in (2**31, 2**63 - 1)),
    *(pytest.param("due_at", value, id=f"due_at {name}") for name, value in DATES.items()),
]


@pytest.fixture
def item(plant, send, auth):
    """A triaged report, with its site's officer signed in."""
    sent = send(plant["worker"], plant["north"])
    triage(sent["id"])
    auth.login(plant["north_officer"].email)
    return sent


def assert_field_error(response, field: str) -> None:
    assert response.status_code == 422, response.json
    assert response.mimetype == "application/problem+json"
    assert list(response.json["errors"]) == [field], response.json


@pytest.mark.parametrize(("field", "value"), OVERRIDE_CASES)
def test_each_bad_override_value_is_a_field_error(client, item, field, value):
    body = {"reason": "Checked on site", "severity": 3, field: value}
    response = client.patch(f"/api/reports/{item['id']}/triage", json=body)
    assert_field_error(response, field)
    assert db.session.scalar(select(func.count()).select_from(TriageOverride)) == 0


def test_the_edge_dates_are_kept(client, item):
    for due_at in ("1900-01-01T00:00:00+00:00", "9998-12-31T23:59:59+00:00"):
        body = {"reason": "Checked on site", "due_at": due_at}
        response = client.patch(f"/api/reports/{item['id']}/triage", json=body)
        assert response.status_code == 200 and response.json["due_at"] == due_at


@pytest.fixture
def pair(plant, send, auth):
    """Two reports triaged as possible duplicates, with their site's officer signed in."""
    first = send(plant["worker"], plant["north"])
    second = send(plant["worker"], plant["north"], observed_at="2026-11-20T10:30:00+01:00")
    triage(first["id"])
    triage(second["id"])
    auth.login(plant["north_officer"].email)
    return f"/api/reports/{first['id']}/duplicates/{second['id']}"


@pytest.mark.parametrize("text", TEXTS.values(), ids=TEXTS.keys())
@pytest.mark.parametrize("field", ["status", "reason"])
def test_each_bad_duplicate_decision_value_is_a_field_error(client, pair, field, text):
    body = {"status": "confirmed", "reason": "Same leak", field: text}
    assert_field_error(client.post(pair, json=body), field)
    assert client.post(pair, json={"status": "confirmed", "reason": "Same"}).status_code == 200
