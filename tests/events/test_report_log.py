"""The event log of a report: every change, who and when, for those who may see the report."""

from tests.factories import make_organization, make_site, make_user, report_item


def test_the_log_shows_who_did_what_and_follows_report_visibility(client, auth):
    organization = make_organization()
    site = make_site(organization)
    reporter, colleague = make_user(organization), make_user(organization)
    officer = make_user(organization, role="officer")
    auth.login(reporter.email)
    item = report_item(site.id)
    client.post("/api/sync", json={"reports": [item]})

    [created] = client.get(f"/api/reports/{item['id']}/events").json
    assert created["action"] == "created"
    assert created["actor"] == {"id": reporter.id, "name": reporter.name}
    assert created["data"] == {"kind": "hazard", "photos": 0}
    auth.login(officer.email)
    assert len(client.get(f"/api/reports/{item['id']}/events").json) == 1
    auth.login(colleague.email)
    assert client.get(f"/api/reports/{item['id']}/events").status_code == 404
    auth.login(make_user(make_organization(), role="admin").email)
    assert client.get(f"/api/reports/{item['id']}/events").status_code == 404
