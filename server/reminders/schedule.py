"""Keeping the reminder scan on rq's schedule: one job of a fixed id, repeating itself.

rq's Repeat puts the job back on the scheduled registry each time it succeeds, under the same
id, in the same Redis transaction that records its success; the worker's scheduler (`flask
worker` runs with_scheduler) queues it when due. Redis keeps it across worker restarts. The
worker's sweep schedules it again when it is gone (Redis lost it, its retries ran out, its
repeats ended): only when its status shows it will not run again, checked and replaced in one
watched transaction, so it is never scheduled twice.
"""

import json
from datetime import timedelta

import redis
from flask import current_app
from rq import Repeat, Retry
from rq.job import Job, JobStatus
from rq.registry import FailedJobRegistry, FinishedJobRegistry

from server.dbtypes import utcnow
from server.jobs.queue import job_queue

SCAN_JOB_ID = "reminders-scan"
SCAN_FUNCTION = "server.reminders.jobs.scan_reminders"
# Statuses of a job that will still run, or is running, with no help.
WAITING = {JobStatus.QUEUED, JobStatus.SCHEDULED, JobStatus.DEFERRED, JobStatus.STARTED}
# rq counts a repeat down: this many runs is centuries of them.
REPEATS = 10**9
# A failing scan is tried again after these pauses (seconds); then the sweep starts it afresh.
RETRY = Retry(max=3, interval=[30, 120, 600])


def _status(connection: redis.Redis, key: str) -> str | None:
    status = connection.hget(key, "status")
    return status.decode() if status else None


def _interval() -> int:
    return max(1, int(current_app.config["REMINDER_INTERVAL"]))


def _in_hand(connection: redis.Redis, key: str) -> bool:
    """True when the scan will run again with no help, every REMINDER_INTERVAL as set now."""
    status, intervals = connection.hmget(key, "status", "repeat_intervals")
    status = status.decode() if status else None
    if status not in WAITING:
        return False
    # Scheduled to repeat at another interval (REMINDER_INTERVAL was changed): made again.
    return status != JobStatus.SCHEDULED or json.loads(intervals or "[]") == [_interval()]


def _scan_job(queue) -> Job:
    interval = _interval()
    return queue.create_job(
        SCAN_FUNCTION,
        job_id=SCAN_JOB_ID,
        status=JobStatus.SCHEDULED,
        repeat=Repeat(times=REPEATS, interval=interval),
        retry=RETRY,
        result_ttl=interval * 2 + 60,
        failure_ttl=7 * 24 * 3600,
        description="Reminders: actions, NC checks, register reviews, training, documents",
    )


def ensure_scheduled(delay: float = 0) -> int:
    """Schedule the scan unless it is scheduled, queued or running; returns 1 when it did.

    A scan scheduled at an interval other than REMINDER_INTERVAL is replaced (and runs at once).
    """
    queue = job_queue()
    key = Job.key_for(SCAN_JOB_ID)
    with queue.connection.pipeline() as pipeline:
        try:
            pipeline.watch(key)
            if _in_hand(pipeline, key):
                return 0
            job = _scan_job(queue)
            pipeline.multi()
            pipeline.delete(key)
            pipeline.zrem(FailedJobRegistry(queue=queue).key, SCAN_JOB_ID)
            pipeline.zrem(FinishedJobRegistry(queue=queue).key, SCAN_JOB_ID)
            queue.schedule_job(job, utcnow() + timedelta(seconds=delay), pipeline=pipeline)
            pipeline.execute()
        except redis.exceptions.WatchError:
            return 0  # another worker's sweep changed it meanwhile: it is theirs
    return 1


def scan_status() -> str | None:
    """The scan job's rq status, or None when Redis holds no such job."""
    return _status(job_queue().connection, Job.key_for(SCAN_JOB_ID))
