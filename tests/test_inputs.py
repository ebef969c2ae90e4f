"""Input no view can read is a 4xx problem+json on every endpoint, never a 500."""

import pytest

from server.inputs import MAX_JSON_DEPTH, load_json
from tests.factories import make_organization, make_site, make_user

PROBLEM = "application/problem+json"


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM
    return response.json


@pytest.fixture
def admin(client, auth):
    """Signed in as an admin of an organization with one site."""
    organization = make_organization()
    site = make_site(organization, "MAIN")
    auth.login(make_user(organization, role="admin").email)
    return site


@pytest.mark.parametrize(
    "number",
    [str(2**31), str(2**63), str(2**64), "9" * 30, "9" * 5000],
    ids=["2^31", "2^63", "2^64", "30 digits", "5000 digits"],
)
def test_an_id_in_a_path_beyond_the_id_column_is_404(client, admin, number):
    assert_problem(client.get(f"/api/sites/{number}"), 404)


def test_the_largest_id_is_an_ordinary_404(client, admin):
    assert_problem(client.get(f"/api/sites/{2**31 - 1}"), 404)


def test_an_id_in_other_digits_is_not_the_same_site(client, admin):
    assert client.get(f"/api/sites/{admin.id}").status_code == 200
    arabic_indic = "".join(chr(0x660 + int(digit)) for digit in str(admin.id))
    assert_problem(client.get(f"/api/sites/{arabic_indic}"), 404)


@pytest.mark.parametrize("path", ["/api/sites", "/api/sync", "/api/auth/login"])
def test_json_nested_a_thousand_deep_is_400(client, admin, path):
    body = "[" * 1000 + "]" * 1000
    response = client.post(path, data=body, content_type="application/json")
    assert "nest" in assert_problem(response, 400)["detail"]


@pytest.mark.parametrize("path", ["/api/sites", "/api/sync"])
def test_a_5000_digit_integer_is_400(client, admin, path):
    body = '{"name": "Yard", "code": "Y", "latitude": ' + "9" * 5000 + "}"
    response = client.post(path, data=body, content_type="application/json")
    assert "digits" in assert_problem(response, 400)["detail"]


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_numbers_json_does_not_have_are_400(client, admin, number):
    body = '{"name": "Yard", "code": "Y", "latitude": ' + number + "}"
    response = client.post("/api/sites", data=body, content_type="application/json")
    assert_problem(response, 400)


def test_a_body_that_is_not_utf8_is_400(client, admin):
    body = '{"name": "Caf\xe9", "code": "C"}'.encode("latin-1")
    response = client.post("/api/sites", data=body, content_type="application/json")
    assert "UTF-8" in assert_problem(response, 400)["detail"]


def test_malformed_json_says_where(client, admin):
    response = client.post("/api/sites", data='{"name": ', content_type="application/json")
    assert "line 1" in assert_problem(response, 400)["detail"]


def test_ordinary_nesting_is_read():
    nested = {"a": [{"b": [1, 2.5, {"c": None}]}]}
    assert load_json(b'{"a": [{"b": [1, 2.5, {"c": null}]}]}') == nested
    expected = []
    for _ in range(MAX_JSON_DEPTH - 1):
        expected = [expected]
    deepest = "[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH
    assert load_json(deepest.encode()) == expected
    with pytest.raises(ValueError, match="nest"):
        load_json(("[" + deepest + "]").encode())


@pytest.mark.parametrize("value", ["%00", "a%00b", "%1B", "%C2%85"])
def test_unstorable_text_in_a_query_is_422(client, admin, value):
    body = assert_problem(client.get(f"/api/queue?q={value}&kind=hazard"), 422)
    assert list(body["errors"]) == ["q"]


def test_a_query_parameter_name_is_checked_too(client, admin):
    assert_problem(client.get("/api/sites?x%00y=1"), 422)


def test_ordinary_query_text_is_read(client, admin):
    assert client.get("/api/queue?q=caf%C3%A9%09tab").status_code == 200


@pytest.mark.parametrize("segment", ["%00", "abc%00", "%7F"])
def test_unstorable_text_in_a_path_is_404(client, admin, segment):
    assert_problem(client.get(f"/api/photos/{segment}/thumb"), 404)
