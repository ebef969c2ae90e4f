"""The outbox relay: committed outbox rows become rq jobs, marked sent once Redis has them."""

import logging
from datetime import timedelta

import redis
from flask import Flask, current_app
from rq import Queue, Retry
from sqlalchemy import event, or_, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from server.dbtypes import utcnow
from server.extensions import db
from server.jobs.models import OutboxMessage
from server.jobs.queue import QueueUnavailable, job_queue
from server.jobs.registry import job_kind
from server.jobs.services import CLAIMED, claim_for_this_commit

log = logging.getLogger(__name__)

RETRY = Retry(max=5, interval=[5, 30, 120, 600, 1800])
FAILED_JOB_TTL = 90 * 24 * 3600

Message = tuple[int, str, dict]


def rescue_after() -> timedelta:
    """How long a claim, or a sent job showing no sign of life, is waited for (JOB_RESCUE_AFTER)."""
    return timedelta(seconds=float(current_app.config["JOB_RESCUE_AFTER"]))


def job_id(message_id: int) -> str:
    """The rq job id of an outbox row."""
    return f"outbox-{message_id}"


def _unclaimed():
    """Rows not sent and not claimed, or whose claim was lost with its relay."""
    return OutboxMessage.sent_at.is_(None) & or_(
        OutboxMessage.claimed_at.is_(None), OutboxMessage.claimed_at < utcnow() - rescue_after()
    )


def _claim(message_ids: list[int] | None, limit: int) -> list[Message]:
    """Claim these (or the oldest) unclaimed rows in one statement; others' claims are left out."""
    if message_ids is None:
        # Read first: on SQLite an UPDATE takes the write lock even when it matches nothing.
        message_ids = list(
            db.session.scalars(
                select(OutboxMessage.id).where(_unclaimed()).order_by(OutboxMessage.id).limit(limit)
            )
        )
        db.session.commit()
    if not message_ids:
        return []
    with db.engine.begin() as connection:
        return connection.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(message_ids), _unclaimed())
            .values(claimed_at=utcnow(), attempts=OutboxMessage.attempts + 1)
            .returning(OutboxMessage.id, OutboxMessage.job, OutboxMessage.payload)
        ).all()


def _set(message_ids: list[int], **values) -> None:
    """Update these rows in a transaction of their own."""
    with db.engine.begin() as connection:
        connection.execute(
            update(OutboxMessage).where(OutboxMessage.id.in_(message_ids)).values(**values)
        )


def send(messages: list[Message]) -> int:
    """Queue claimed rows, then mark them sent; on a Redis error release them and raise."""
    if not messages:
        return 0
    jobs = [
        Queue.prepare_data(
            job_kind(job).function,
            kwargs=payload,
            job_id=job_id(message_id),
            retry=RETRY,
            failure_ttl=FAILED_JOB_TTL,
            meta={"outbox_id": message_id, "job": job},
        )
        for message_id, job, payload in messages
    ]
    message_ids = [message_id for message_id, _, _ in messages]
    try:
        job_queue().enqueue_many(jobs)
    except redis.exceptions.RedisError as error:
        _set(message_ids, claimed_at=None, last_error=str(error)[:500])
        raise
    # Only now: a crash before this line leaves the rows claimed, and a sweep sends them again.
    _set(message_ids, sent_at=utcnow())
    return len(messages)


def relay(message_ids: list[int] | None = None, limit: int = 500) -> int:
    """Send these (or the oldest unclaimed) outbox rows to the queue; returns how many were sent."""
    return send(_claim(message_ids, limit))


def _claim_new_messages(session: Session, _context, _instances) -> None:
    """Claim the session's new outbox rows for the relay after its commit, as they are inserted."""
    new = [obj for obj in session.new if isinstance(obj, OutboxMessage) and obj.claimed_at is None]
    claim = claim_for_this_commit() if new else {}
    for message in new:
        for column, value in claim.items():
            setattr(message, column, value)


def _remember_new_messages(session: Session, _context) -> None:
    claimed = [
        (obj.id, obj.job, obj.payload)
        for obj in session.new
        if isinstance(obj, OutboxMessage) and obj.claimed_at is not None
    ]
    if claimed:
        session.info.setdefault(CLAIMED, []).extend(claimed)


def _relay_after_commit(session: Session) -> None:
    """Right after a commit, queue the rows it claimed; the sweep sends what this cannot."""
    messages = session.info.pop(CLAIMED, None)
    if not messages or not current_app.config.get("REDIS_URL"):
        return
    try:
        send(messages)
    except (redis.exceptions.RedisError, QueueUnavailable, SQLAlchemyError) as error:
        # The commit stands: what was not sent is released or its claim expires.
        log.warning(
            "Outbox relay postponed (%s); the sweep will send %d later", error, len(messages)
        )


def _forget_on_rollback(session: Session, _previous_transaction) -> None:
    session.info.pop(CLAIMED, None)


def init_app(app: Flask) -> None:
    """Relay outbox rows after every commit of the app's sessions."""
    if app.extensions.get("outbox_relay"):
        return
    app.extensions["outbox_relay"] = True
    session_class = db.session.session_factory.class_
    if not event.contains(session_class, "after_commit", _relay_after_commit):
        event.listen(session_class, "before_flush", _claim_new_messages)
        event.listen(session_class, "after_flush", _remember_new_messages)
        event.listen(session_class, "after_commit", _relay_after_commit)
        event.listen(session_class, "after_soft_rollback", _forget_on_rollback)
