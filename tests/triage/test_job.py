"""The triage job: one result however often it runs, reasons for everything, shown everywhere."""

import threading

from sqlalchemy import event, func, select

from server.events.models import Event
from server.extensions import db
from server.reports import services as report_services
from server.reports.models import Report
from server.sync import services as sync_services
from server.triage.jobs import triage_report
from server.triage.models import Triage
from tests.factories import make_photo_row
from tests.triage.helpers import report_pk, triage


def triage_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Triage))


def test_running_twice_leaves_one_result(client, auth, plant, send):
    item = send(plant["worker"], plant["north"], description="Oil leak under press 4")
    triage(item["id"])
    first = db.session.scalar(select(Triage))
    triage(item["id"])
    assert triage_count() == 1
    again = db.session.scalar(select(Triage))
    assert (again.id, again.runs) == (first.id, 2)
    events = db.session.scalars(
        select(Event.action).where(Event.entity_id == item["id"]).order_by(Event.id)
    ).all()
    assert events == ["created", "triaged", "triaged"]


def test_concurrent_runs_serialize_into_one_result(app, plant, send):
    item = send(plant["worker"], plant["north"], description="Frayed sling on the crane")
    pk = report_pk(item["id"])
    db.session.remove()
    errors, start = [], threading.Barrier(4)

    def run() -> None:
        with app.app_context():
            start.wait()
            try:
                triage_report(pk)
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert triage_count() == 1
    assert db.session.scalar(select(Triage.runs)) == 4


def test_every_conclusion_has_reasons(client, auth, plant, send):
    item = send(
        plant["worker"],
        plant["north"],
        kind="injury",
        description="Fell off the stepladder, suspected fractured wrist, taken to hospital",
        severity=None,
        likelihood=None,
    )
    triage(item["id"])
    auth.login(plant["north_officer"].email)
    body = client.get(f"/api/reports/{item['id']}/triage").json
    assert body["category"] == "work_at_height"
    assert body["severity"] == 4 and body["likelihood"] == 4
    assert (body["risk_score"], body["risk_band"]) == (16, "high")
    assert body["reportable"] is True and body["priority"] == "P1"
    assert body["assignee"]["id"] == plant["north_officer"].id
    for name in ("category", "severity", "likelihood", "risk", "priority", "due_at"):
        assert body["reasons"][name], name
    assert body["reasons"]["reportable"]
    assert "assignee_id" in body["reasons"] and "duplicates" in body["reasons"]
    assert any("suggests severity 4" in r for r in body["reasons"]["severity"])
    assert any("fracture" in r for r in body["reasons"]["reportable"])
    assert body["computed"]["priority"] == "P1" and body["overrides"] == []


def test_the_report_moves_to_triaged_and_the_feed_says_so(client, auth, plant, send, monkeypatch):
    monkeypatch.setattr(sync_services, "CHANGE_SETTLE", sync_services.timedelta(0))
    item = send(plant["worker"], plant["north"], description="Exposed wires on the socket")
    cursor = client.get("/api/sync?since=0").json["cursor"]
    triage(item["id"])

    (change,) = client.get(f"/api/sync?since={cursor}").json["changes"]
    assert change["id"] == item["id"] and change["status"] == "triaged"
    assert set(change["triage"]) == {"priority", "category", "risk_band", "due_at"}
    assert change["triage"]["category"] == "electrical"

    report = client.get(f"/api/reports/{item['id']}").json
    assert report["status"] == "triaged"
    assert report["triage"]["category"] == "electrical"
    assert report["triage"]["reasons"]["category"]
    listed = client.get("/api/reports").json["items"]
    assert listed[0]["triage"]["priority"] == report["triage"]["priority"]


def test_an_untriaged_report_shows_no_triage_and_404s(client, auth, plant, send):
    item = send(plant["worker"], plant["north"])
    assert client.get(f"/api/reports/{item['id']}").json["triage"] is None
    response = client.get(f"/api/reports/{item['id']}/triage")
    assert response.status_code == 404
    assert response.json["detail"] == "Not triaged yet"


def test_the_job_never_moves_a_report_back(client, auth, plant, send):
    item = send(plant["worker"], plant["north"])
    triage(item["id"])
    report = db.session.scalar(select(Report).where(Report.pk == report_pk(item["id"])))
    report.status = "in_progress"
    db.session.commit()
    triage(item["id"])
    assert db.session.get(Report, report.pk).status == "in_progress"


def test_a_report_waiting_for_photos_keeps_waiting_until_they_come(client, auth, plant, send):
    photo = {"sha256": "a" * 64, "content_type": "image/jpeg"}
    item = send(plant["worker"], plant["north"], photos=[photo])
    triage(item["id"])
    # Still waiting: the phone must keep being told which photos are missing.
    assert db.session.get(Report, report_pk(item["id"])).status == "awaiting_photos"
    assert triage_count() == 1
    make_photo_row(plant["organization"], "a" * 64)
    report_services.complete_reports_waiting_for(plant["organization"].id, "a" * 64, None)
    db.session.commit()
    triage(item["id"])
    assert db.session.get(Report, report_pk(item["id"])).status == "triaged"
    assert db.session.scalar(select(Triage.runs)) == 2


def test_a_missing_report_is_a_no_op(app):
    triage_report(987654)
    assert triage_count() == 0


def test_the_list_reads_all_triages_in_one_query(client, auth, plant, send, app):
    items = [send(plant["worker"], plant["north"], description=f"Trip {n}") for n in range(5)]
    for item in items:
        triage(item["id"])
    auth.login(plant["admin"].email)
    statements = []

    def count(_conn, _cursor, statement, *_args):
        if "FROM triage" in statement:
            statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        page = client.get("/api/reports").json["items"]
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert all(item["triage"] for item in page)
    assert len(statements) == 1
