"""Starting an audit, who sees which, the assigned list a phone downloads, the programme list,
the feed and the trends."""

import uuid
from datetime import date, timedelta

from server.audits.models import Audit
from server.extensions import db
from tests.audits.conftest import make_template
from tests.factories import make_organization, make_site, make_user


def test_starting_an_audit_is_idempotent_on_its_id(plant, phone):
    auditor = phone(plant.auditor)
    audit_id = uuid.uuid4()
    first = auditor.start(plant.template, plant.north, audit_id)
    again = auditor.start(plant.template, plant.north, audit_id)
    assert first["id"] == again["id"] == str(audit_id)
    assert db.session.query(Audit).count() == 1
    other = auditor.client.post(
        "/api/audits",
        json={
            "id": str(audit_id),
            "template_id": str(plant.template.id),
            "site_id": plant.south.id,
        },
    )
    assert other.status_code == 409


def test_an_audit_carries_what_running_it_offline_needs(plant, phone):
    audit = phone(plant.auditor).start(plant.template, plant.north)
    assert audit["status"] == "planned"
    assert audit["auditor"]["id"] == plant.auditor.id
    assert audit["template"]["version"] == 1
    assert [s["ref"] for s in audit["template"]["sections"]] == ["4", "7", "9"]
    assert audit["progress"] == {"answered": 0, "total": 5}
    assert audit["score"]["overall"] is None


def test_a_template_or_site_of_another_organization_is_refused(plant, phone):
    elsewhere = make_organization()
    their_template, their_site = make_template(elsewhere), make_site(elsewhere)
    auditor = phone(plant.auditor)
    body = {
        "id": str(uuid.uuid4()),
        "site_id": plant.north.id,
        "template_id": str(their_template.id),
    }
    response = auditor.client.post("/api/audits", json=body)
    assert response.status_code == 422 and "template_id" in response.json["errors"]
    body = body | {"template_id": str(plant.template.id), "site_id": their_site.id}
    response = auditor.client.post("/api/audits", json=body)
    assert response.status_code == 422 and "site_id" in response.json["errors"]


def test_each_auditor_downloads_only_their_own_open_audits(plant, phone, client, auth):
    mine = phone(plant.auditor).start(plant.template, plant.north)
    theirs = phone(plant.other_auditor).start(plant.template, plant.north)
    auth.login(plant.auditor.email)
    listed = client.get("/api/audits", query_string={"assigned": "me"}).json
    assert [a["id"] for a in listed] == [mine["id"]]
    assert listed[0]["template"]["sections"]
    assert client.get(f"/api/audits/{theirs['id']}").status_code == 404
    assert client.get("/api/audits").status_code == 403  # the programme is the desk's
    auth.login(plant.worker.email)
    assert client.get("/api/audits", query_string={"assigned": "me"}).status_code == 403


def test_the_programme_shows_the_officers_sites_only(plant, phone, client, auth):
    north = phone(plant.auditor).start(plant.template, plant.north)
    south = phone(plant.auditor).start(plant.template, plant.south)
    auth.login(plant.officer.email)
    assert {a["id"] for a in client.get("/api/audits").json} == {north["id"], south["id"]}
    auth.login(plant.south_officer.email)
    assert [a["id"] for a in client.get("/api/audits").json] == [south["id"]]
    assert client.get(f"/api/audits/{north['id']}").status_code == 404
    stranger = make_user(make_organization(), role="admin")
    auth.login(stranger.email)
    assert client.get("/api/audits").json == []
    assert client.get(f"/api/audits/{south['id']}").status_code == 404


def test_signed_off_audits_feed_the_trends(plant, phone, client, auth):
    auditor = phone(plant.auditor)
    for results in ({"4.2": "minor_nc"}, {"7.2": "major_nc", "9.1": "observation"}):
        audit = auditor.start(plant.template, plant.north)
        auditor.answer_all(audit, results)
        assert auditor.submit(audit).status_code == 200
    auth.login(plant.officer.email)
    trends = client.get("/api/audits/trends").json
    assert len(trends["scores"]) == 1
    month = trends["scores"][0]
    assert (month["site_name"], month["audits"]) == ("North Plant", 2)
    # 6.5 of 8 (81.3) and 7 of 8 (87.5): 84.4 on average.
    assert month["average"] == 84.4
    by_clause = {c["clause"]: c for c in trends["findings_by_clause"]}
    assert by_clause["4"]["minor"] == 1 and by_clause["7"]["major"] == 1
    assert by_clause["9"]["observations"] == 1
    listed = {
        a["id"]: a for a in client.get("/api/audits", query_string={"status": "submitted"}).json
    }
    assert sorted(a["findings"] for a in listed.values()) == [1, 1]


def test_the_auditors_phone_learns_of_changes_through_the_feed(plant, phone, client):
    auditor = phone(plant.auditor)
    audit = auditor.start(plant.template, plant.north)
    entries = [
        e
        for e in client.get("/api/sync", query_string={"since": 0}).json["changes"]
        if e["type"] == "audit"
    ]
    assert [e["id"] for e in entries] == [audit["id"]]


def test_the_programme_shows_which_audits_are_overdue_at_their_site(plant, phone, client, auth):
    late = phone(plant.auditor).start(plant.template, plant.north)
    on_time = phone(plant.auditor).start(plant.template, plant.north)
    for audit_id, due in ((late["id"], -2), (on_time["id"], 3)):
        row = db.session.query(Audit).filter_by(id=uuid.UUID(audit_id)).one()
        row.due_on = date.today() + timedelta(days=due)
    db.session.commit()
    auth.login(plant.officer.email)
    overdue = client.get("/api/audits", query_string={"overdue": "true"}).json
    assert [a["id"] for a in overdue] == [late["id"]]
    assert {a["id"]: a["overdue"] for a in client.get("/api/audits").json} == {
        late["id"]: True,
        on_time["id"]: False,
    }


def test_an_ncs_audit_is_found_by_the_nc_only_in_its_organization(plant, phone, client, auth):
    auditor = phone(plant.auditor)
    audit = auditor.start(plant.template, plant.north)
    auditor.answer_all(audit, {"4.2": "minor_nc"})
    nc_id = auditor.submit(audit).json["findings"][0]["nonconformity_id"]
    auth.login(plant.officer.email)
    found = client.get("/api/audits", query_string={"nonconformity_id": nc_id}).json
    assert [a["id"] for a in found] == [audit["id"]]
    assert (
        client.get("/api/audits", query_string={"nonconformity_id": str(uuid.uuid4())}).json == []
    )
    auth.login(make_user(make_organization(), role="admin").email)
    assert client.get("/api/audits", query_string={"nonconformity_id": nc_id}).json == []
