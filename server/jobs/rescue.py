"""Outbox rows after they were sent: deleted once their job has run, sent again when it was lost.

A job is lost when Redis no longer holds it (Redis restarted without its data) or when the
worker running it stopped beating (killed, machine gone): the row, still there long after it
was sent, is put back to pending and the relay sends it again. Jobs are safe to run twice.
"""

import logging

from rq.executions import ExecutionRegistry
from rq.job import Job, JobStatus
from rq.registry import ScheduledJobRegistry, StartedJobRegistry
from sqlalchemy import delete, select, update

from server.dbtypes import utcnow
from server.extensions import db
from server.jobs.models import OutboxMessage
from server.jobs.queue import job_queue
from server.jobs.relay import job_id, rescue_after

log = logging.getLogger(__name__)

# Statuses of a job that will still run, or is running, with no help.
WAITING = {JobStatus.QUEUED, JobStatus.SCHEDULED, JobStatus.DEFERRED, JobStatus.STARTED}


class OutboxJob(Job):
    """An rq job that deletes its outbox row once its function has returned."""

    def perform(self):
        result = super().perform()
        message_id = self.meta.get("outbox_id")
        if message_id is not None:
            done([message_id])
        return result


def done(message_ids: list[int]) -> None:
    """Delete the outbox rows of jobs that have run (or failed for good)."""
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.id.in_(message_ids)))
    db.session.commit()


def rescue(limit: int = 500) -> int:
    """Put lost jobs' rows back to pending and delete rows of ended jobs; returns how many lost."""
    cutoff = utcnow() - rescue_after()
    message_ids = list(
        db.session.scalars(
            select(OutboxMessage.id)
            .where(OutboxMessage.sent_at < cutoff)
            .order_by(OutboxMessage.sent_at)
            .limit(limit)
        )
    )
    db.session.commit()
    if not message_ids:
        return 0
    lost, ended = _judge(message_ids)
    if ended:
        done(ended)
    if lost:
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(lost), OutboxMessage.sent_at < cutoff)
            .values(sent_at=None, claimed_at=None, last_error="lost: sent again")
        )
        db.session.commit()
        log.warning("%d job(s) lost with Redis or with their worker: sending them again", len(lost))
    return len(lost)


def _judge(message_ids: list[int]) -> tuple[list[int], list[int]]:
    """Which rows' jobs were lost, and which ended without deleting their row."""
    queue = job_queue()
    started = StartedJobRegistry(queue=queue)
    scheduled = ScheduledJobRegistry(queue=queue)
    with queue.connection.pipeline(transaction=False) as pipeline:
        for message_id in message_ids:
            pipeline.hget(Job.key_for(job_id(message_id)), "status")
            pipeline.zscore(scheduled.key, job_id(message_id))
        replies = pipeline.execute()
    silent = set(started.get_expired_job_ids())
    overdue = utcnow().timestamp() - rescue_after().total_seconds()
    lost, ended, dead = [], [], []
    for message_id, status, due in zip(message_ids, replies[::2], replies[1::2], strict=True):
        name = job_id(message_id)
        status = status.decode() if status else None
        if status is None:
            lost.append(message_id)
        elif (status == JobStatus.STARTED and name in silent) or (
            # A retry long due that no scheduler has queued: the one holding the lock died.
            status == JobStatus.SCHEDULED and (due is None or due < overdue)
        ):
            dead.append(name)
            lost.append(message_id)
        elif status not in WAITING:
            ended.append(message_id)
    _forget_jobs(started, scheduled, dead)
    return lost, ended


def _forget_jobs(started: StartedJobRegistry, scheduled: ScheduledJobRegistry, names: list[str]):
    """Remove dead jobs, so that rq's own clean-up or scheduler does not run them once more."""
    if not names:
        return
    connection = started.connection
    entries = [
        entry
        for entry in connection.zrange(started.key, 0, -1)
        if started.parse_job_id(entry) in names
    ]
    with connection.pipeline() as pipeline:
        if entries:
            pipeline.zrem(started.key, *entries)
        pipeline.zrem(scheduled.key, *names)
        # rq's Job.delete() would read the dead executions, whose own keys have expired.
        for name in names:
            pipeline.delete(Job.key_for(name), ExecutionRegistry(name, connection).key)
        pipeline.execute()
