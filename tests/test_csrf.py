"""State-changing API calls accept only JSON (or images where a view says so): no forged forms."""

import pytest

from tests.factories import make_organization, make_user


@pytest.mark.parametrize(
    "content_type",
    ["application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/plain"],
)
def test_form_encodings_get_415(client, auth, content_type):
    organization = make_organization()
    auth.login(make_user(organization, role="admin").email)
    response = client.post(
        "/api/sites", data='{"name": "Forged", "code": "F"}', content_type=content_type
    )
    assert response.status_code == 415
    assert response.mimetype == "application/problem+json"
    assert [s["code"] for s in client.get("/api/sites").json] == []


def test_json_is_accepted(client, auth):
    auth.login(make_user(make_organization(), role="admin").email)
    response = client.post(
        "/api/sites",
        data='{"name": "Real", "code": "R"}',
        content_type="application/json; charset=utf-8",
    )
    assert response.status_code == 201


def test_a_post_without_body_needs_no_content_type(client, auth):
    auth.login(make_user(make_organization()).email)
    assert client.post("/api/auth/logout").status_code == 204


def test_an_image_body_is_refused_where_json_is_expected(client):
    response = client.post("/api/auth/login", data=b"\xff\xd8\xff", content_type="image/jpeg")
    assert response.status_code == 415
