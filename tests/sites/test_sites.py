"""Sites: scoped to the organization and the user's site limits; admins add them."""

import pytest

from tests.factories import make_organization, make_site, make_user


def test_a_user_of_another_organization_gets_404(client, auth):
    ours, theirs = make_organization(), make_organization()
    their_site = make_site(theirs)
    auth.login(make_user(ours, role="admin").email)
    response = client.get(f"/api/sites/{their_site.id}")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert their_site.id not in [s["id"] for s in client.get("/api/sites").json]


def test_a_site_limited_user_sees_only_their_sites(client, auth):
    organization = make_organization()
    north, south = make_site(organization, "NORTH"), make_site(organization, "SOUTH")
    auth.login(make_user(organization, sites=[north]).email)
    assert [s["code"] for s in client.get("/api/sites").json] == ["NORTH"]
    assert client.get(f"/api/sites/{north.id}").status_code == 200
    assert client.get(f"/api/sites/{south.id}").status_code == 404


def test_only_admins_add_sites(client, auth):
    organization = make_organization()
    auth.login(make_user(organization, role="officer").email)
    response = client.post("/api/sites", json={"name": "East Yard", "code": "EAST"})
    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"


def test_admin_adds_a_site_and_codes_are_unique(client, auth):
    organization = make_organization()
    auth.login(make_user(organization, role="admin").email)
    created = client.post(
        "/api/sites",
        json={"name": "East Yard", "code": "east", "latitude": 51.5, "longitude": -0.1},
    )
    assert created.status_code == 201
    assert created.json["code"] == "EAST"
    assert client.get(f"/api/sites/{created.json['id']}").json["name"] == "East Yard"
    again = client.post("/api/sites", json={"name": "Other", "code": "EAST"})
    assert again.status_code == 409
    assert again.json["errors"] == {"code": ["Taken."]}


def test_site_input_is_validated(client, auth):
    auth.login(make_user(make_organization(), role="admin").email)
    response = client.post("/api/sites", json={"name": "", "code": "bad code", "latitude": 91})
    assert response.status_code == 422
    assert set(response.json["errors"]) == {"name", "code", "latitude"}


@pytest.mark.parametrize(
    "name", ["North\x00Yard", "North \ud83d Yard", "North\x1bYard"], ids=["NUL", "surrogate", "ESC"]
)
def test_a_site_name_the_database_cannot_store_is_a_field_error(client, auth, name):
    auth.login(make_user(make_organization(), role="admin").email)
    response = client.post("/api/sites", json={"name": name, "code": "NY"})
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert list(response.json["errors"]) == ["name"]
    assert client.get("/api/sites").json == []
