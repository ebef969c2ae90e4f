"""The evidence bundle, streamed: unzipped with the real unzip, checked with the real
sha256sum, its photos the very bytes uploaded, its event log a chain an auditor recomputes."""

import hashlib
import json

import pytest
import requests

from server.events.models import Event
from server.exports.tables import TABLES_BY_NAME
from server.extensions import db
from tests.exports.conftest import UPLOADED, check_bundle, parse_csv, period
from tests.factories import PASSWORD
from tests.live_server import GunicornServer, app_environment


@pytest.fixture
def served(app, tmp_path):
    """The test's app (same database and media) served by gunicorn."""
    server = GunicornServer(app_environment(app), workers=1, log_path=tmp_path / "gunicorn.log")
    with server:
        yield server


def signed_in(server, user) -> requests.Session:
    http = requests.Session()
    login = {"email": user.email, "password": PASSWORD}
    assert http.post(f"{server.url}/api/auth/login", json=login).status_code == 200
    return http


def records(person, plant) -> dict:
    """A report with two photos at North, one at South, an NC whose action was done with a
    photo, and an audit whose finding has a photo; the photos' hashes by what shows them."""
    worker = person(plant.worker)
    north = [worker.photo(1), worker.photo(2)]
    south = [worker.photo(3)]
    worker.report(plant.north, period()["to"] + "T00:00:00Z", photos=north)
    worker.report(plant.south, period()["from"] + "T12:00:00Z", photos=south)
    officer = person(plant.officer)
    action_photo, finding_photo = officer.photo(4), officer.photo(5)
    nc = officer.nc(plant.north)
    officer.root_cause(nc)
    action = officer.plan(nc, plant.officer)
    officer.done(action, photos=[action_photo])
    audit = officer.audit(plant.template, plant.north, {"7.1": "major_nc"}, photos=[finding_photo])
    return {
        "north": north,
        "south": south,
        "action": action_photo,
        "finding": finding_photo,
        "audit": audit,
    }


def recompute_chain(lines: list[dict]) -> None:
    """Each event's hash from its prev_hash and canonical text; each prev_hash the hash before."""
    for line in lines:
        assert hashlib.sha256(line["canonical"].encode()).hexdigest() == line["hash"]
        assert json.loads(line["canonical"])[:2] == [line["prev_hash"], line["seq"]]
    for before, after in zip(lines, lines[1:], strict=False):
        assert after["seq"] == before["seq"] + 1 and after["prev_hash"] == before["hash"]


def test_the_bundle_from_gunicorn_passes_unzip_and_sha256sum(person, plant, served, tmp_path):
    made = records(person, plant)
    http = signed_in(served, plant.officer)
    with http.get(f"{served.url}/api/exports/evidence.zip", params=period(), stream=True) as got:
        assert got.status_code == 200, got.text
        assert got.headers["Content-Type"] == "application/zip"
        assert "Content-Length" not in got.headers
        assert got.headers["Transfer-Encoding"] == "chunked"
        assert "attachment" in got.headers["Content-Disposition"]
        data = b"".join(got.iter_content(65536))
    files = check_bundle(data, tmp_path / "bundle")

    photos = {name for name in files if name.startswith("photos/")}
    every = [*made["north"], *made["south"], made["action"], made["finding"]]
    assert photos == {f"photos/{sha}.jpg" for sha in every}
    for sha in every:
        assert files[f"photos/{sha}.jpg"] == UPLOADED[sha]
    assert files[f"audits/audit-{made['audit']['id']}.pdf"].startswith(b"%PDF")
    for table in ("reports", "nonconformities", "actions", "audits"):
        header, rows = parse_csv(files[f"records/{table}.csv"])
        lines = [json.loads(line) for line in files[f"records/{table}.jsonl"].splitlines()]
        assert [list(line) for line in lines] == [header] * len(rows)
        assert [line.get("id", line.get("answer_id")) for line in lines] == [
            row.get("id", row.get("answer_id")) for row in rows
        ]
    _, reports = parse_csv(files["records/reports.csv"])
    assert sorted(sha for row in reports for sha in row["photos"].split()) == sorted(
        made["north"] + made["south"]
    )
    readme = files["README.txt"].decode("utf-8")
    assert "sha256sum -c SHA256SUMS" in readme and "North Plant, South Yard" in readme


def test_the_event_log_is_the_periods_chain_with_nothing_left_out(person, plant, app, tmp_path):
    records(person, plant)
    response = person(plant.officer).get("/api/exports/evidence.zip", **period())
    files = check_bundle(response.get_data(), tmp_path / "bundle")
    lines = [json.loads(line) for line in files["events/events.jsonl"].splitlines()]
    organization_events = db.session.scalars(
        db.select(Event.id).where(Event.organization_id == plant.organization.id).order_by(Event.id)
    ).all()
    assert [line["id"] for line in lines] == organization_events
    assert lines[0]["seq"] == 1
    recompute_chain(lines)
    assert {"entity_type", "entity_id", "action", "actor_id", "created_at", "data"} <= set(lines[0])


def test_one_sites_bundle_holds_only_that_sites_records_photos_and_events(person, plant, tmp_path):
    made = records(person, plant)
    response = person(plant.south_officer).get("/api/exports/evidence.zip", **period())
    assert response.status_code == 200
    files = check_bundle(response.get_data(), tmp_path / "bundle")
    assert {name for name in files if name.startswith("photos/")} == {
        f"photos/{sha}.jpg" for sha in made["south"]
    }
    assert not any(name.startswith("audits/") for name in files)
    _, reports = parse_csv(files["records/reports.csv"])
    assert {row["site"] for row in reports} == {"SOUTH"}
    lines = [json.loads(line) for line in files["events/events.jsonl"].splitlines()]
    assert lines and {line["entity_type"] for line in lines} == {"report"}
    recompute_chain_each(lines)
    # The same through site_id, asked by an officer of every site.
    again = person(plant.officer).get(
        "/api/exports/evidence.zip", site_id=plant.south.id, **period()
    )
    assert 'filename="evidence-SOUTH-' in again.headers["Content-Disposition"]
    files = check_bundle(again.get_data(), tmp_path / "again")
    assert {name for name in files if name.startswith("photos/")} == {
        f"photos/{sha}.jpg" for sha in made["south"]
    }


def recompute_chain_each(lines: list[dict]) -> None:
    """Each event's own hash, where events of other sites leave gaps in the chain."""
    for line in lines:
        assert hashlib.sha256(line["canonical"].encode()).hexdigest() == line["hash"]


def test_a_bundle_of_nothing_still_checks(person, plant, tmp_path):
    response = person(plant.officer).get(
        "/api/exports/evidence.zip", **{"from": "2020-01-01", "to": "2020-01-31"}
    )
    files = check_bundle(response.get_data(), tmp_path / "bundle")
    assert set(files) == {
        "README.txt",
        "SHA256SUMS",
        "events/events.jsonl",
        *(f"records/{table}.{kind}" for table in TABLES_BY_NAME for kind in ("csv", "jsonl")),
    }
    assert files["events/events.jsonl"] == b""


def test_a_bundle_over_the_limit_is_refused_with_where_to_build_it(person, plant, app):
    records(person, plant)
    app.config["EXPORT_BUNDLE_MAX_PHOTOS"] = 4  # the period's records show 5
    response = person(plant.officer).get("/api/exports/evidence.zip", **period())
    assert response.status_code == 409
    assert "POST /api/exports/evidence" in response.json["detail"]
    app.config["EXPORT_BUNDLE_MAX_PHOTOS"], app.config["EXPORT_BUNDLE_MAX_MB"] = 5, 0.001
    assert person(plant.officer).get("/api/exports/evidence.zip", **period()).status_code == 409
    app.config["EXPORT_BUNDLE_MAX_MB"] = 1
    allowed = person(plant.officer).get("/api/exports/evidence.zip", **period())
    assert allowed.status_code == 200 and allowed.get_data().startswith(b"PK")


def test_bundles_follow_the_rules_of_the_csv_exports(person, plant):
    for user in (plant.worker, plant.auditor):
        response = person(user).get("/api/exports/evidence.zip", **period())
        assert response.status_code == 403
    officer = person(plant.officer)
    other_site = officer.get("/api/exports/evidence.zip", site_id=plant.other_site.id, **period())
    assert other_site.status_code == 404
    backwards = officer.get(
        "/api/exports/evidence.zip", **{"from": "2026-03-02", "to": "2026-03-01"}
    )
    assert backwards.status_code == 422 and "to" in backwards.json["errors"]
