"""Every error status under /api is problem+json; a 500 rolls back what the request wrote."""

import pytest
from sqlalchemy import select

from server.errors import UNSTORABLE_VALUE
from server.exceptions import NotFound
from server.extensions import db
from server.orgs.models import Organization, Site
from tests.factories import PASSWORD, make_organization, make_site, make_user

PROBLEM = "application/problem+json"


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status
    assert response.mimetype == PROBLEM
    body = response.json
    assert body["status"] == status
    assert body["title"] and body["type"]
    return body


def test_400_for_malformed_json(client):
    response = client.post("/api/auth/login", data="{not json", content_type="application/json")
    assert_problem(response, 400)


def test_401_without_a_session(client):
    assert_problem(client.get("/api/sites"), 401)


def test_403_for_the_wrong_role(client, auth):
    auth.login(make_user(make_organization(), role="worker").email)
    assert_problem(client.post("/api/sites", json={"name": "X", "code": "X"}), 403)


@pytest.mark.parametrize("path", ["/api/nothing-here", "/api/sites/999999"])
def test_404_is_problem_json(client, auth, path):
    auth.login(make_user(make_organization()).email)
    assert_problem(client.get(path), 404)


def test_405_for_a_wrong_method(client):
    body = assert_problem(client.delete("/api/auth/me"), 405)
    assert "not allowed" in body["detail"].lower()


def test_409_for_a_conflict(client, auth):
    organization = make_organization()
    make_site(organization, code="DUP")
    auth.login(make_user(organization, role="admin").email)
    assert_problem(client.post("/api/sites", json={"name": "Again", "code": "DUP"}), 409)


def test_413_for_a_body_over_the_limit(make_app):
    client = make_app(MAX_CONTENT_LENGTH=1024).test_client()
    response = client.post("/api/auth/login", data="x" * 4096, content_type="application/json")
    assert_problem(response, 413)


def test_415_for_a_form_body(client):
    response = client.post("/api/auth/login", data={"email": "a@b.test", "password": "x"})
    assert_problem(response, 415)


def test_422_names_the_fields(client):
    body = assert_problem(client.post("/api/auth/login", json={"password": 5}), 422)
    assert set(body["errors"]) == {"email", "password"}
    assert all(isinstance(messages, list) for messages in body["errors"].values())


def test_429_has_retry_after(client):
    user = make_user(make_organization())
    for _ in range(5):
        client.post("/api/auth/login", json={"email": user.email, "password": "wrong"})
    response = client.post("/api/auth/login", json={"email": user.email, "password": PASSWORD})
    assert_problem(response, 429)
    assert int(response.headers["Retry-After"]) > 0


def test_500_rolls_back_and_hides_details(make_app):
    app = make_app()

    @app.post("/api/test-crash")
    def crash():
        db.session.add(Organization(name="Half written"))
        db.session.flush()
        raise RuntimeError("secret internals")

    response = app.test_client().post("/api/test-crash")
    body = assert_problem(response, 500)
    assert "secret internals" not in response.get_data(as_text=True)
    assert body["detail"]
    with app.app_context():
        assert (
            db.session.scalar(select(Organization).where(Organization.name == "Half written"))
            is None
        )


def test_pages_outside_the_api_keep_html_errors(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert response.mimetype == "text/html"


def test_a_value_the_database_refuses_is_422_and_rolled_back(make_app):
    app = make_app()

    @app.get("/api/test-out-of-range")
    def out_of_range():
        db.session.add(Organization(name="Half written"))
        db.session.flush()
        # Beyond a 32-bit id column: PostgreSQL refuses the query itself; SQLite finds nothing.
        if db.session.get(Site, 2**40) is None:
            raise NotFound()

    response = app.test_client().get("/api/test-out-of-range")
    with app.app_context():
        dialect = db.engine.dialect.name
        assert (
            db.session.scalar(select(Organization).where(Organization.name == "Half written"))
            is None
        )
    if dialect == "postgresql":
        body = assert_problem(response, 422)
        assert body["detail"] == UNSTORABLE_VALUE
    else:
        assert_problem(response, 404)


def test_a_422_says_which_part_of_the_request_failed(client, auth):
    auth.login(make_user(make_organization(), role="officer").email)
    body = assert_problem(client.get("/api/reports?limit=0"), 422)
    assert body["detail"] == "The query string failed validation."
    assert list(body["errors"]) == ["limit"]
    body = assert_problem(client.post("/api/auth/login", json={}), 422)
    assert body["detail"] == "The request body failed validation."


def test_each_problem_kind_has_its_own_type_uri_that_describes_it(client):
    from server.errors import PROBLEM_TYPES

    slugs = [kind.slug for kind in PROBLEM_TYPES.values()]
    assert len(slugs) == len(set(slugs))
    for cls, kind in PROBLEM_TYPES.items():
        described = client.get(kind.uri)
        assert described.status_code == 200, kind.uri
        assert described.json == {
            "type": kind.uri,
            "title": kind.title,
            "status": kind.status,
            "description": cls.__doc__,
        }
    assert_problem(client.get("/api/problems/no-such-kind"), 404)


def test_a_domain_exception_answers_with_its_type(client, auth):
    auth.login(make_user(make_organization()).email)
    body = assert_problem(client.get("/api/sites/999999"), 404)
    assert body["type"] == "/api/problems/not-found"
    body = assert_problem(client.get("/api/reports?limit=0"), 422)
    assert body["type"] == "/api/problems/invalid-input" and body["errors"]


def test_a_subclass_not_listed_takes_its_bases_type():
    from server.errors import problem_type
    from server.exceptions import InvalidTransition, NotFound

    class NoSuchTemplate(NotFound):
        """No such audit template."""

    assert problem_type(NoSuchTemplate()).slug == "not-found"
    assert problem_type(InvalidTransition()).slug == "invalid-transition"
