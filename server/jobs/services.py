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
from server.reports.models import Report

TRIAGE_REPORT = "triage_report"
BUILD_ANALYSIS = "build_analysis"
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


def _visible_report_ids(actor: Actor, report_pks: set[int]) -> dict[int, object]:
    """Report pk to report id, for the reports among these the actor may see."""
    rows = db.session.execute(
        actor.scope(select(Report.pk, Report.id), Report).where(Report.pk.in_(report_pks))
    )
    return dict(rows.all())


def failed_jobs(actor: Actor) -> list[dict]:
    """The failed jobs about reports the actor may see, newest first."""
    queue = job_queue()
    registry = FailedJobRegistry(queue=queue)
    jobs = [
        job
        for job in Job.fetch_many(registry.get_job_ids(), connection=queue.connection)
        if job is not None
    ]
    report_ids = _visible_report_ids(actor, {j.kwargs.get("report_pk") for j in jobs} - {None})
    visible = [job for job in jobs if job.kwargs.get("report_pk") in report_ids]
    return [
        {
            "id": job.id,
            "job": job.meta.get("job", job.func_name),
            "report_id": report_ids[job.kwargs["report_pk"]],
            "error": _last_error_line(job),
            "failed_at": job.ended_at.replace(tzinfo=UTC) if job.ended_at else None,
        }
        for job in sorted(visible, key=lambda j: j.ended_at or j.created_at, reverse=True)
    ]


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
