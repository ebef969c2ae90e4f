"""Audits: starting one, the answers, the view with its score, and the sign-off that turns
nonconforming answers into nonconformities.

An answer is never changed: each change on the phone is a new response with its own id, and
for one question the latest answered_at counts (the earlier answers stay in the event log).
"""

import uuid
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from server.audits.models import (
    AUDIT_STATES,
    CANCELLED,
    IN_PROGRESS,
    NONCONFORMING,
    PLANNED,
    SUBMITTED,
    Audit,
    AuditResponse,
    AuditTemplate,
    AuditTemplateVersion,
)
from server.audits.records import (
    AUDIT_TYPE,
    RESPONSE_TYPE,
    audit_scope,
    questions_of,
    touch,
    visible_audit,
)
from server.audits.scoring import score
from server.audits.templates import clause_of, lock_template, newest_version
from server.auth.access import Actor
from server.dbtypes import utcnow
from server.exceptions import Conflict, InvalidInput, NotAllowed, NotFound
from server.extensions import db
from server.jobs.services import request_job
from server.media.attachments import attach, attached_hashes
from server.media.models import Attachment
from server.nonconformities.records import held_photo_rows
from server.nonconformities.services import create_nonconformity
from server.records.identity import CREATED, DUPLICATE, fingerprint, resend_status
from server.sites.services import visible_site_ids

# Who may run audits: auditors, and officers and admins (who may also run one themselves).
AUDITING_ROLES = ("auditor", "officer", "admin")
OPEN_STATES = (PLANNED, IN_PROGRESS)
# Finding NC ids are made from the audit and question, so that a second sign-off finds them.
FINDING_NAMESPACE = uuid.UUID("5d0b8a36-2f0c-4d5e-9a51-3c7f2b1e9d40")
MAX_TITLE = 200
# The job that draws a signed-off audit's report and keeps it (server.audits.report_files).
DRAW_REPORT = "draw_audit_report"


# Starting an unplanned audit


def create_audit(actor: Actor, data: dict) -> tuple[Audit, bool]:
    """Start an unplanned audit run by the actor (POST /api/audits); (audit, True when new)."""
    if actor.role not in AUDITING_ROLES:
        raise NotAllowed("Only auditors, officers and admins run audits.")
    digest = fingerprint(data)
    known = db.session.scalar(
        select(Audit).where(Audit.organization_id == actor.organization_id, Audit.id == data["id"])
    )
    if known is not None:
        return _resent(actor, known, digest), False
    if data["site_id"] not in visible_site_ids(actor):
        raise InvalidInput(errors={"site_id": ["Unknown site, or not one of yours."]})
    version = _newest_version(actor.organization_id, data["template_id"])
    audit = Audit(
        id=data["id"],
        organization_id=actor.organization_id,
        site_id=data["site_id"],
        template_version_pk=version.pk,
        auditor_id=actor.user_id,
        status=PLANNED,
        created_by_id=actor.user_id,
        content_hash=digest,
    )
    db.session.add(audit)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()  # the same id saved by another request this very moment
        return create_audit(actor, data)
    touch(audit, AUDIT_TYPE, actor.user_id, "created", template_version=version.version)
    db.session.commit()
    return audit, True


def _resent(actor: Actor, known: Audit, digest: str) -> Audit:
    mine = known.created_by_id == actor.user_id
    if mine and resend_status(known.content_hash, digest) == DUPLICATE:
        return known
    raise Conflict(
        "An audit with this id already exists with other content.",
        errors={"id": ["Taken by another audit."]},
    )


def _newest_version(organization_id: int, template_id: uuid.UUID) -> AuditTemplateVersion:
    """The version a new audit runs, read under the template's lock so that an edit at the
    same moment cannot change it underneath."""
    template = db.session.scalar(
        select(AuditTemplate).where(
            AuditTemplate.organization_id == organization_id,
            AuditTemplate.id == template_id,
            AuditTemplate.archived.is_(False),
        )
    )
    if template is None:
        raise InvalidInput(errors={"template_id": ["No such template in your organization."]})
    return newest_version(lock_template(template.pk))


# Answers


def save_response(actor: Actor, item: dict) -> tuple[AuditResponse, str, bool]:
    """Save one answer; (the response, created or duplicate, whether it is the current one).

    Conflict when the id is taken by other content or the audit is signed off; InvalidInput
    naming the field for an answer the question does not take; PhotosMissing for photos not
    uploaded yet. The caller commits.
    """
    audit = _answerable_audit(actor, item["audit_id"])
    known = db.session.scalar(
        select(AuditResponse).where(
            AuditResponse.organization_id == actor.organization_id,
            AuditResponse.id == item["id"],
        )
    )
    digest = fingerprint(item)
    if known is not None:
        if known.audit_pk != audit.pk or resend_status(known.content_hash, digest) != DUPLICATE:
            raise Conflict(
                "An answer with this id already exists with other content.",
                errors={"id": ["Taken by another answer."]},
            )
        return known, DUPLICATE, _is_current(known)
    if audit.status not in OPEN_STATES:
        raise Conflict(f"This audit is {audit.status}: it takes no more answers.")
    section, question = _question(audit, item)
    photos = held_photo_rows(actor.organization_id, item["photos"])
    response = _insert_response(actor, audit, item, section, digest)
    attach(actor.organization_id, RESPONSE_TYPE, {response.pk: photos})
    if audit.status == PLANNED:
        AUDIT_STATES.check(audit.status, IN_PROGRESS)
        audit.status, audit.started_at = IN_PROGRESS, utcnow()
    current = _is_current(response)
    touch(
        audit,
        AUDIT_TYPE,
        actor.user_id,
        "answered",
        question_id=str(response.question_id),
        ref=question["ref"],
        result=response.result,
        response_id=str(response.id),
        current=current,
    )
    return response, CREATED, current


def _answerable_audit(actor: Actor, audit_id: uuid.UUID) -> Audit:
    """The audit, locked, when the actor may answer it: its auditor, or an officer of its site."""
    audit = visible_audit(actor, audit_id)
    if audit.auditor_id != actor.user_id and actor.role not in ("officer", "admin"):
        raise NotFound(f"No audit with id {audit_id}.")
    return _locked(audit.pk)


def _locked(audit_pk: int) -> Audit:
    """The audit read again after taking its write lock, so that answers and the sign-off
    never interleave (a row lock on PostgreSQL, the database's write lock on SQLite)."""
    db.session.execute(
        update(Audit)
        .where(Audit.pk == audit_pk)
        .values(status=Audit.status)
        .execution_options(synchronize_session=False)
    )
    return db.session.scalar(
        select(Audit).where(Audit.pk == audit_pk).execution_options(populate_existing=True)
    )


def _question(audit: Audit, item: dict) -> tuple[dict, dict]:
    """The section and question answered, checked against what the answer says."""
    found = questions_of(audit.template_version.sections).get(str(item["question_id"]))
    if found is None:
        raise InvalidInput(errors={"question_id": ["Not a question of this audit's template."]})
    section, question = found
    if item["result"] in NONCONFORMING:
        if not (item.get("notes") or "").strip():
            raise InvalidInput(errors={"notes": ["A nonconforming answer needs notes."]})
        if question.get("evidence_on_nc") and not item["photos"]:
            raise InvalidInput(
                errors={"photos": ["This question needs a photo for a nonconforming answer."]}
            )
    return section, question


def _insert_response(
    actor: Actor, audit: Audit, item: dict, section: dict, digest: str
) -> AuditResponse:
    response = AuditResponse(
        id=item["id"],
        organization_id=actor.organization_id,
        audit_pk=audit.pk,
        question_id=item["question_id"],
        clause=section["ref"],
        result=item["result"],
        notes=(item.get("notes") or "").strip() or None,
        answered_at=item["answered_at"],
        answered_by_id=actor.user_id,
        content_hash=digest,
    )
    db.session.add(response)
    db.session.flush()
    return response


def _is_current(response: AuditResponse) -> bool:
    """True when no answer to the same question was given later."""
    later = db.session.scalar(
        select(AuditResponse.pk)
        .where(
            AuditResponse.audit_pk == response.audit_pk,
            AuditResponse.question_id == response.question_id,
            AuditResponse.pk != response.pk,
            (AuditResponse.answered_at > response.answered_at)
            | (
                (AuditResponse.answered_at == response.answered_at)
                & (AuditResponse.pk > response.pk)
            ),
        )
        .limit(1)
    )
    return later is None


def current_responses(audit_pk: int) -> dict[str, AuditResponse]:
    """The answer that counts for each question answered, by question id (as text)."""
    rows = db.session.scalars(
        select(AuditResponse)
        .where(AuditResponse.audit_pk == audit_pk)
        .order_by(AuditResponse.answered_at, AuditResponse.pk)
    )
    return {str(row.question_id): row for row in rows}  # the latest overwrites the earlier


# Signing off


def submit_audit(actor: Actor, audit_id: uuid.UUID, signed_at: datetime) -> Audit:
    """The auditor signs off: every question answered, each NC answer becomes an NC. Commits.

    Idempotent: a signed-off audit is given back as it is, and finding NCs have ids made from
    the audit and question, so a sign-off cut short and sent again makes each NC once.
    """
    audit = _answerable_audit(actor, audit_id)
    if audit.status == SUBMITTED:
        db.session.rollback()
        return audit
    if audit.status == CANCELLED:
        raise Conflict("This audit was cancelled.")
    sections = audit.template_version.sections
    answers = current_responses(audit.pk)
    _check_all_answered(sections, answers)
    overall = score(sections, {question_id: row.result for question_id, row in answers.items()})
    # Plain values first: each NC commits, and a commit expires every loaded row.
    findings = _findings_to_raise(audit, answers)
    audit_pk = audit.pk
    db.session.commit()  # the lock is not held across the NCs, each of which commits
    for response_pk, data in findings:
        nc, _created = create_nonconformity(actor, data)
        db.session.execute(
            update(AuditResponse)
            .where(AuditResponse.pk == response_pk)
            .values(nonconformity_pk=nc.pk)
            .execution_options(synchronize_session=False)
        )
    audit = _locked(audit_pk)
    if audit.status == SUBMITTED:
        db.session.commit()  # another sign-off finished first; the links above are the same
        return audit
    AUDIT_STATES.check(audit.status, SUBMITTED)
    audit.status, audit.signed_at, audit.submitted_at = SUBMITTED, signed_at, utcnow()
    audit.score = overall["overall"]
    touch(audit, AUDIT_TYPE, actor.user_id, "submitted", score=audit.score, findings=len(findings))
    request_job(DRAW_REPORT, audit_pk=audit.pk)
    db.session.commit()
    return audit


def _check_all_answered(sections: list, answers: dict) -> None:
    unanswered = [
        question
        for _question_id, (_section, question) in questions_of(sections).items()
        if str(question["id"]) not in answers
    ]
    if unanswered:
        # "unanswered" carries the question ids, for the phone to take the auditor to them.
        raise InvalidInput(
            f"{len(unanswered)} question(s) not answered yet.",
            errors={
                "responses": [f"Unanswered: {q['ref']} {q['text']}" for q in unanswered],
                "unanswered": [str(q["id"]) for q in unanswered],
            },
        )


def _findings_to_raise(audit: Audit, answers: dict) -> list[tuple[int, dict]]:
    """(the answer's pk, the NC's body) for each minor or major NC answer, in template order."""
    nonconforming = [row for row in answers.values() if row.result in NONCONFORMING]
    photos = _response_photos([row.pk for row in nonconforming])
    wanted = {str(row.question_id): row for row in nonconforming}
    return [
        (wanted[question_id].pk, _finding_data(audit, question, wanted[question_id], photos))
        for question_id, (_section, question) in questions_of(
            audit.template_version.sections
        ).items()
        if question_id in wanted
    ]


def _finding_data(audit: Audit, question: dict, response: AuditResponse, photos: dict) -> dict:
    version = audit.template_version
    title = f"{question['ref']} {question['text']}"
    return {
        "id": uuid.uuid5(FINDING_NAMESPACE, f"{audit.id}/{question['id']}"),
        "site_id": audit.site_id,
        "title": title if len(title) <= MAX_TITLE else title[: MAX_TITLE - 1] + "…",
        "description": (
            f"{response.notes}\n\nInternal audit {version.name} (version {version.version}), "
            f"question {question['ref']}: {question['text']}"
        ),
        "severity": "major" if response.result == "major_nc" else "minor",
        "source": "audit",
        "clause": clause_of(question["ref"]),
        "photos": photos.get(response.pk, []),
    }


def _response_photos(response_pks: list[int]) -> dict[int, list[dict]]:
    """The photos of these answers as attachment values, by answer, in order."""
    rows = db.session.scalars(
        select(Attachment)
        .where(Attachment.record_type == RESPONSE_TYPE, Attachment.record_pk.in_(response_pks))
        .order_by(Attachment.record_pk, Attachment.position)
    )
    photos: dict[int, list[dict]] = {}
    for a in rows:
        photos.setdefault(a.record_pk, []).append(
            {
                "sha256": a.sha256,
                "content_type": a.content_type,
                "width": a.width,
                "height": a.height,
            }
        )
    return photos


def cancel_audit(actor: Actor, audit_id: uuid.UUID, reason: str) -> Audit:
    """An officer cancels a planned or started audit, with a reason. Commits."""
    if actor.role not in ("officer", "admin"):
        raise NotAllowed("Only officers and admins cancel audits.")
    audit = _locked(visible_audit(actor, audit_id).pk)
    AUDIT_STATES.check(audit.status, CANCELLED)
    audit.status = CANCELLED
    touch(audit, AUDIT_TYPE, actor.user_id, "cancelled", reason=reason)
    db.session.commit()
    return audit


def visible_audits(actor: Actor):
    """A query of the audits the actor may open."""
    return audit_scope(actor, select(Audit))


def photos_of(response_pks: list[int]) -> dict[int, list[str]]:
    """The photo hashes of each answer, in order."""
    return attached_hashes(RESPONSE_TYPE, response_pks)
