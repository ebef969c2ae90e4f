"""Every outbox row's job runs, whatever dies on the way: the relay, Redis, or the worker.

Real `flask worker` processes on a redis-server of the test's own; the job is an Ishikawa build,
which nothing but the outbox brings back once lost.
"""

import os
import signal
import subprocess
import sys
import threading
import uuid

import sqlalchemy as sa
from sqlalchemy import func, select

from server.extensions import db
from server.ishikawa.models import Analysis
from server.jobs.models import OutboxMessage
from server.reports.models import Report
from tests.factories import PASSWORD, make_organization, make_site, make_user, report_item
from tests.jobs.conftest import job_running, wait_until
from tests.workers import ROOT

RESCUE = {"JOB_RESCUE_AFTER": 2}


def signed_in_client(app, user):
    client = app.test_client()
    client.post("/api/auth/login", json={"email": user.email, "password": PASSWORD})
    return client


def a_report_and_its_officer(app) -> tuple[str, object]:
    """A synced report, and a client signed in as an officer who may ask for its analysis."""
    organization = make_organization()
    site = make_site(organization)
    item = report_item(site.id, description="Forklift skidded on oil by the loading bay door")
    signed_in_client(app, make_user(organization)).post("/api/sync", json={"reports": [item]})
    return item["id"], signed_in_client(app, make_user(organization, role="officer"))


def analysis_status(report_id: str) -> str | None:
    db.session.expire_all()
    status = db.session.scalar(
        select(Analysis.status).join(Report).where(Report.id == uuid.UUID(report_id))
    )
    db.session.commit()
    return status


def outbox_rows() -> int:
    count = db.session.scalar(select(func.count()).select_from(OutboxMessage))
    db.session.commit()
    return count


def test_a_relay_killed_before_redis_took_the_job_loses_nothing(
    make_app, private_app, private_redis, private_worker
):
    quiet = make_app()  # no Redis: the analysis request stays in the outbox, unsent
    report_id, officer = a_report_and_its_officer(quiet)
    assert officer.post(f"/api/reports/{report_id}/analysis").status_code == 202
    with quiet.app_context():
        db.engine.dispose()
    [message] = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.job == "build_analysis")
    )
    db.session.commit()

    os.kill(private_redis.process.pid, signal.SIGSTOP)  # Redis takes connections, answers nothing
    relaying = subprocess.Popen(
        [sys.executable, "-m", "tests.jobs.relay_once"],
        cwd=ROOT,
        env={
            **os.environ,
            "DATABASE_URL": private_app.config["SQLALCHEMY_DATABASE_URI"],
            "REDIS_URL": private_redis.url,
            "SECRET_KEY": "test-secret",
            "MEDIA_ROOT": private_app.config["MEDIA_ROOT"],
        },
    )
    try:
        # The relay has claimed the row and now waits on Redis: it dies there.
        wait_until(
            lambda: db.session.get(OutboxMessage, message.id, populate_existing=True).attempts
        )
        db.session.commit()
    finally:
        relaying.kill()
        relaying.wait()
        os.kill(private_redis.process.pid, signal.SIGCONT)

    private_worker(**RESCUE)
    wait_until(lambda: analysis_status(report_id) == "ready", timeout=40)
    wait_until(lambda: outbox_rows() == 0)


def test_jobs_that_redis_lost_are_sent_again(private_app, private_redis, private_worker):
    report_id, officer = a_report_and_its_officer(private_app)
    assert officer.post(f"/api/reports/{report_id}/analysis").status_code == 202
    assert all(message.sent_at for message in db.session.scalars(select(OutboxMessage)))
    db.session.commit()

    private_redis.stop()  # with it, every job it held
    private_redis.start()
    private_worker(**RESCUE)
    wait_until(lambda: analysis_status(report_id) == "ready", timeout=40)
    wait_until(lambda: outbox_rows() == 0)


def _hold_the_analysis(app, report_id: str, release: threading.Event, held: threading.Event):
    """Keep the analysis row locked (PostgreSQL) or the whole database (SQLite) until release."""
    engine = sa.create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    with engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.execute(
                sa.text(
                    "SELECT 1 FROM analysis JOIN report ON report.pk = analysis.report_pk"
                    " WHERE report.id = :id FOR UPDATE OF analysis"
                ),
                {"id": uuid.UUID(report_id)},
            )
        held.set()
        release.wait(60)
        connection.rollback()
    engine.dispose()


def test_a_worker_killed_mid_build_still_leaves_the_analysis_built(
    private_app, private_redis, private_worker
):
    report_id, officer = a_report_and_its_officer(private_app)
    triaging = private_worker(**RESCUE)
    wait_until(lambda: outbox_rows() == 0)  # the report's triage has run
    triaging.stop()
    release, held = threading.Event(), threading.Event()
    holder = threading.Thread(
        target=_hold_the_analysis, args=(private_app, report_id, release, held)
    )
    try:
        assert officer.post(f"/api/reports/{report_id}/analysis").status_code == 202
        holder.start()
        held.wait(10)
        first = private_worker(**RESCUE)
        wait_until(job_running)  # the build runs, stuck
        first.kill()
    finally:
        release.set()
        if holder.is_alive():
            holder.join()
    assert analysis_status(report_id) == "requested"

    private_worker(**RESCUE)
    wait_until(lambda: analysis_status(report_id) == "ready", timeout=40)
    wait_until(lambda: outbox_rows() == 0)
