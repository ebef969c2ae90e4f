"""The outbox relay: committed outbox rows become rq jobs, each exactly once per claim."""

import logging

import redis
from flask import Flask, current_app
from rq import Queue, Retry
from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from server.dbtypes import utcnow
from server.extensions import db
from server.jobs.models import OutboxMessage
from server.jobs.queue import QueueUnavailable, job_queue
from server.jobs.services import BUILD_ANALYSIS, TRIAGE_REPORT

log = logging.getLogger(__name__)

# Outbox job names to the importable functions rq runs.
JOB_FUNCTIONS = {
    TRIAGE_REPORT: "server.triage.jobs.triage_report",
    BUILD_ANALYSIS: "server.ishikawa.jobs.build_analysis",
}
RETRY = Retry(max=5, interval=[5, 30, 120, 600, 1800])
FAILED_JOB_TTL = 90 * 24 * 3600


def _claim(message_ids: list[int]) -> list[tuple[int, str, dict]]:
    """Mark pending rows as sent in one statement; rows another relay took are left out."""
    with db.engine.begin() as connection:
        return connection.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(message_ids), OutboxMessage.sent_at.is_(None))
            .values(sent_at=utcnow(), attempts=OutboxMessage.attempts + 1)
            .returning(OutboxMessage.id, OutboxMessage.job, OutboxMessage.payload)
        ).all()


def _release(message_ids: list[int], error: Exception) -> None:
    """Put claimed rows back to pending after the queue refused them."""
    with db.engine.begin() as connection:
        connection.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(message_ids))
            .values(sent_at=None, last_error=str(error)[:500])
        )


def relay(message_ids: list[int] | None = None, limit: int = 500) -> int:
    """Send these (or all pending) outbox rows to the queue; returns how many were sent."""
    if message_ids is None:
        message_ids = list(
            db.session.scalars(
                select(OutboxMessage.id)
                .where(OutboxMessage.sent_at.is_(None))
                .order_by(OutboxMessage.id)
                .limit(limit)
            )
        )
        db.session.commit()
    claimed = _claim(message_ids) if message_ids else []
    if not claimed:
        return 0
    queue = job_queue()
    jobs = [
        Queue.prepare_data(
            JOB_FUNCTIONS[job],
            kwargs=payload,
            job_id=f"outbox-{message_id}",
            retry=RETRY,
            failure_ttl=FAILED_JOB_TTL,
            meta={"outbox_id": message_id, "job": job},
        )
        for message_id, job, payload in claimed
    ]
    try:
        queue.enqueue_many(jobs)
    except redis.exceptions.RedisError as error:
        _release([message_id for message_id, _, _ in claimed], error)
        raise
    return len(claimed)


def _remember_new_messages(session: Session, _context) -> None:
    new = [obj.id for obj in session.new if isinstance(obj, OutboxMessage)]
    if new:
        session.info.setdefault("outbox_ids", []).extend(new)


def _relay_after_commit(session: Session) -> None:
    """Right after a commit, try to queue its outbox rows; the sweep retries what fails."""
    message_ids = session.info.pop("outbox_ids", None)
    if not message_ids or not current_app.config.get("REDIS_URL"):
        return
    try:
        relay(message_ids)
    except (redis.exceptions.RedisError, QueueUnavailable) as error:
        log.warning("Outbox relay postponed (%s); the sweep will send %s later", error, message_ids)


def _forget_on_rollback(session: Session, _previous_transaction) -> None:
    session.info.pop("outbox_ids", None)


def init_app(app: Flask) -> None:
    """Relay outbox rows after every commit of the app's sessions."""
    if app.extensions.get("outbox_relay"):
        return
    app.extensions["outbox_relay"] = True
    session_class = db.session.session_factory.class_
    if not event.contains(session_class, "after_commit", _relay_after_commit):
        event.listen(session_class, "after_flush", _remember_new_messages)
        event.listen(session_class, "after_commit", _relay_after_commit)
        event.listen(session_class, "after_soft_rollback", _forget_on_rollback)
