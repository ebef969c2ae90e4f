"""Queue filters: a value no database can store is a field error (422), never a 500."""

import base64
import json

import pytest

from tests.desk.conftest import make_report, triaged

TEXTS = {"NUL": "oil\x00leak", "control character": "oil\x1bleak"}
INTEGERS = {
    "2^31": str(2**31),
    "2^63 - 1": str(2**63 - 1),
    "2^63": str(2**63),
    "-2^63 - 1": str(-(2**63) - 1),
    "5,000 digits": "9" * 5000,
    "Arabic-Indic digits": "١٢",
    "fullwidth digits": "１２",
    "a fraction": "1.5",
}
DATES = {
    "year 1 at +14:00": "0001-01-01T00:30:00+14:00",
    "year 9999 at -14:00": "9999-12-31T23:00:00-14:00",
    "year 1899": "1899-12-31T12:00:00+00:00",
    "year 9999": "9999-06-01T12:00:00+00:00",
    "no offset": "2026-11-02T08:00:00",
}
CASES = [
    *(
        pytest.param(field, value, id=f"{field} {name}")
        for field in ("q", "kind", "category", "risk_band", "status", "cursor")
        for name, value in TEXTS.items()
    ),
    *(
        pytest.param(field, value, id=f"{field} {name}")
        for field in ("site_id", "limit")
        for name, value in INTEGERS.items()
    ),
    pytest.param("limit", "0", id="limit 0"),
    *(
        pytest.param(field, value, id=f"{field} {name}")
        for field in ("observed_from", "observed_to")
        for name, value in DATES.items()
    ),
]


@pytest.fixture
def queue(signed_in, plant):
    """GET the queue as an officer of every site, with one report in it."""
    triaged(make_report(plant["north"]))
    return lambda **params: signed_in(plant["officer"], "/api/queue", **params)


@pytest.mark.parametrize(("field", "value"), CASES)
def test_each_bad_filter_is_a_field_error(queue, field, value):
    response = queue(**{field: value})
    assert response.status_code == 422, response.json
    assert response.mimetype == "application/problem+json"
    assert list(response.json["errors"]) == [field], response.json


def cursor(*key) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(key)).encode()).decode().rstrip("=")


@pytest.mark.parametrize("received_at", list(DATES.values()), ids=list(DATES))
def test_a_cursor_out_of_the_dates_kept_is_a_field_error(queue, received_at):
    response = queue(cursor=cursor(1, -25, received_at, 1))
    assert response.status_code == 422, response.json
    assert response.json["errors"] == {"cursor": ["Not a cursor this API gave out."]}


def test_bytes_that_are_not_utf8_are_no_server_error(client, auth, queue, plant):
    auth.login(plant["officer"].email)
    for query in ("q=%ED%A0%80", "q=%FF%FE", "cursor=%ED%A0%80", "site_id=%00"):
        response = client.get(f"/api/queue?{query}")
        assert response.status_code in (200, 422), query
        assert response.mimetype == "application/json" or response.json["errors"], query


def test_the_edges_of_each_filter_are_accepted(queue):
    edges = {
        "observed_from": "1900-01-01T00:00:00+00:00",
        "observed_to": "9998-12-31T23:59:59+00:00",
        "site_id": str(2**31 - 1),
        "limit": "200",
        "q": "oil\tleak",
    }
    for field, value in edges.items():
        assert queue(**{field: value}).status_code == 200, field
