"""Asking for jobs, and looking after the ones that failed."""

from datetime import UTC

from flask import current_app
from rq.job import Job
from rq.registry import FailedJobRegistry
from sqlalchemy import insert, select

from server.auth.access import Actor
from server.dbtypes import utcnow
from server.exceptions import NotFound
from server.extensions import db
from server.jobs.models import OutboxMessage
from server.jobs.queue import job_queue
from server.jobs.registry import JobKind, job_kind
from server.records.registry import record_type

# The session's key for the (id, job, payload) of the rows it claimed, sent after its commit.
CLAIMED = "outbox_claimed"


def claim_for_this_commit() -> dict:
    """Columns that claim a new row for the relay that runs after this commit, if one will.

    Claimed with the insert, the row costs no claiming statement of its own, and no sweep takes
    it meanwhile; if this process dies before sending it, the claim expires and a sweep does.
    """
    if not current_app.config.get("REDIS_URL"):
        return {}
    return {"claimed_at": utcnow(), "attempts": 1}


def request_job(job: str, **payload) -> OutboxMessage:
    """Add an outbox row for job with plain-value arguments; the caller commits."""
    message = OutboxMessage(job=job, payload=payload)
    db.session.add(message)  # claimed as it is flushed (see server.jobs.relay)
    return message


def request_jobs(job: str, payloads: list[dict]) -> list[int]:
    """Add many outbox rows in one statement; the relay sends them after the caller commits."""
    claim = claim_for_this_commit()
    ids = list(
        db.session.scalars(
            insert(OutboxMessage).returning(OutboxMessage.id, sort_by_parameter_order=True),
            [{"job": job, "payload": payload, **claim} for payload in payloads],
        )
    )
    if claim:
        outbox = db.session.info.setdefault(CLAIMED, [])
        outbox.extend((i, job, payload) for i, payload in zip(ids, payloads, strict=True))
    return ids


def _visible_ids(actor: Actor, kind: str, pks: set) -> dict[int, object]:
    """Record pk to client id, for the records of this type among pks the actor may open."""
    model = record_type(kind).model
    stmt = record_type(kind).visible(actor, select(model.pk, model.id))
    return dict(db.session.execute(stmt.where(model.pk.in_(pks))).all())


def _kind_of(job: Job) -> JobKind | None:
    try:
        return job_kind(job.meta.get("job", ""))
    except LookupError:
        return None


def failed_jobs(actor: Actor) -> list[dict]:
    """The failed jobs about records the actor may open, newest first."""
    queue = job_queue()
    registry = FailedJobRegistry(queue=queue)
    fetched = Job.fetch_many(registry.get_job_ids(), connection=queue.connection)
    about: dict[str, list[tuple[Job, object]]] = {}
    for job in fetched:
        kind = _kind_of(job) if job is not None else None
        if kind and kind.record_type and job.kwargs.get(kind.record_key) is not None:
            about.setdefault(kind.record_type, []).append((job, job.kwargs[kind.record_key]))
    shown = []
    for type_name, jobs in about.items():
        ids = _visible_ids(actor, type_name, {pk for _, pk in jobs})
        shown += [(job, type_name, ids[pk]) for job, pk in jobs if pk in ids]
    shown.sort(key=lambda row: row[0].ended_at or row[0].created_at, reverse=True)
    return [_failed_view(job, type_name, record_id) for job, type_name, record_id in shown]


def _failed_view(job: Job, type_name: str, record_id) -> dict:
    return {
        "id": job.id,
        "job": job.meta.get("job", job.func_name),
        "record_type": type_name,
        "record_id": record_id,
        "report_id": record_id if type_name == "report" else None,
        "error": _last_error_line(job),
        "failed_at": job.ended_at.replace(tzinfo=UTC) if job.ended_at else None,
    }


def _last_error_line(job: Job) -> str:
    """The exception line of the job's last failure (the traceback stays in Redis)."""
    result = job.latest_result()
    lines = (result.exc_string or "").strip().splitlines() if result else []
    return lines[-1] if lines else ""


def retry_failed_job(actor: Actor, job_id: str) -> dict:
    """Put a failed job the actor may see back in the queue."""
    if job_id not in {job["id"] for job in failed_jobs(actor)}:
        raise NotFound(f"No failed job {job_id}.")
    FailedJobRegistry(queue=job_queue()).requeue(job_id)
    return {"id": job_id, "status": "queued"}
