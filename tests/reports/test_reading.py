"""GET /api/reports and /api/reports/{id}: filtered, paged, and only what the user may see."""

import pytest

from tests.factories import make_organization, make_photo_row, make_site, make_user, report_item

SHA = "d" * 64


@pytest.fixture
def plant(client, auth):
    """Two sites, two workers with reports, an officer."""
    organization = make_organization()
    north, south = make_site(organization, "NORTH"), make_site(organization, "SOUTH")
    alice, bob = make_user(organization), make_user(organization)
    officer = make_user(organization, role="officer")
    sent = {"alice": [], "bob": []}
    for name, user, site, kind in (
        ("alice", alice, north, "hazard"),
        ("alice", alice, south, "near_miss"),
        ("bob", bob, north, "environmental_incident"),
    ):
        auth.login(user.email)
        item = report_item(site.id, kind=kind)
        client.post("/api/sync", json={"reports": [item]})
        sent[name].append(item)
    auth.logout()
    return {
        "organization": organization,
        "north": north,
        "south": south,
        "alice": alice,
        "bob": bob,
        "officer": officer,
        "sent": sent,
    }


def ids(response) -> set[str]:
    return {item["id"] for item in response.json["items"]}


def test_workers_see_only_their_own_reports(client, auth, plant):
    auth.login(plant["alice"].email)
    assert ids(client.get("/api/reports")) == {i["id"] for i in plant["sent"]["alice"]}
    bobs = plant["sent"]["bob"][0]["id"]
    assert client.get(f"/api/reports/{bobs}").status_code == 404


def test_officers_see_every_report_of_their_sites(client, auth, plant):
    auth.login(plant["officer"].email)
    assert len(client.get("/api/reports").json["items"]) == 3
    limited = make_user(plant["organization"], role="officer", sites=[plant["south"]])
    auth.login(limited.email)
    assert ids(client.get("/api/reports")) == {plant["sent"]["alice"][1]["id"]}


def test_another_organization_gets_404(client, auth, plant):
    outsider = make_user(make_organization(), role="admin")
    auth.login(outsider.email)
    report_id = plant["sent"]["alice"][0]["id"]
    assert client.get(f"/api/reports/{report_id}").status_code == 404
    assert client.get("/api/reports").json["items"] == []


def test_filters(client, auth, plant):
    auth.login(plant["officer"].email)
    assert len(client.get("/api/reports?kind=near_miss").json["items"]) == 1
    assert len(client.get(f"/api/reports?site_id={plant['north'].id}").json["items"]) == 2
    assert len(client.get("/api/reports?status=received").json["items"]) == 3
    window = "observed_from=2026-11-20T08:00:00Z&observed_to=2026-11-20T09:00:00Z"
    assert len(client.get(f"/api/reports?{window}").json["items"]) == 3
    before = "observed_to=2026-11-20T08:30:00Z"
    assert client.get(f"/api/reports?{before}").json["items"] == []
    assert client.get("/api/reports?kind=rumour").status_code == 422


def test_keyset_paging_walks_every_report_once(client, auth, plant):
    auth.login(plant["officer"].email)
    seen, cursor = [], None
    while True:
        query = "limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = client.get(f"/api/reports?{query}").json
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 3
    assert client.get("/api/reports?cursor=zzz").status_code == 422


def test_one_report_shows_its_photos_and_risk(client, auth, plant):
    auth.login(plant["alice"].email)
    make_photo_row(plant["organization"], SHA)
    item = report_item(
        plant["north"].id,
        photos=[
            {"sha256": SHA, "content_type": "image/jpeg", "width": 1600, "height": 1200},
            {"sha256": "e" * 64, "content_type": "image/png"},
        ],
    )
    client.post("/api/sync", json={"reports": [item]})
    report = client.get(f"/api/reports/{item['id']}").json
    assert report["status"] == "awaiting_photos"
    assert (report["risk_score"], report["risk_band"]) == (12, "high")
    assert report["site"]["code"] == "NORTH"
    assert report["location"] == {"lat": 53.48, "lon": -2.24, "accuracy_m": 12.5}
    held, missing = report["photos"]
    assert held["received"] and held["urls"]["thumb"] == f"/api/photos/{SHA}/thumb"
    assert not missing["received"] and missing["urls"] is None


BAD_QUERIES = {
    "site id above 2^63": "site_id=9223372036854775808",
    "site id of 5,000 digits": "site_id=" + "9" * 5000,
    "site id in Arabic-Indic digits": "site_id=\u0661\u0662",
    "limit above 2^64": "limit=18446744073709551617",
    "cursor above 2^63": "cursor=9223372036854775808",
    "cursor of 5,000 digits": "cursor=" + "1" * 5000,
    "cursor in Arabic-Indic digits": "cursor=\u0661\u0662",
    "unknown status": "status=rumoured",
    "status with a NUL": "status=received%00",
    "date in year 1 ahead of UTC": "observed_from=0001-01-01T00:00:00%2B14:00",
    "date in year 9999 behind UTC": "observed_to=9999-12-31T23:59:59-14:00",
}


@pytest.mark.parametrize("query", BAD_QUERIES.values(), ids=BAD_QUERIES.keys())
def test_a_query_the_database_cannot_take_is_a_field_error(client, auth, plant, query):
    auth.login(plant["officer"].email)
    response = client.get(f"/api/reports?{query}")
    assert response.status_code == 422, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/problem+json"
    assert set(response.json["errors"]) & {
        "query",
        "site_id",
        "limit",
        "cursor",
        "status",
        "observed_from",
        "observed_to",
    }


@pytest.mark.parametrize("since", ["9223372036854775808", "1" * 5000, "\u0661", "-1"])
def test_a_change_cursor_the_database_cannot_take_is_a_field_error(client, auth, plant, since):
    auth.login(plant["alice"].email)
    response = client.get(f"/api/sync?since={since}")
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"


@pytest.mark.parametrize("cursor", ["2147483648", "99999999999", "9" * 18, "-1", "1e3", "١٢"])
def test_a_cursor_beyond_the_column_is_a_field_error_on_both_databases(client, auth, cursor):
    auth.login(make_user(make_organization(), role="officer").email)
    response = client.get("/api/reports", query_string={"cursor": cursor})
    assert response.status_code == 422, response.json
    assert "cursor" in response.json["errors"]
