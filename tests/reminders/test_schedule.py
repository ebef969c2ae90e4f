"""The scan on rq's own schedule: a real worker runs it again and again, under one job id."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from rq.exceptions import NoSuchJobError
from rq.job import Job
from rq.registry import ScheduledJobRegistry

from server.extensions import db
from server.jobs.queue import job_queue
from server.orgs.zones import local_day
from server.reminders.schedule import SCAN_JOB_ID, ensure_scheduled, scan_status
from tests.factories import make_organization, make_site, make_user
from tests.jobs.conftest import flush, wait_until
from tests.reminders.conftest import calm_zone, notifications
from tests.reminders.factories import make_action, make_nonconformity


def runs() -> int:
    """How many times the scan has run to its end (rq keeps one result per run)."""
    try:
        job = Job.fetch(SCAN_JOB_ID, connection=job_queue().connection)
    except NoSuchJobError:
        return 0
    return len(job.results())


def times_held() -> int:
    """In how many places Redis holds the scan to run: scheduled, or queued."""
    queue = job_queue()
    scheduled = ScheduledJobRegistry(queue=queue).get_job_ids()
    return scheduled.count(SCAN_JOB_ID) + queue.get_job_ids().count(SCAN_JOB_ID)


@pytest.fixture
def due_action(queued_app):
    """An action due today at a site whose day is far from its end."""
    zone, now = calm_zone()
    organization = make_organization()
    site = make_site(organization)
    site.time_zone = zone
    db.session.commit()
    owner = make_user(organization)
    make_action(make_nonconformity(site), owner, due_on=local_day(now, zone))
    return owner


def test_the_worker_keeps_the_scan_scheduled_and_tells_once(queued_app, worker_process, due_action):
    worker_process(REMINDER_INTERVAL=1)
    wait_until(lambda: runs() >= 3, timeout=30)
    assert [n.kind for n in notifications(due_action)] == ["action_due_today"]
    assert scan_status() in ("scheduled", "queued", "started")
    assert times_held() <= 1


def test_the_schedule_outlives_a_worker_restart(queued_app, worker_process, due_action):
    first = worker_process(REMINDER_INTERVAL=1)
    wait_until(lambda: runs() >= 1, timeout=30)
    first.stop()
    before = runs()
    assert scan_status() == "scheduled", "rq keeps the next run while no worker is up"
    worker_process(REMINDER_INTERVAL=1)
    wait_until(lambda: runs() >= before + 2, timeout=30)
    assert len(notifications(due_action)) == 1


def test_a_lost_schedule_is_made_again_by_the_sweep(queued_app, worker_process, redis_url):
    worker_process(REMINDER_INTERVAL=1)
    wait_until(lambda: scan_status() is not None, timeout=30)
    flush(redis_url)  # Redis lost everything, the schedule with it
    wait_until(lambda: scan_status() is not None, timeout=30)
    wait_until(lambda: runs() >= 1, timeout=30)


def test_scheduling_it_again_and_again_at_once_holds_it_once(queued_app):
    made = []
    start = threading.Barrier(8, timeout=20)

    def ensure():
        with queued_app.app_context():
            start.wait()
            made.append(ensure_scheduled(delay=60))

    threads = [threading.Thread(target=ensure) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(made) == [0] * 7 + [1]
    assert times_held() == 1 and scan_status() == "scheduled"
    assert ensure_scheduled() == 0


def test_a_failed_scan_is_scheduled_afresh(queued_app):
    ensure_scheduled(delay=3600)
    job = Job.fetch(SCAN_JOB_ID, connection=job_queue().connection)
    job.set_status("failed")
    assert ensure_scheduled() == 1
    job = Job.fetch(SCAN_JOB_ID, connection=job_queue().connection)
    assert job.get_status() == "scheduled" and times_held() == 1
    due = ScheduledJobRegistry(queue=job_queue()).get_scheduled_time(SCAN_JOB_ID)
    assert due < datetime.now(UTC) + timedelta(minutes=1), "at once, not an hour on"


def test_a_new_reminder_interval_replaces_the_schedule(make_app, queued_app):
    ensure_scheduled(delay=3600)
    assert ensure_scheduled() == 0
    changed = make_app(REDIS_URL=queued_app.config["REDIS_URL"], REMINDER_INTERVAL=60)
    with changed.app_context():
        assert ensure_scheduled() == 1
        assert ensure_scheduled() == 0
        job_queue().connection.close()
    job = Job.fetch(SCAN_JOB_ID, connection=job_queue().connection)
    assert job.repeat_intervals == [60] and times_held() == 1
