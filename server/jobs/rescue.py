"""Outbox rows after they were sent: deleted once their job has run, sent again when it was lost.

A job is lost when Redis no longer holds it (Redis restarted without its data), when the
worker running it stopped beating (killed, machine gone) or died between taking and starting
it, or when its retry is long due and no scheduler queues it: the row, still there long after
it was sent, is put back to pending and the relay sends it again. Jobs are safe to run twice.
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
    registries = _Registries(job_queue())
    names = [job_id(message_id) for message_id in message_ids]
    lost, ended, dead = [], [], []
    for message_id, name, state in zip(message_ids, names, registries.states(names), strict=True):
        if state[0] is None:
            lost.append(message_id)
        elif registries.died(name, *state):
            dead.append(name)
            lost.append(message_id)
        elif state[0] not in WAITING:
            ended.append(message_id)
    registries.forget(dead)
    return lost, ended


class _Registries:
    """Where rq keeps a queue's jobs between the queue and their end, read once per rescue."""

    def __init__(self, queue):
        self.connection = queue.connection
        self.started = StartedJobRegistry(queue=queue)
        self.scheduled = ScheduledJobRegistry(queue=queue)
        self.handed_over = queue.intermediate_queue
        self.silent = set(self.started.get_expired_job_ids())
        handed_over = self.connection.lrange(self.handed_over.key, 0, -1)
        self.handed_over_ids = {entry.decode() for entry in handed_over}
        self.overdue = utcnow().timestamp() - rescue_after().total_seconds()

    def states(self, names: list[str]) -> list[tuple]:
        """Per job: its status, when its retry is due, when rq saw it taken but not started."""
        with self.connection.pipeline(transaction=False) as pipeline:
            for name in names:
                pipeline.hget(Job.key_for(name), "status")
                pipeline.zscore(self.scheduled.key, name)
                pipeline.get(self.handed_over.get_first_seen_key(name))
            replies = pipeline.execute()
        return [
            (status.decode() if status else None, due, float(seen) if seen else None)
            for status, due, seen in (replies[i : i + 3] for i in range(0, len(replies), 3))
        ]

    def died(self, name: str, status: str, due: float | None, seen: float | None) -> bool:
        """True when nothing will run this job any more: its worker or scheduler is gone."""
        if status == JobStatus.STARTED:
            return name in self.silent
        if status == JobStatus.SCHEDULED:
            # A retry long due that no scheduler has queued: the one holding the lock died.
            return due is None or due < self.overdue
        if status == JobStatus.QUEUED:
            # Taken from the queue by a worker that died before starting it: rq's clean-up
            # noted it then (seen), and it is still there.
            return name in self.handed_over_ids and seen is not None and seen < self.overdue
        return False

    def forget(self, names: list[str]) -> None:
        """Remove dead jobs, so that rq's own clean-up or scheduler does not run them again."""
        if not names:
            return
        entries = [
            entry
            for entry in self.connection.zrange(self.started.key, 0, -1)
            if self.started.parse_job_id(entry) in names
        ]
        with self.connection.pipeline() as pipeline:
            if entries:
                pipeline.zrem(self.started.key, *entries)
            pipeline.zrem(self.scheduled.key, *names)
            for name in names:
                pipeline.lrem(self.handed_over.key, 0, name)
                # rq's Job.delete() would read the dead executions, whose keys have expired.
                pipeline.delete(
                    Job.key_for(name),
                    ExecutionRegistry(name, self.connection).key,
                    self.handed_over.get_first_seen_key(name),
                )
            pipeline.execute()
