"""GET /api/sync?since=: what changed on my reports, with a cursor that never skips a change."""

from server.extensions import db
from server.reports import services as report_services
from server.sync import services
from tests.factories import make_organization, make_photo_row, make_site, make_user, report_item

SHA = "c" * 64


def test_changes_come_back_once_settled(client, auth, monkeypatch):
    organization = make_organization()
    site = make_site(organization)
    worker = make_user(organization)
    auth.login(worker.email)
    first, second = report_item(site.id), report_item(site.id)
    client.post("/api/sync", json={"reports": [first, second]})

    fresh = client.get("/api/sync?since=0").json
    assert [c["id"] for c in fresh["changes"]] == [first["id"], second["id"]]
    assert fresh["cursor"] == 0, "unsettled changes must be sent again"

    monkeypatch.setattr(services, "CHANGE_SETTLE", services.timedelta(0))
    settled = client.get("/api/sync?since=0").json
    assert {c["status"] for c in settled["changes"]} == {"received"}
    assert settled["cursor"] > 0
    assert client.get(f"/api/sync?since={settled['cursor']}").json["changes"] == []


def test_a_completed_report_shows_up_again(client, auth, monkeypatch):
    monkeypatch.setattr(services, "CHANGE_SETTLE", services.timedelta(0))
    organization = make_organization()
    site = make_site(organization)
    worker = make_user(organization)
    auth.login(worker.email)
    item = report_item(site.id, photos=[{"sha256": SHA, "content_type": "image/jpeg"}])
    client.post("/api/sync", json={"reports": [item]})
    cursor = client.get("/api/sync?since=0").json["cursor"]

    make_photo_row(organization, SHA)
    assert report_services.complete_reports_waiting_for(organization.id, SHA, worker.id) == 1
    db.session.commit()

    changes = client.get(f"/api/sync?since={cursor}").json["changes"]
    assert [(c["id"], c["status"]) for c in changes] == [(item["id"], "received")]


def test_workers_see_only_their_own_changes(client, auth, monkeypatch):
    monkeypatch.setattr(services, "CHANGE_SETTLE", services.timedelta(0))
    organization = make_organization()
    site = make_site(organization)
    alice, bob = make_user(organization), make_user(organization)
    auth.login(alice.email)
    client.post("/api/sync", json={"reports": [report_item(site.id)]})
    auth.login(bob.email)
    assert client.get("/api/sync?since=0").json["changes"] == []


def test_a_bad_cursor_is_422(client, auth):
    auth.login(make_user(make_organization()).email)
    assert client.get("/api/sync?since=-1").status_code == 422
    assert client.get("/api/sync?since=abc").status_code == 422
