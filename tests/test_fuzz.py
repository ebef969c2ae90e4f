"""Schemathesis against the OpenAPI document: no server errors, every answer as documented.

Each operation is its own test on each database, signed in as an officer of an organization
with two sites, three reports (one with a photo), the starter audit templates and an audit.
Generated path parameters are sometimes swapped for the ids of those records, so that requests
reach the views' work, not only their 404s.
Every check runs. Data the document allows must be accepted, except that a 422 may answer a
rule the document cannot state (one of several fields required, a cursor this API never gave
out); a value the database itself refused is never acceptable.
"""

import contextvars
import uuid

import hypothesis.strategies as st
import pytest
import redis
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.core.parameters import ParameterLocation

from server import create_app
from server.errors import UNSTORABLE_VALUE
from server.jobs.embedded_redis import EmbeddedRedis
from tests.factories import make_organization, make_site, make_user, report_item
from tests.media.images import jpeg, sha256
from tests.redis_server import own_redis_url

# Enough to find what an operation gets wrong; few enough for about a minute per database.
EXAMPLES = 30
ACCEPTED = ["2xx", "3xx", "401", "403", "404", "409", "422", "429", "5xx"]
CONFIG = schemathesis.Config.from_dict(
    {"checks": {"positive_data_acceptance": {"expected-statuses": ACCEPTED}}}
)

# The document does not depend on the database: load it once, from an app that never connects.
SCHEMA = schemathesis.openapi.from_wsgi(
    "/api/openapi.json",
    create_app(
        {
            "SECRET_KEY": "openapi",
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "REDIS_URL": None,
            "RATELIMIT_STORAGE_URI": "memory://",
        }
    ),
    config=CONFIG,
)


def no_value_refused_by_the_database(ctx, response, case) -> None:
    """Schemas refuse what the database cannot store; the database never has to."""
    if response.status_code == 422 and UNSTORABLE_VALUE in response.text:
        raise AssertionError("The database refused a value that validation let through")


@pytest.fixture(scope="module")
def fuzz_redis_url(tmp_path_factory):
    """TEST_REDIS_URL (flushed before and after), else an embedded Redis for this module."""
    url = own_redis_url()
    embedded = None if url else EmbeddedRedis(tmp_path_factory.mktemp("redis")).start()
    url = url or embedded.url
    with redis.Redis.from_url(url) as connection:
        connection.flushdb()
    yield url
    with redis.Redis.from_url(url) as connection:
        connection.flushdb()
    if embedded:
        embedded.stop()


@pytest.fixture
def app(make_app, fuzz_redis_url):
    """The app with its job queue on Redis, so the jobs API answers for real."""
    app = make_app(REDIS_URL=fuzz_redis_url)
    with app.app_context():
        yield app
    if "redis" in app.extensions:
        app.extensions["redis"]["client"].close()


@pytest.fixture
def plant(app, client, auth) -> dict:
    """An officer's session cookie and the ids of real records to aim at."""
    organization = make_organization()
    north, south = make_site(organization, "NORTH"), make_site(organization, "SOUTH")
    auth.login(make_user(organization).email)
    image = jpeg()
    photo = sha256(image)
    uploaded = client.put(f"/api/photos/{photo}", data=image, content_type="image/jpeg")
    assert uploaded.status_code in (200, 201)
    items = [
        report_item(north.id, photos=[{"sha256": photo, "content_type": "image/jpeg"}]),
        report_item(south.id, kind="near_miss"),
        report_item(north.id, description="Oil leak under press 4 again"),
    ]
    assert client.post("/api/sync", json={"reports": items}).status_code == 200
    officer = make_user(organization, role="officer")
    auth.login(officer.email)
    templates = [t["id"] for t in client.get("/api/audit-templates").json]
    audit = {"id": str(uuid.uuid4()), "template_id": templates[0], "site_id": north.id}
    assert client.post("/api/audits", json=audit).status_code == 201
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    reports = [item["id"] for item in items]
    return {
        "cookies": {cookie.key: cookie.value},
        "path": {
            "report_id": reports,
            "other_id": reports[::-1],
            "site_id": [north.id, south.id],
            "sha256": [photo],
            "audit_id": [audit["id"]],
            "template_id": templates,
            "user_id": [officer.id],
        },
    }


def aim(case, plant: dict, pick: int) -> None:
    """For pick > 0, put real ids in a valid case's path (pick 0 keeps what was generated)."""
    if not pick or not case.path_parameters or case.meta.is_negative_at(ParameterLocation.PATH):
        return
    for name in case.path_parameters:
        choices = plant["path"].get(name)
        if choices:
            case.path_parameters[name] = choices[(pick - 1) % len(choices)]


@SCHEMA.parametrize()
@SCHEMA.given(pick=st.integers(min_value=0, max_value=3))
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    # The same examples on every run (a test, not a search), and no example database on disk.
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_operation(case, pick, app, plant):
    """Every generated request gets a documented answer, never a 500."""
    aim(case, plant, pick)
    # A context of its own per request, as on a real server (the test holds an app context).
    contextvars.Context().run(
        case.call_and_validate,
        app=app,
        cookies=plant["cookies"],
        buffered=True,  # the response is read whole and closed, files included
        additional_checks=[no_value_refused_by_the_database],
    )
