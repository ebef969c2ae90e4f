"""Reports are triaged by real worker processes, whatever happens to the worker or to Redis."""

import threading
import time
import uuid

import sqlalchemy as sa
from sqlalchemy import func, select

from server.extensions import db
from server.jobs.embedded_redis import EmbeddedRedis
from server.reports.models import Report
from server.triage.models import Triage
from tests.factories import (
    PASSWORD,
    make_organization,
    make_photo_row,
    make_site,
    make_user,
    report_item,
)
from tests.jobs.conftest import job_running, wait_until
from tests.workers import WorkerProcess


def signed_in_client(app, user):
    client = app.test_client()
    client.post("/api/auth/login", json={"email": user.email, "password": PASSWORD})
    return client


def status_of(report_id: str) -> str:
    db.session.expire_all()
    return db.session.scalar(select(Report.status).where(Report.id == uuid.UUID(report_id)))


def triage_rows() -> int:
    return db.session.scalar(select(func.count()).select_from(Triage))


def test_a_synced_report_is_triaged_by_a_worker(queued_app, worker_process):
    organization = make_organization()
    site = make_site(organization)
    client = signed_in_client(queued_app, make_user(organization))
    worker_process()
    item = report_item(site.id, description="Exposed live cable in the plant room")
    client.post("/api/sync", json={"reports": [item]})

    wait_until(lambda: status_of(item["id"]) == "triaged")
    report = client.get(f"/api/reports/{item['id']}").json
    assert report["triage"]["category"] == "electrical"
    changes = client.get("/api/sync?since=0").json["changes"]
    assert [c["status"] for c in changes if c["id"] == item["id"]] == ["triaged"]


def test_one_worker_loads_the_meaning_model_once_for_all_its_reports(
    queued_app, redis_url, tmp_path
):
    organization = make_organization()
    site = make_site(organization)
    client = signed_in_client(queued_app, make_user(organization))
    log_path = tmp_path / "worker.log"
    with log_path.open("w") as output:
        worker = WorkerProcess(queued_app, redis_url, output=output).start()
        try:
            items = [
                report_item(site.id, description="wyciek oleju przy prasie 4, ślisko"),
                report_item(site.id, description="Gerüst ohne Geländer an der Ostseite"),
                report_item(site.id, description="cable pelado en el cuadro eléctrico"),
            ]
            client.post("/api/sync", json={"reports": items})
            for item in items:
                wait_until(lambda item=item: status_of(item["id"]) == "triaged")
        finally:
            worker.stop()
    log = log_path.read_text()
    assert log.count("Meaning model") == 1, log
    # Loaded at start, before the worker took its first job.
    assert log.index("Meaning model") < log.index("triage_report")
    languages = {
        client.get(f"/api/reports/{item['id']}").json["triage"]["language"] for item in items
    }
    assert languages == {"pl", "de", "es"}


def _hold_the_database(app, report_pk: int, release: threading.Event, held: threading.Event):
    """Keep the report locked (PostgreSQL) or the whole database (SQLite) until release."""
    engine = sa.create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    with engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.execute(
                sa.text("SELECT 1 FROM report WHERE pk = :pk FOR UPDATE"), {"pk": report_pk}
            )
        held.set()
        release.wait(60)
        connection.rollback()
    engine.dispose()


def test_a_worker_killed_mid_job_still_leaves_the_report_triaged_once(queued_app, worker_process):
    organization = make_organization()
    site = make_site(organization)
    client = signed_in_client(queued_app, make_user(organization))
    item = report_item(site.id)
    client.post("/api/sync", json={"reports": [item]})
    report_pk = db.session.scalar(select(Report.pk).where(Report.id == uuid.UUID(item["id"])))
    db.session.commit()

    release, held = threading.Event(), threading.Event()
    holder = threading.Thread(
        target=_hold_the_database, args=(queued_app, report_pk, release, held)
    )
    holder.start()
    held.wait(10)
    first = worker_process(JOB_RESCUE_AFTER=2)
    wait_until(job_running)  # the job is running, stuck on the lock
    first.kill()
    release.set()
    holder.join()

    worker_process(JOB_RESCUE_AFTER=2)
    wait_until(lambda: status_of(item["id"]) == "triaged", timeout=40)
    assert triage_rows() == 1


def test_reports_are_accepted_while_redis_is_down_and_triaged_when_it_returns(make_app, tmp_path):
    private = EmbeddedRedis(tmp_path / "redis").start()
    app = make_app(REDIS_URL=private.url)
    with app.app_context():
        organization = make_organization()
        site = make_site(organization)
        client = signed_in_client(app, make_user(organization))
        private.stop()
        items = [report_item(site.id) for _ in range(3)]
        response = client.post("/api/sync", json={"reports": items})
        assert response.status_code == 200
        assert [r["status"] for r in response.json["results"]] == ["created"] * 3

        private.start()
        worker = WorkerProcess(app, private.url).start()
        try:
            wait_until(lambda: all(status_of(i["id"]) == "triaged" for i in items), timeout=40)
        finally:
            worker.stop()
            app.extensions["redis"]["client"].close()
            private.stop()
        assert triage_rows() == 3


def test_the_sweep_completes_a_report_whose_photos_are_all_held(queued_app, worker_process):
    organization = make_organization()
    site = make_site(organization)
    client = signed_in_client(queued_app, make_user(organization))
    sha = "f" * 64
    item = report_item(site.id, photos=[{"sha256": sha, "content_type": "image/jpeg"}])
    client.post("/api/sync", json={"reports": [item]})
    assert status_of(item["id"]) == "awaiting_photos"
    make_photo_row(organization, sha)  # held now, but its completion was lost with its process

    worker_process()
    wait_until(lambda: status_of(item["id"]) == "triaged", timeout=40)


def alive(worker: WorkerProcess) -> bool:
    return worker.process.poll() is None


def all_triaged(items) -> bool:
    triaged = all(status_of(i["id"]) == "triaged" for i in items)
    db.session.commit()
    return triaged


def test_the_worker_outlives_redis_going_away_while_idle(
    private_app, private_redis, private_worker
):
    organization = make_organization()
    site = make_site(organization)
    client = signed_in_client(private_app, make_user(organization))
    worker = private_worker(JOB_RESCUE_AFTER=2)
    before = [report_item(site.id)]
    client.post("/api/sync", json={"reports": before})
    wait_until(lambda: all_triaged(before))

    private_redis.stop()
    after = [report_item(site.id) for _ in range(3)]
    client.post("/api/sync", json={"reports": after})  # accepted: the outbox keeps the jobs
    time.sleep(3)  # long enough for a worker that gives up to have exited
    assert alive(worker)
    private_redis.start()
    wait_until(lambda: all_triaged(after), timeout=40)
    assert alive(worker)
    assert triage_rows() == 4


def test_the_worker_outlives_redis_going_away_mid_job(private_app, private_redis, private_worker):
    organization = make_organization()
    site = make_site(organization)
    client = signed_in_client(private_app, make_user(organization))
    items = [report_item(site.id) for _ in range(3)]
    client.post("/api/sync", json={"reports": items})
    first_pk = db.session.scalar(select(Report.pk).where(Report.id == uuid.UUID(items[0]["id"])))
    db.session.commit()

    release, held = threading.Event(), threading.Event()
    holder = threading.Thread(
        target=_hold_the_database, args=(private_app, first_pk, release, held)
    )
    holder.start()
    try:
        held.wait(10)
        worker = private_worker(JOB_RESCUE_AFTER=2)
        wait_until(job_running)  # a triage runs, stuck
        private_redis.stop()
    finally:
        release.set()
        holder.join()
    time.sleep(3)  # the job ends while Redis is gone
    assert alive(worker)
    private_redis.start()  # empty: the queued jobs are gone with the old one
    wait_until(lambda: all_triaged(items), timeout=60)
    assert alive(worker)
    assert triage_rows() == 3
