"""GET /api/users: the people of my organization, for officers and admins."""

from tests.factories import make_organization, make_site, make_user


def test_officers_list_their_organization_by_role(client, auth):
    organization = make_organization()
    north = make_site(organization)
    officer = make_user(organization, role="officer", sites=[north])
    worker = make_user(organization)
    make_user(make_organization(), role="officer")
    auth.login(officer.email)
    everyone = client.get("/api/users").json
    assert {m["id"] for m in everyone} == {officer.id, worker.id}
    [only] = client.get("/api/users?role=officer").json
    assert only == {
        "id": officer.id,
        "name": officer.name,
        "email": officer.email,
        "role": "officer",
        "site_ids": [north.id],
        "status": "active",
        "last_sign_in_at": only["last_sign_in_at"],
        "created_at": only["created_at"],
    }
    assert only["last_sign_in_at"] >= only["created_at"]
    assert client.get("/api/users?role=boss").status_code == 422


def test_workers_may_not_list_people(client, auth):
    auth.login(make_user(make_organization()).email)
    assert client.get("/api/users").status_code == 403
