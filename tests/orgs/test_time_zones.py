"""Sites have an IANA time zone: validated on create and update, shown, migrated as UTC."""

from datetime import UTC, datetime

import flask_migrate
import pytest
import sqlalchemy as sa

from server import create_app
from server.demo import DEMO_ORGANIZATION, seed_demo
from server.extensions import db
from server.orgs.models import Organization, Site
from server.orgs.zones import is_known_zone
from tests.conftest import base_config
from tests.factories import make_organization, make_site, make_user

BAD_ZONES = {
    "NUL": "Europe/Berlin\x00",
    "lone surrogate": "Europe/\ud83dBerlin",
    "unknown": "Mars/Olympus",
    "300 characters": "Europe/" + "x" * 293,
    "lower case": "europe/berlin",
    "a path out of the zone folder": "../../etc/passwd",
    "an absolute path": "/etc/localtime",
    "this machine's zone file": "localtime",
    "empty": "",
    "an offset": "+02:00",
}


@pytest.fixture
def admin(client, auth):
    """An admin of a new organization, signed in."""
    user = make_user(make_organization(), role="admin")
    auth.login(user.email)
    return user


def test_a_site_keeps_its_time_zone_and_shows_it(client, admin):
    created = client.post(
        "/api/sites", json={"name": "Auckland Yard", "code": "AKL", "time_zone": "Pacific/Auckland"}
    )
    assert created.status_code == 201, created.json
    assert created.json["time_zone"] == "Pacific/Auckland"
    assert client.get(f"/api/sites/{created.json['id']}").json["time_zone"] == "Pacific/Auckland"
    assert [s["time_zone"] for s in client.get("/api/sites").json] == ["Pacific/Auckland"]
    assert client.get("/api/auth/me").json["sites"][0]["time_zone"] == "Pacific/Auckland"


def test_a_site_without_a_zone_is_in_utc(client, admin):
    created = client.post("/api/sites", json={"name": "Yard", "code": "YARD"})
    assert created.status_code == 201
    assert created.json["time_zone"] == "UTC"
    assert db.session.get(Site, created.json["id"]).time_zone == "UTC"


def test_an_admin_changes_a_site_s_time_zone(client, admin):
    site = make_site(admin.memberships[0].organization, "LAX")
    changed = client.patch(f"/api/sites/{site.id}", json={"time_zone": "America/Los_Angeles"})
    assert changed.status_code == 200, changed.json
    assert (changed.json["time_zone"], changed.json["code"]) == ("America/Los_Angeles", "LAX")
    db.session.expire_all()
    assert db.session.get(Site, site.id).time_zone == "America/Los_Angeles"


def test_a_site_change_keeps_codes_unique_and_other_values(client, admin):
    organization = admin.memberships[0].organization
    north, south = make_site(organization, "NORTH"), make_site(organization, "SOUTH")
    taken = client.patch(f"/api/sites/{south.id}", json={"code": "north"})
    assert taken.status_code == 409
    assert taken.json["errors"] == {"code": ["Taken."]}
    renamed = client.patch(f"/api/sites/{north.id}", json={"code": "north", "name": "North Yard"})
    assert renamed.status_code == 200
    assert (renamed.json["code"], renamed.json["name"]) == ("NORTH", "North Yard")
    assert renamed.json["time_zone"] == "UTC"


def test_only_admins_change_sites_and_only_their_own(client, auth):
    ours, theirs = make_organization(), make_organization()
    site, their_site = make_site(ours), make_site(theirs)
    auth.login(make_user(ours, role="officer").email)
    refused = client.patch(f"/api/sites/{site.id}", json={"time_zone": "Europe/Berlin"})
    assert refused.status_code == 403
    auth.logout()
    auth.login(make_user(ours, role="admin").email)
    hidden = client.patch(f"/api/sites/{their_site.id}", json={"time_zone": "Europe/Berlin"})
    assert hidden.status_code == 404
    db.session.expire_all()
    assert db.session.get(Site, their_site.id).time_zone == "UTC"


@pytest.mark.parametrize("zone", BAD_ZONES.values(), ids=BAD_ZONES.keys())
def test_a_zone_that_is_not_an_iana_name_is_a_field_error_on_create(client, admin, zone):
    response = client.post("/api/sites", json={"name": "Yard", "code": "YARD", "time_zone": zone})
    assert response.status_code == 422, response.json
    assert response.mimetype == "application/problem+json"
    assert list(response.json["errors"]) == ["time_zone"]
    assert client.get("/api/sites").json == []


@pytest.mark.parametrize("zone", BAD_ZONES.values(), ids=BAD_ZONES.keys())
def test_a_zone_that_is_not_an_iana_name_is_a_field_error_on_update(client, admin, zone):
    site = make_site(admin.memberships[0].organization)
    response = client.patch(f"/api/sites/{site.id}", json={"time_zone": zone})
    assert response.status_code == 422, response.json
    assert response.mimetype == "application/problem+json"
    assert list(response.json["errors"]) == ["time_zone"]
    db.session.expire_all()
    assert db.session.get(Site, site.id).time_zone == "UTC"


def test_a_null_zone_is_a_field_error(client, admin):
    response = client.post("/api/sites", json={"name": "Y", "code": "Y", "time_zone": None})
    assert response.status_code == 422
    assert list(response.json["errors"]) == ["time_zone"]


def test_the_demo_sites_have_real_zones(app):
    seed_demo()
    organization = db.session.scalar(
        sa.select(Organization).where(Organization.name == DEMO_ORGANIZATION)
    )
    zones = [site.time_zone for site in organization.sites]
    assert len(zones) == 2
    assert all(is_known_zone(zone) and zone != "UTC" for zone in zones)


def test_0011_gives_existing_sites_utc(empty_database_url, tmp_path):
    app = create_app(base_config(empty_database_url, tmp_path))
    when = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    organization = sa.table("organization", *map(sa.column, ("id", "name", "created_at")))
    site = sa.table(
        "site", *map(sa.column, ("id", "organization_id", "name", "code", "created_at"))
    )
    with app.app_context():
        flask_migrate.upgrade(revision="0010")
        db.session.execute(sa.insert(organization).values(id=1, name="Old", created_at=when))
        db.session.execute(
            sa.insert(site).values(id=1, organization_id=1, name="N", code="N", created_at=when)
        )
        db.session.commit()
        flask_migrate.upgrade(revision="0011")
        assert db.session.execute(sa.text("SELECT time_zone FROM site")).scalars().all() == ["UTC"]
        db.session.commit()
        flask_migrate.downgrade(revision="0010")
        flask_migrate.upgrade()
        db.session.remove()
        db.engine.dispose()
