"""The reports list of /api/sync: each item answered on its own, the batch saved in one go."""

import uuid

import marshmallow as ma
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from server.auth.access import Actor
from server.dbtypes import utcnow
from server.events.services import record_events
from server.extensions import db
from server.jobs.services import request_jobs
from server.media.attachments import attach, held_photos
from server.records.identity import CONFLICT, CREATED, DUPLICATE, rejected, resend_status
from server.reports.models import AWAITING_PHOTOS as AWAITING
from server.reports.models import RECEIVED, Report
from server.reports.schemas import ReportIn
from server.reports.services import (
    RECORD_TYPE,
    ask_on_receipt,
    complete_held,
    content_hash,
    may_open,
)
from server.sites.services import visible_site_ids

MISSING_PHOTOS = "missing_photos"
# Schemas are reusable; building one per item would cost more than loading the item.
REPORT_IN = ReportIn()


def sync_reports(actor: Actor, items: list) -> list[dict]:
    """Validate each item on its own (one bad item never blocks the others), save the rest."""
    site_ids = visible_site_ids(actor)
    results: list[dict | None] = [None] * len(items)
    valid = []
    for index, item in enumerate(items):
        data, rejection = _validate(item, site_ids)
        if rejection:
            results[index] = rejection
        else:
            valid.append((index, data))
    try:
        waiting = _save(actor, valid, results)
    except IntegrityError:
        # Another request saved one of these ids at this very moment: go one by one.
        db.session.rollback()
        waiting = {}
        for one in valid:
            waiting |= _save_one_racing(actor, one, results)
    _complete_held(actor, waiting, results)
    return results


def _save_one_racing(actor: Actor, item: tuple[int, dict], results: list) -> dict[int, int]:
    """Save one item; if it lost a race, answer as for a resend."""
    try:
        return _save(actor, [item], results)
    except IntegrityError:
        db.session.rollback()
        return _save(actor, [item], results)


def _complete_held(actor: Actor, waiting: dict[int, int], results: list) -> None:
    """Complete the saved reports awaiting photos that are held now, and answer accordingly.

    Runs after the batch committed, on committed state: a photo whose upload committed while
    this batch was being saved is seen here, so no report waits for a photo already held.
    """
    completed = complete_held(sorted(set(waiting.values())), actor.user_id)
    for index, report_pk in waiting.items():
        result = results[index]
        new = result.pop("new", False)
        if report_pk in completed:
            del result["missing_photos"]
            result.update(status=CREATED if new else DUPLICATE, report_status=RECEIVED)


def _validate(item, site_ids: set[int]) -> tuple[dict | None, dict | None]:
    """The loaded item, or the rejection to answer with."""
    if not isinstance(item, dict):
        return None, rejected(None, {"_schema": ["Each report must be a JSON object."]})
    try:
        data = REPORT_IN.load(item)
    except ma.ValidationError as error:
        return None, rejected(item.get("id"), error.normalized_messages())
    if data["site_id"] not in site_ids:
        return None, rejected(item["id"], {"site_id": ["Unknown site, or not one of yours."]})
    return data, None


def _save(actor: Actor, valid: list[tuple[int, dict]], results: list) -> dict[int, int]:
    """Answer every valid item; insert the new reports with their events and triage requests.

    Returns item index to report pk for the items answered missing_photos (new or not).
    """
    if not valid:
        return {}
    known = _known_reports(actor.organization_id, {data["id"] for _, data in valid})
    held = held_photos(
        actor.organization_id, [p["sha256"] for _, data in valid for p in data["photos"]]
    )
    fresh: dict[uuid.UUID, dict] = {}
    for index, data in valid:
        digest = content_hash(data)
        if data["id"] in known:
            results[index] = _known_result(actor, known[data["id"]], digest, held)
        elif data["id"] in fresh:
            row = fresh[data["id"]]
            results[index] = _resend_result(
                row["id"], row["status"], row["content_hash"], digest, row["hashes"], held
            )
        else:
            row = fresh[data["id"]] = _new_row(actor, data, digest, held)
            results[index] = _resend_result(
                row["id"], row["status"], digest, digest, row["hashes"], held, new=True
            )
    pks = {report_id: report.pk for report_id, report in known.items()}
    pks |= _insert(actor, list(fresh.values()))
    db.session.commit()
    return {
        index: pks[data["id"]]
        for index, data in valid
        if results[index]["status"] == MISSING_PHOTOS
    }


def _known_result(actor: Actor, report: Report, digest: str, held: set[str]) -> dict:
    """The answer for an id already saved: never revealing a report the actor may not open."""
    if report.reporter_id != actor.user_id:
        # Not this person's report: the id is taken, whatever the content.
        answer = {"id": str(report.id), "status": CONFLICT}
        if may_open(actor, report):
            answer["report_status"] = report.status
        return answer
    hashes = [photo.sha256 for photo in report.photos]
    return _resend_result(report.id, report.status, report.content_hash, digest, hashes, held)


def _known_reports(organization_id: int, ids: set[uuid.UUID]) -> dict[uuid.UUID, Report]:
    """The organization's reports with these ids, with their photos."""
    rows = db.session.scalars(
        select(Report)
        .where(Report.organization_id == organization_id, Report.id.in_(ids))
        .options(selectinload(Report.photos))
    )
    return {report.id: report for report in rows}


def _new_row(actor: Actor, item: dict, digest: str, held: set[str]) -> dict:
    """The report table row for a validated item, with its photo hashes alongside."""
    location = item["location"] or {}
    hashes = [photo["sha256"] for photo in item["photos"]]
    return {
        "id": item["id"],
        "organization_id": actor.organization_id,
        "site_id": item["site_id"],
        "reporter_id": actor.user_id,
        "kind": item["kind"],
        "description": item["description"].strip(),
        "observed_at": item["observed_at"],
        "latitude": location.get("lat"),
        "longitude": location.get("lon"),
        "accuracy_m": location.get("accuracy_m"),
        "severity": item["severity"],
        "likelihood": item["likelihood"],
        "content_hash": digest,
        "status": RECEIVED if all(h in held for h in hashes) else AWAITING,
        "hashes": hashes,
        "photos": item["photos"],
    }


def _insert(actor: Actor, rows: list[dict]) -> dict[uuid.UUID, int]:
    """Insert reports, their photos, 'created' events and jobs, a statement each.

    Multi-row inserts without the unit of work: this is the hot path of every phone's sync.
    Returns each new report's pk by its id.
    """
    if not rows:
        return {}
    now = utcnow()
    created = [
        (row["id"], "created", {"kind": row["kind"], "photos": len(row["hashes"])}) for row in rows
    ]
    event_ids = record_events(actor.organization_id, actor.user_id, RECORD_TYPE, created)
    report_columns = [
        {k: v for k, v in row.items() if k not in ("hashes", "photos")}
        | {"received_at": now, "changed_at": now, "change_id": event_id}
        for row, event_id in zip(rows, event_ids, strict=True)
    ]
    report_pks = db.session.scalars(
        insert(Report).returning(Report.pk, sort_by_parameter_order=True), report_columns
    ).all()
    photos = {pk: row["photos"] for row, pk in zip(rows, report_pks, strict=True)}
    attach(actor.organization_id, RECORD_TYPE, photos)
    for job in ask_on_receipt():
        request_jobs(job, [{"report_pk": pk} for pk in report_pks])
    return {row["id"]: pk for row, pk in zip(rows, report_pks, strict=True)}


def _resend_result(
    report_id,
    status: str,
    saved_digest: str,
    sent_digest: str,
    hashes: list[str],
    held: set[str],
    new: bool = False,
) -> dict:
    """The answer for one item: created, duplicate, conflict or missing_photos."""
    answer = {"id": str(report_id), "report_status": status}
    if resend_status(saved_digest, sent_digest) == CONFLICT:
        return {**answer, "status": CONFLICT}
    if status == AWAITING:
        # "new" is for the answer after completion (see _complete_held), never sent as it is.
        return {
            **answer,
            "status": MISSING_PHOTOS,
            "missing_photos": [h for h in hashes if h not in held],
            **({"new": True} if new else {}),
        }
    return {**answer, "status": CREATED if new else DUPLICATE}
