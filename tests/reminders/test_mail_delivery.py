"""Reminders by mail from a real worker to a real SMTP server: once each, and retried when down."""

import time
from datetime import timedelta

import pytest
from rq.registry import ScheduledJobRegistry

from server.extensions import db
from server.jobs.queue import job_queue
from server.orgs.zones import local_day
from tests.factories import make_organization, make_site, make_user
from tests.jobs.conftest import wait_until
from tests.redis_server import free_port
from tests.reminders.conftest import calm_zone, notifications
from tests.reminders.factories import make_action, make_nonconformity


@pytest.fixture
def overdue(queued_app):
    """An owner with an action due today and one 8 days overdue, and the site's officer."""
    zone, now = calm_zone()
    organization = make_organization()
    site = make_site(organization)
    site.time_zone = zone
    db.session.commit()
    owner = make_user(organization, email="ann@plant.example")
    officer = make_user(organization, role="officer", sites=[site], email="olu@plant.example")
    nc = make_nonconformity(site, title="Guard missing on press 4")
    today = local_day(now, zone)
    make_action(nc, owner, due_on=today, title="Fit an interlocked guard")
    make_action(nc, owner, due_on=today - timedelta(days=8), title="Train the night shift")
    return owner, officer


def mail_waits_for_its_retry() -> bool:
    """True once a mail job has failed and is scheduled to run again."""
    scheduled = ScheduledJobRegistry(queue=job_queue()).get_job_ids()
    return any(name.startswith("outbox-") for name in scheduled)


def by_recipient(server) -> dict:
    return {message["To"]: message for message in server.messages()}


def test_each_person_gets_one_mail_however_often_the_scan_runs(
    queued_app, worker_process, smtp, overdue
):
    owner, officer = overdue
    server = smtp()
    worker_process(MAIL_URL=server.url, REMINDER_INTERVAL=1)
    wait_until(lambda: len(server.messages()) >= 2, timeout=40)
    wait_until(lambda: all(n.mailed_at for n in notifications()), timeout=20)
    runs_seen = len(notifications())
    time.sleep(3)  # several more scans run meanwhile: nothing new is told or mailed
    assert len(server.messages()) == 2 and len(notifications()) == runs_seen == 3
    mails = by_recipient(server)
    assert mails["ann@plant.example"]["Subject"] == "Safeloop: 2 reminders"
    text = mails["ann@plant.example"].get_payload(decode=True).decode()
    assert "Action due today" in text and "Fit an interlocked guard" in text
    assert "Action overdue by 8 days: the site's officers are told" in text
    assert mails["olu@plant.example"]["Subject"] == "Action overdue by 8 days"
    assert "Train the night shift" in mails["olu@plant.example"].get_payload(decode=True).decode()
    assert [n.kind for n in notifications(officer)] == ["action_escalated"]


def test_mail_down_keeps_the_notification_and_mails_it_when_back(
    queued_app, worker_process, smtp, overdue
):
    owner, _ = overdue
    port = free_port()  # nothing listens there yet
    worker_process(MAIL_URL=f"smtp://127.0.0.1:{port}", REMINDER_INTERVAL=1)
    wait_until(lambda: len(notifications(owner)) == 2, timeout=40)
    wait_until(mail_waits_for_its_retry)
    assert all(n.mailed_at is None for n in notifications()), "shown in the app all the same"
    back = smtp(port=port)
    wait_until(lambda: len(back.messages()) == 2, timeout=40)
    wait_until(lambda: all(n.mailed_at for n in notifications()), timeout=20)
    assert sorted(by_recipient(back)) == ["ann@plant.example", "olu@plant.example"]
