"""The record exports, each a header and rows read in batches from a server-side cursor.

Which records a period holds:
    reports           observed in the period
    nonconformities   raised in the period
    actions           due in the period or done in it (an NC's actions and a management
                      review's)
    audits            one row per answer of the audits signed off in the period, every answer
                      given (the one that counts for its question says current = yes)

Every line, CSV and JSON alike, is written by the database (server.exports.sqlcells: what the
csv module and json.dumps write, tested side by side), so that Python only joins the lines it
is handed; for actions and audit answers Python puts in the few values worked out here (whether
an action was done on time by its site's day; the audit's score, each question's ref and text
from its template version, and which answer counts), in the pieces the database wrote around
them. Nothing is read whole: the database hands rows over BATCH at a time (yield_per: a
server-side cursor on PostgreSQL), each record's photos joined to it in the same query.

The registers of competence and documented information (competences, documents,
acknowledgements) are small, and Python writes their lines (server.exports.registers).
"""

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import aliased

from server.audits.models import SUBMITTED, Audit, AuditResponse, AuditTemplateVersion
from server.audits.records import RESPONSE_TYPE
from server.auth.models import User
from server.dbtypes import utcnow
from server.exports.cells import (
    cell,
    csv_header,
    line_pieces,
    plain,
    without_nul,
)
from server.exports.registers import (
    ACKNOWLEDGEMENT_COLUMNS,
    COMPETENCE_COLUMNS,
    DOCUMENT_COLUMNS,
    acknowledgement_parts,
    competence_parts,
    competence_records,
    document_parts,
)
from server.exports.scope import ExportScope
from server.exports.sqlcells import (
    csv_line,
    csv_text,
    day_text,
    json_bool,
    json_hashes,
    json_line,
    json_plain,
    json_text,
    line_parts,
    moment_text,
    number_text,
    photo_hashes,
    uuid_text,
    yes_no,
)
from server.extensions import db
from server.nonconformities.models import ACTION_DONE, ACTION_OPEN, Action, Nonconformity
from server.nonconformities.records import ACTION_TYPE, CHECK_TYPE, NC_TYPE
from server.orgs.models import Site
from server.orgs.zones import local_day
from server.people.records import COMPETENCE_TYPE
from server.reports.models import Report
from server.reports.services import RECORD_TYPE as REPORT_TYPE
from server.reviews.models import Review

BATCH = 2000


@dataclass(frozen=True)
class Table:
    """One export: its file name, what a row is, its columns, its rows, and (for some) its
    CSV cells in batches, made by the database."""

    name: str
    row: str
    columns: tuple[str, ...]
    # Each line (form "csv" or "json") written by the database, one column a row; or the
    # lines, a batch at a time, put together from pieces the database writes.
    lines: Callable[[ExportScope, str], Select] | None = None
    parts: Callable[[ExportScope, str], Iterator[list[str]]] | None = None

    def csv(self, scope: ExportScope) -> Iterator[bytes]:
        """The export as CSV bytes."""
        if self.lines is not None:
            lines = line_batches(self.lines(scope, "csv"), "csv")
            return line_pieces(csv_header(self.columns), lines)
        return line_pieces(csv_header(self.columns), self.parts(scope, "csv"))

    def json_lines(self, scope: ExportScope) -> Iterator[bytes]:
        """The export as JSON lines."""
        if self.lines is not None:
            return line_pieces("", line_batches(self.lines(scope, "json"), "json"))
        return line_pieces("", self.parts(scope, "json"))


def batches(stmt: Select) -> Iterator[list]:
    """The statement's rows, BATCH at a time, from a server-side cursor (read as Core rows,
    on the session's connection and in its transaction)."""
    result = db.session.connection().execute(stmt.execution_options(yield_per=BATCH))
    try:
        yield from result.partitions()
    finally:
        result.close()


def record_batches(stmt: Select) -> Iterator[list]:
    """The records stmt selects (ORM objects, in one-element rows), BATCH at a time, from a
    server-side cursor."""
    result = db.session.execute(stmt.execution_options(yield_per=BATCH))
    try:
        yield from result.partitions()
    finally:
        result.close()


def line_batches(stmt: Select, form: str) -> Iterator[list[str]]:
    """The lines stmt makes, a batch at a time; NUL in text written as U+FFFD, as cells.plain
    writes it (SQLite keeps NUL, which json_quote writes as \\u0000; PostgreSQL refuses it)."""
    nul = db.session.get_bind().dialect.name == "sqlite"
    clean = without_nul if form == "csv" else _json_without_nul
    for batch in batches(stmt):
        lines = [row[0] for row in batch]
        yield [clean(line) for line in lines] if nul else lines


# A \u0000 escape in JSON text: after an even number of backslashes (an odd number in all).
_JSON_NUL = re.compile(r"(?<!\\)((?:\\\\)*)\\u0000")


def _cleaner(form: str):
    """What makes a line of form clean of NUL: nothing but on SQLite."""
    if db.session.get_bind().dialect.name != "sqlite":
        return None
    return without_nul if form == "csv" else _json_without_nul


def _json_without_nul(line: str) -> str:
    return _JSON_NUL.sub("\\1\ufffd", line) if "\\u0000" in line else line


def _hashes(photos) -> list[str]:
    """photo_hashes' text as a list."""
    return photos.split(" ") if photos else []


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


def _reports(scope: ExportScope, *columns) -> Select:
    """The reports observed in the period at the sites in scope, in the order observed."""
    return (
        select(*columns)
        .select_from(Report)
        .join(Site, Site.id == Report.site_id)
        .outerjoin(User, User.id == Report.reporter_id)
        .where(
            Report.organization_id == scope.organization_id,
            scope.in_period(Report.observed_at, Report.site_id),
        )
        .order_by(Report.observed_at, Report.pk)
    )


def report_query(scope: ExportScope) -> Select:
    """The reports' own columns, their photos aside (what the bench reads bare beside the
    export)."""
    return _reports(
        scope,
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


def report_lines(scope: ExportScope, form: str) -> Select:
    """The reports as lines the database writes: CSV cells, or JSON objects ("csv", "json")."""
    pks = select(Report.pk).where(
        Report.organization_id == scope.organization_id,
        scope.in_period(Report.observed_at, Report.site_id),
    )
    photos = photo_hashes(REPORT_TYPE, pks).alias("report_photos")
    texts = {
        "site": Site.code,
        "site_name": Site.name,
        "kind": Report.kind,
        "reporter": User.name,
        "reporter_email": User.email,
        "description": Report.description,
        "status": Report.status,
        "triage_category": Report.queue_category,
    }
    moments = {
        "observed_at": Report.observed_at,
        "received_at": Report.received_at,
        "closed_at": Report.closed_at,
    }
    numbers = {"severity": Report.severity, "likelihood": Report.likelihood}
    line = _line(
        form,
        REPORT_COLUMNS,
        ids={"id": Report.id},
        texts=texts,
        moments=moments,
        numbers=numbers,
        hashes={"photos": photos.c.photos},
    )
    return _reports(scope, line).outerjoin(photos, photos.c.record_pk == Report.pk)


def _line(form: str, columns: tuple[str, ...], **kinds: dict):
    """The line of one row in form ("csv" or "json"): each column, by its kind (ids, texts,
    moments, numbers, yes_no, hashes), as that form writes it; with columns of no kind (that
    Python writes), the list of pieces around them (sqlcells.line_parts)."""
    writers = {
        "csv": {
            "ids": uuid_text,
            "texts": csv_text,
            "moments": moment_text,
            "numbers": number_text,
            "yes_no": yes_no,
            "hashes": _as_it_is,
            "days": day_text,
        },
        "json": {
            "ids": lambda column: json_plain(uuid_text(column)),
            "texts": json_text,
            "moments": lambda column: json_plain(moment_text(column)),
            "numbers": number_text,
            "yes_no": json_bool,
            "hashes": json_hashes,
            "days": lambda column: json_plain(day_text(column)),
        },
    }[form]
    made = {
        name: writers[kind](column)
        for kind, columns_of_kind in kinds.items()
        for name, column in columns_of_kind.items()
    }
    values = {name: made.get(name) for name in columns}
    if any(value is None for value in values.values()):  # some written by Python
        return line_parts(form, values)
    return csv_line(list(values.values())) if form == "csv" else json_line(values)


def _as_it_is(column):
    return column


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


def _period_ncs(scope: ExportScope) -> Select:
    return select(Nonconformity.pk).where(
        Nonconformity.organization_id == scope.organization_id,
        scope.in_period(Nonconformity.created_at, Nonconformity.site_id),
    )


def nc_lines(scope: ExportScope, form: str) -> Select:
    """The NCs raised in the period at the sites in scope, in the order raised, as lines the
    database writes ("csv" or "json")."""
    raiser, verifier = aliased(User), aliased(User)
    photos = photo_hashes(NC_TYPE, _period_ncs(scope)).alias("nc_photos")
    checks = photo_hashes(CHECK_TYPE, _period_ncs(scope)).alias("check_photos")
    texts = {
        "site": Site.code,
        "site_name": Site.name,
        "title": Nonconformity.title,
        "source": Nonconformity.source,
        "clause": Nonconformity.clause,
        "category": Nonconformity.category,
        "severity": Nonconformity.severity,
        "status": Nonconformity.status,
        "description": Nonconformity.description,
        "containment": Nonconformity.containment,
        "root_cause_method": Nonconformity.root_cause["method"].as_string(),
        "root_cause": Nonconformity.root_cause["statement"].as_string(),
        "raised_by": raiser.name,
        "verified_by": verifier.name,
        "cancel_reason": Nonconformity.cancel_reason,
    }
    moments = {
        "raised_at": Nonconformity.created_at,
        "verify_after": Nonconformity.verify_after,
        "verified_at": Nonconformity.verified_at,
        "closed_at": Nonconformity.closed_at,
    }
    line = _line(
        form,
        NC_COLUMNS,
        ids={"id": Nonconformity.id, "report_id": Report.id},
        texts=texts,
        moments=moments,
        numbers={"checks": func.coalesce(Nonconformity.checks, 0)},
        yes_no={"effective": Nonconformity.effective},
        hashes={"photos": photos.c.photos, "check_photos": checks.c.photos},
    )
    return (
        select(line)
        .select_from(Nonconformity)
        .join(Site, Site.id == Nonconformity.site_id)
        .outerjoin(Report, Report.pk == Nonconformity.report_pk)
        .outerjoin(raiser, raiser.id == Nonconformity.raised_by_id)
        .outerjoin(verifier, verifier.id == Nonconformity.verified_by_id)
        .outerjoin(photos, photos.c.record_pk == Nonconformity.pk)
        .outerjoin(checks, checks.c.record_pk == Nonconformity.pk)
        .where(
            Nonconformity.organization_id == scope.organization_id,
            scope.in_period(Nonconformity.created_at, Nonconformity.site_id),
        )
        .order_by(Nonconformity.created_at, Nonconformity.pk)
    )


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


# on_time as each form writes it.
_ON_TIME = {
    "csv": {True: "yes", False: "no", None: ""},
    "json": {True: "true", False: "false", None: "null"},
}


def action_parts(scope: ExportScope, form: str) -> Iterator[list[str]]:
    """The actions due or done in the period at the sites in scope, by due day, as lines of
    form: the database writes every column but on_time (by the site's own day)."""
    owner = aliased(User)
    photos = photo_hashes(
        ACTION_TYPE,
        select(Action.pk).where(
            Action.organization_id == scope.organization_id, actions_in_period(scope)
        ),
    )
    texts = {
        "site": Site.code,
        "site_name": Site.name,
        "title": Action.title,
        "kind": Action.kind,
        "control": Action.control,
        "owner": owner.name,
        "owner_email": owner.email,
        "status": Action.status,
        "notes": Action.notes,
    }
    before, after = _line(
        form,
        ACTION_COLUMNS,
        ids={"id": Action.id, "nonconformity_id": Nonconformity.id, "review_id": Review.id},
        texts=texts,
        moments={"done_at": Action.done_at},
        days={"due_on": Action.due_on},
        hashes={"photos": photos.c.photos},
    )
    stmt = (
        select(before, after, Action.status, Action.due_on, Action.done_at, Site.time_zone)
        .select_from(Action)
        .join(Site, Site.id == Action.site_id)
        .outerjoin(Nonconformity, Nonconformity.pk == Action.nonconformity_pk)
        .outerjoin(Review, Review.pk == Action.review_pk)
        .outerjoin(owner, owner.id == Action.owner_id)
        .outerjoin(photos, photos.c.record_pk == Action.pk)
        .where(
            Action.organization_id == scope.organization_id,
            actions_in_period(scope),
        )
        .order_by(Action.due_on, Action.pk)
    )
    now, today, written, clean = utcnow(), {}, _ON_TIME[form], _cleaner(form)
    for batch in batches(stmt):
        lines = []
        for before_text, after_text, status, due_on, done_at, zone in batch:
            if zone not in today:
                today[zone] = local_day(now, zone)
            flag = on_time(status, due_on, done_at, zone, today[zone])
            lines.append(before_text + written[flag] + after_text)
        yield [clean(line) for line in lines] if clean else lines


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


def _audit_answers(scope: ExportScope, form: str) -> Select:
    """Every answer of the audits signed off in the period at the sites in scope, as the
    pieces of its line the database writes (all but the score, the question's ref and text,
    and current), with what Python needs to put the answers in their template's order."""
    answerer = aliased(User)
    photos = photo_hashes(
        RESPONSE_TYPE,
        select(AuditResponse.pk).where(
            AuditResponse.audit_pk.in_(signed_off(scope, select(Audit.pk)))
        ),
    )
    texts = {
        "site": Site.code,
        "site_name": Site.name,
        "template": AuditTemplateVersion.name,
        "standard": AuditTemplateVersion.standard,
        "clause": AuditResponse.clause,
        "result": AuditResponse.result,
        "notes": AuditResponse.notes,
        "auditor": answerer.name,
    }
    parts = _line(
        form,
        AUDIT_COLUMNS,
        ids={"audit_id": Audit.id, "answer_id": AuditResponse.id},
        texts=texts,
        numbers={"template_version": AuditTemplateVersion.version},
        moments={"signed_at": Audit.signed_at, "answered_at": AuditResponse.answered_at},
        hashes={"photos": photos.c.photos},
    )
    return (
        select(
            *parts,
            AuditResponse.pk,
            AuditResponse.question_id,
            AuditResponse.answered_at,
            Audit.pk.label("audit_pk"),
            AuditTemplateVersion.pk.label("version_pk"),
            Audit.score,
        )
        .select_from(AuditResponse)
        .join(Audit, Audit.pk == AuditResponse.audit_pk)
        .join(Site, Site.id == Audit.site_id)
        .join(AuditTemplateVersion, AuditTemplateVersion.pk == Audit.template_version_pk)
        .outerjoin(answerer, answerer.id == AuditResponse.answered_by_id)
        .outerjoin(photos, photos.c.record_pk == AuditResponse.pk)
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


def _csv_written(value) -> str:
    """A value Python writes into a line the database made: its cell as the csv module writes
    it (QUOTE_MINIMAL)."""
    text = str(cell(value))
    if '"' in text or "," in text or "\r" in text or "\n" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


def _json_written(value) -> str:
    return json.dumps(plain(value), ensure_ascii=False)


_WRITTEN = {"csv": _csv_written, "json": _json_written}
_CURRENT = {"csv": {True: "yes", False: "no"}, "json": {True: "true", False: "false"}}


def _audit_lines(rows: list, questions: dict, form: str, texts: dict) -> list[str]:
    """One audit's answers as lines, in the template's order, each question's answers in the
    order given; the last of them is the one that counts (current)."""
    write, placed = _WRITTEN[form], []
    for row in rows:
        question_id = str(row.question_id)
        position = questions.get(question_id, (len(questions),))[0]
        placed.append(((position, question_id, row.answered_at, row.pk), row))
    placed.sort(key=lambda item: item[0])
    lines, score = [], write(placed[0][1].score)
    for n, (_key, row) in enumerate(placed):
        following = placed[n + 1][1] if n + 1 < len(placed) else None
        current = following is None or following.question_id != row.question_id
        key = (row.version_pk, str(row.question_id))
        if key not in texts:
            _position, ref, text = questions.get(key[1], (None, None, None))
            texts[key] = (write(ref), write(text))
        ref, text = texts[key]
        first, after_score, between, after_question, last = row[:5]
        lines.append(
            first
            + score
            + after_score
            + ref
            + between
            + text
            + after_question
            + _CURRENT[form][current]
            + last
        )
    return lines


def audit_parts(scope: ExportScope, form: str) -> Iterator[list[str]]:
    """Every answer of the audits signed off in the period at the sites in scope, as lines of
    form; an audit's answers are held together (a few hundred at most) to be put in its
    template's order."""
    questions, audit, answers, texts, clean = _Questions(), None, [], {}, _cleaner(form)
    for batch in batches(_audit_answers(scope, form)):
        lines = []
        for row in batch:
            if row.audit_pk != audit and answers:
                lines += _audit_lines(answers, questions.of(answers[0].version_pk), form, texts)
                answers = []
            audit = row.audit_pk
            answers.append(row)
        yield [clean(line) for line in lines] if clean else lines
    if answers:
        lines = _audit_lines(answers, questions.of(answers[0].version_pk), form, texts)
        yield [clean(line) for line in lines] if clean else lines


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
        COMPETENCE_TYPE: competence_records(scope),
    }


def signed_off(scope: ExportScope, stmt: Select) -> Select:
    """stmt (on Audit) limited to the audits signed off in the period at the sites in scope."""
    return stmt.where(
        Audit.organization_id == scope.organization_id,
        Audit.status == SUBMITTED,
        scope.in_period(Audit.submitted_at, Audit.site_id),
    )


TABLES = (
    Table("reports", "a report", REPORT_COLUMNS, lines=report_lines),
    Table("nonconformities", "a nonconformity", NC_COLUMNS, lines=nc_lines),
    Table("actions", "an action", ACTION_COLUMNS, parts=action_parts),
    Table("audits", "an answer of a signed-off audit", AUDIT_COLUMNS, parts=audit_parts),
    Table("competences", "a competence record", COMPETENCE_COLUMNS, parts=competence_parts),
    Table("documents", "a controlled document", DOCUMENT_COLUMNS, parts=document_parts),
    Table(
        "acknowledgements",
        "an acknowledgement of a document",
        ACKNOWLEDGEMENT_COLUMNS,
        parts=acknowledgement_parts,
    ),
)
TABLES_BY_NAME = {table.name: table for table in TABLES}
