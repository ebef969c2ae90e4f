"""The four record exports, each a header and rows read in batches from a server-side cursor.

Which records a period holds:
    reports           observed in the period
    nonconformities   raised in the period
    actions           due in the period or done in it (an NC's actions and a management
                      review's)
    audits            one row per answer of the audits signed off in the period, every answer
                      given (the one that counts for its question says current = yes)

Rows are dicts of plain values (server.exports.cells writes them as CSV or JSON lines). Nothing
is read whole: the database hands rows over BATCH at a time (yield_per: a server-side cursor
on PostgreSQL), and each batch's photos are looked up in one query.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import aliased

from server.audits.models import SUBMITTED, Audit, AuditResponse, AuditTemplateVersion
from server.audits.records import RESPONSE_TYPE
from server.auth.models import User
from server.dbtypes import utcnow
from server.exports.scope import ExportScope
from server.extensions import db
from server.media.attachments import attached_hashes
from server.nonconformities.models import ACTION_DONE, ACTION_OPEN, Action, Nonconformity
from server.nonconformities.records import ACTION_TYPE, CHECK_TYPE, NC_TYPE
from server.orgs.models import Site
from server.orgs.zones import local_day
from server.reports.models import Report
from server.reports.services import RECORD_TYPE as REPORT_TYPE
from server.reviews.models import Review

BATCH = 500


@dataclass(frozen=True)
class Table:
    """One export: its file name, what a row is, its columns and its rows."""

    name: str
    row: str
    columns: tuple[str, ...]
    rows: Callable[[ExportScope], Iterator[dict]]


def batches(stmt: Select) -> Iterator[list]:
    """The statement's rows, BATCH at a time, from a server-side cursor."""
    result = db.session.execute(stmt.execution_options(yield_per=BATCH))
    try:
        yield from result.partitions()
    finally:
        result.close()


# --- reports ---------------------------------------------------------------------------------

REPORT_COLUMNS = (
    "id",
    "site",
    "site_name",
    "kind",
    "observed_at",
    "received_at",
    "reporter",
    "reporter_email",
    "description",
    "severity",
    "likelihood",
    "status",
    "triage_category",
    "closed_at",
    "photos",
)


def report_query(scope: ExportScope) -> Select:
    """The reports observed in the period at the sites in scope, in the order observed."""
    return (
        select(
            Report.pk,
            Report.id,
            Site.code.label("site"),
            Site.name.label("site_name"),
            Report.kind,
            Report.observed_at,
            Report.received_at,
            User.name.label("reporter"),
            User.email.label("reporter_email"),
            Report.description,
            Report.severity,
            Report.likelihood,
            Report.status,
            Report.queue_category.label("triage_category"),
            Report.closed_at,
        )
        .join(Site, Site.id == Report.site_id)
        .outerjoin(User, User.id == Report.reporter_id)
        .where(
            Report.organization_id == scope.organization_id,
            scope.in_period(Report.observed_at, Report.site_id),
        )
        .order_by(Report.observed_at, Report.pk)
    )


def report_rows(scope: ExportScope) -> Iterator[dict]:
    """The reports' rows, with the photos each shows."""
    for batch in batches(report_query(scope)):
        photos = attached_hashes(REPORT_TYPE, [row.pk for row in batch])
        for row in batch:
            yield {**row._mapping, "photos": photos.get(row.pk, [])}


# --- nonconformities -------------------------------------------------------------------------

NC_COLUMNS = (
    "id",
    "site",
    "site_name",
    "title",
    "source",
    "report_id",
    "clause",
    "category",
    "severity",
    "status",
    "description",
    "containment",
    "root_cause_method",
    "root_cause",
    "raised_at",
    "raised_by",
    "verify_after",
    "verified_at",
    "verified_by",
    "checks",
    "effective",
    "closed_at",
    "cancel_reason",
    "photos",
    "check_photos",
)


def nc_rows(scope: ExportScope) -> Iterator[dict]:
    """The NCs raised in the period at the sites in scope, in the order raised."""
    raiser, verifier = aliased(User), aliased(User)
    stmt = (
        select(
            Nonconformity.pk,
            Nonconformity.id,
            Site.code.label("site"),
            Site.name.label("site_name"),
            Nonconformity.title,
            Nonconformity.source,
            Report.id.label("report_id"),
            Nonconformity.clause,
            Nonconformity.category,
            Nonconformity.severity,
            Nonconformity.status,
            Nonconformity.description,
            Nonconformity.containment,
            Nonconformity.root_cause.label("cause"),
            Nonconformity.created_at.label("raised_at"),
            raiser.name.label("raised_by"),
            Nonconformity.verify_after,
            Nonconformity.verified_at,
            verifier.name.label("verified_by"),
            Nonconformity.checks,
            Nonconformity.effective,
            Nonconformity.closed_at,
            Nonconformity.cancel_reason,
        )
        .join(Site, Site.id == Nonconformity.site_id)
        .outerjoin(Report, Report.pk == Nonconformity.report_pk)
        .outerjoin(raiser, raiser.id == Nonconformity.raised_by_id)
        .outerjoin(verifier, verifier.id == Nonconformity.verified_by_id)
        .where(
            Nonconformity.organization_id == scope.organization_id,
            scope.in_period(Nonconformity.created_at, Nonconformity.site_id),
        )
        .order_by(Nonconformity.created_at, Nonconformity.pk)
    )
    for batch in batches(stmt):
        pks = [row.pk for row in batch]
        photos, checks = attached_hashes(NC_TYPE, pks), attached_hashes(CHECK_TYPE, pks)
        for row in batch:
            values = dict(row._mapping)
            cause = values.pop("cause") or {}
            yield {
                **values,
                "root_cause_method": cause.get("method"),
                "root_cause": cause.get("statement"),
                "checks": row.checks or 0,
                "photos": photos.get(row.pk, []),
                "check_photos": checks.get(row.pk, []),
            }


# --- actions ---------------------------------------------------------------------------------

ACTION_COLUMNS = (
    "id",
    "nonconformity_id",
    "review_id",
    "site",
    "site_name",
    "title",
    "kind",
    "control",
    "owner",
    "owner_email",
    "due_on",
    "status",
    "done_at",
    "on_time",
    "notes",
    "photos",
)


def on_time(status: str, due_on, done_at, zone: str, today) -> bool | None:
    """Done by its due day (as its site's clock read it): yes or no; open and late: no; open
    and not yet due, or cancelled: unknown."""
    if status == ACTION_DONE and done_at is not None:
        return local_day(done_at, zone) <= due_on
    if status == ACTION_OPEN and due_on < today:
        return False
    return None


def actions_in_period(scope: ExportScope):
    """Actions due in the period, or done in it (a period's evidence of work done)."""
    return or_(
        scope.days_within(Action.due_on, Action.site_id),
        scope.in_period(Action.done_at, Action.site_id),
    )


def action_rows(scope: ExportScope) -> Iterator[dict]:
    """The actions due or done in the period at the sites in scope, by due day."""
    owner = aliased(User)
    stmt = (
        select(
            Action.pk,
            Action.id,
            Nonconformity.id.label("nonconformity_id"),
            Review.id.label("review_id"),
            Site.code.label("site"),
            Site.name.label("site_name"),
            Site.time_zone,
            Action.title,
            Action.kind,
            Action.control,
            owner.name.label("owner"),
            owner.email.label("owner_email"),
            Action.due_on,
            Action.status,
            Action.done_at,
            Action.notes,
        )
        .join(Site, Site.id == Action.site_id)
        .outerjoin(Nonconformity, Nonconformity.pk == Action.nonconformity_pk)
        .outerjoin(Review, Review.pk == Action.review_pk)
        .outerjoin(owner, owner.id == Action.owner_id)
        .where(
            Action.organization_id == scope.organization_id,
            actions_in_period(scope),
        )
        .order_by(Action.due_on, Action.pk)
    )
    now, today = utcnow(), {}
    for batch in batches(stmt):
        photos = attached_hashes(ACTION_TYPE, [row.pk for row in batch])
        for row in batch:
            if row.time_zone not in today:
                today[row.time_zone] = local_day(now, row.time_zone)
            values = dict(row._mapping)
            zone = values.pop("time_zone")
            yield {
                **values,
                "on_time": on_time(row.status, row.due_on, row.done_at, zone, today[zone]),
                "photos": photos.get(row.pk, []),
            }


# --- audit answers ---------------------------------------------------------------------------

AUDIT_COLUMNS = (
    "audit_id",
    "site",
    "site_name",
    "template",
    "standard",
    "template_version",
    "signed_at",
    "score",
    "clause",
    "question_ref",
    "question",
    "answer_id",
    "result",
    "current",
    "notes",
    "auditor",
    "answered_at",
    "photos",
)


def _audit_answers(scope: ExportScope) -> Select:
    answerer = aliased(User)
    return (
        select(
            AuditResponse.pk,
            AuditResponse.id.label("answer_id"),
            AuditResponse.question_id,
            AuditResponse.clause,
            AuditResponse.result,
            AuditResponse.notes,
            AuditResponse.answered_at,
            answerer.name.label("auditor"),
            Audit.pk.label("audit_pk"),
            Audit.id.label("audit_id"),
            Audit.signed_at,
            Audit.score,
            Site.code.label("site"),
            Site.name.label("site_name"),
            AuditTemplateVersion.pk.label("version_pk"),
            AuditTemplateVersion.name.label("template"),
            AuditTemplateVersion.standard,
            AuditTemplateVersion.version.label("template_version"),
        )
        .join(Audit, Audit.pk == AuditResponse.audit_pk)
        .join(Site, Site.id == Audit.site_id)
        .join(AuditTemplateVersion, AuditTemplateVersion.pk == Audit.template_version_pk)
        .outerjoin(answerer, answerer.id == AuditResponse.answered_by_id)
        .where(Audit.pk.in_(signed_off(scope, select(Audit.pk))))
        .order_by(Audit.submitted_at, Audit.pk, AuditResponse.answered_at, AuditResponse.pk)
    )


class _Questions:
    """Each template version's questions by id: (position, ref, text); read once a version."""

    def __init__(self):
        self._versions: dict[int, dict[str, tuple[int, str, str]]] = {}

    def of(self, version_pk: int) -> dict[str, tuple[int, str, str]]:
        if version_pk not in self._versions:
            sections = db.session.scalar(
                select(AuditTemplateVersion.sections).where(AuditTemplateVersion.pk == version_pk)
            )
            questions = [q for section in sections or [] for q in section["questions"]]
            self._versions[version_pk] = {
                str(q["id"]): (n, q.get("ref"), q.get("text")) for n, q in enumerate(questions)
            }
        return self._versions[version_pk]


def _answers_of_audit(answers: list[dict], questions: dict) -> Iterator[dict]:
    """One audit's answers in the template's order, each question's answers in the order
    given; the last of them is the one that counts."""
    for answer in answers:
        position, ref, text = questions.get(
            str(answer["question_id"]), (len(questions), None, None)
        )
        answer.update(position=position, question_ref=ref, question=text)
    answers.sort(key=lambda a: (a["position"], str(a["question_id"]), a["answered_at"], a["pk"]))
    for n, answer in enumerate(answers):
        following = answers[n + 1] if n + 1 < len(answers) else None
        answer["current"] = following is None or following["question_id"] != answer["question_id"]
        yield answer


def audit_rows(scope: ExportScope) -> Iterator[dict]:
    """Every answer of the audits signed off in the period at the sites in scope; an audit's
    answers are held together (a few hundred at most) to be put in its template's order."""
    questions, audit, answers = _Questions(), None, []
    for batch in batches(_audit_answers(scope)):
        photos = attached_hashes(RESPONSE_TYPE, [row.pk for row in batch])
        for row in batch:
            if row.audit_pk != audit and answers:
                yield from _answers_of_audit(answers, questions.of(answers[0]["version_pk"]))
                answers = []
            audit = row.audit_pk
            answers.append({**row._mapping, "photos": photos.get(row.pk, [])})
    if answers:
        yield from _answers_of_audit(answers, questions.of(answers[0]["version_pk"]))


def period_records(scope: ExportScope) -> dict[str, Select]:
    """The primary keys of the period's records in scope, by the record type their photos are
    attached as (the same records as the exports above)."""
    ncs = select(Nonconformity.pk).where(
        Nonconformity.organization_id == scope.organization_id,
        scope.in_period(Nonconformity.created_at, Nonconformity.site_id),
    )
    return {
        REPORT_TYPE: select(Report.pk).where(
            Report.organization_id == scope.organization_id,
            scope.in_period(Report.observed_at, Report.site_id),
        ),
        NC_TYPE: ncs,
        CHECK_TYPE: ncs,
        ACTION_TYPE: select(Action.pk).where(
            Action.organization_id == scope.organization_id,
            actions_in_period(scope),
        ),
        RESPONSE_TYPE: select(AuditResponse.pk).where(
            AuditResponse.audit_pk.in_(signed_off(scope, select(Audit.pk)))
        ),
    }


def signed_off(scope: ExportScope, stmt: Select) -> Select:
    """stmt (on Audit) limited to the audits signed off in the period at the sites in scope."""
    return stmt.where(
        Audit.organization_id == scope.organization_id,
        Audit.status == SUBMITTED,
        scope.in_period(Audit.submitted_at, Audit.site_id),
    )


TABLES = (
    Table("reports", "a report", REPORT_COLUMNS, report_rows),
    Table("nonconformities", "a nonconformity", NC_COLUMNS, nc_rows),
    Table("actions", "an action", ACTION_COLUMNS, action_rows),
    Table("audits", "an answer of a signed-off audit", AUDIT_COLUMNS, audit_rows),
)
TABLES_BY_NAME = {table.name: table for table in TABLES}
