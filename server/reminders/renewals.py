"""What the reminder scan finds beyond sites' records: competence records to renew (expiring
within the organization's training_due_days, or expired) that no later record outlasts, and
controlled documents whose review day has come or passed by a week.

Both belong to an organization, not a site: their days are the organization's (its time zone).
Each query is set-based: its number does not grow with the number of records.
"""

from datetime import datetime, timedelta

from sqlalchemy import Date, Integer, String, and_, case, exists, literal, select, union_all

from server.auth.models import Membership, User
from server.documents.models import APPROVED, Document, DocumentRevision
from server.extensions import db
from server.orgs.models import Organization
from server.orgs.zones import local_day
from server.people.models import Competence, CompetenceModule
from server.people.modules import module_label
from server.people.services import outlasted
from server.reminders.dues import Due
from server.reminders.messages import competence_message, document_message
from server.reminders.models import (
    COMPETENCE,
    DOCUMENT,
    DUE_SOON,
    EXPIRED,
    REVIEW_DUE,
    REVIEW_OVERDUE,
    Reminder,
)
from server.reminders.people import People

# A document's review is overdue this many days after its review day.
DOCUMENT_OVERDUE_DAYS = 7


def _organization_days(now: datetime):
    """Per time zone and training_due_days of any organization: its day now, the last day a
    record is due on, and the day a document's review became overdue."""
    rows = []
    settings = select(Organization.time_zone, Organization.training_due_days).distinct()
    for zone, due_days in db.session.execute(settings):
        today = local_day(now, zone)
        rows.append(
            select(
                literal(zone, String).label("zone"),
                literal(due_days, Integer).label("due_days"),
                literal(today, Date).label("today"),
                literal(today + timedelta(days=due_days), Date).label("due_until"),
                literal(today - timedelta(days=DOCUMENT_OVERDUE_DAYS), Date).label("overdue_on"),
            )
        )
    if not rows:
        return None
    return (union_all(*rows) if len(rows) > 1 else rows[0]).cte("organization_day")


def _of_organization(days):
    """The join of an organization to its row of days."""
    return and_(
        days.c.zone == Organization.time_zone, days.c.due_days == Organization.training_due_days
    )


def _competences_due(days) -> list:
    """Active members' records to renew, in a state not yet reminded of."""
    state = case((Competence.expires_on < days.c.today, EXPIRED), else_=DUE_SOON)
    reminded = exists().where(
        Reminder.kind == COMPETENCE,
        Reminder.record_pk == Competence.id,
        Reminder.state == state,
        Reminder.due_on == Competence.expires_on,
    )
    stmt = (
        select(
            Competence.id.label("pk"),
            Competence.uid,
            Competence.organization_id,
            Competence.user_id,
            Competence.module,
            Competence.title,
            Competence.expires_on,
            CompetenceModule.label,
            User.name.label("holder_name"),
            days.c.today,
            state.label("state"),
        )
        .join(Organization, Organization.id == Competence.organization_id)
        .join(days, _of_organization(days))
        .join(
            Membership,
            and_(
                Membership.organization_id == Competence.organization_id,
                Membership.user_id == Competence.user_id,
                Membership.active,
            ),
        )
        .join(User, and_(User.id == Competence.user_id, User.active))
        .outerjoin(
            CompetenceModule,
            and_(
                CompetenceModule.organization_id == Competence.organization_id,
                CompetenceModule.slug == Competence.module,
            ),
        )
        .where(Competence.expires_on <= days.c.due_until, ~outlasted(), ~reminded)
        .order_by(Competence.expires_on.desc(), Competence.id)
    )
    return db.session.execute(stmt).all()


def _documents_due(days) -> list:
    """Current documents (one revision approved) whose review day has come, in a state not yet
    reminded of: due from its day, overdue a week after."""
    state = case((Document.review_on <= days.c.overdue_on, REVIEW_OVERDUE), else_=REVIEW_DUE)
    reminded = exists().where(
        Reminder.kind == DOCUMENT,
        Reminder.record_pk == Document.pk,
        Reminder.state == state,
        Reminder.due_on == Document.review_on,
    )
    approved = exists().where(
        DocumentRevision.document_pk == Document.pk, DocumentRevision.status == APPROVED
    )
    stmt = (
        select(
            Document.pk,
            Document.id,
            Document.code,
            Document.title,
            Document.owner_id,
            Document.organization_id,
            Document.review_on,
            days.c.today,
            state.label("state"),
        )
        .join(Organization, Organization.id == Document.organization_id)
        .join(days, _of_organization(days))
        .where(Document.review_on <= days.c.today, approved, ~reminded)
        .order_by(Document.review_on.desc(), Document.pk)
    )
    return db.session.execute(stmt).all()


def _competence_due(row) -> Due:
    return Due(
        COMPETENCE,
        row.state,
        row.pk,
        row.uid,
        row.title,
        nc_id=None,
        nc_title=row.label or module_label(row.module),
        due_on=row.expires_on,
        days=(row.expires_on - row.today).days,
        organization_id=row.organization_id,
        site_id=None,
        site_name=None,
        owner_id=row.user_id,
        holder_name=row.holder_name,
    )


def _document_due(row) -> Due:
    return Due(
        DOCUMENT,
        row.state,
        row.pk,
        row.id,
        row.title,
        nc_id=None,
        nc_title=row.code,
        due_on=row.review_on,
        days=(row.review_on - row.today).days,
        organization_id=row.organization_id,
        site_id=None,
        site_name=None,
        owner_id=row.owner_id,
    )


def renewals_due(now: datetime) -> list[Due]:
    """Competence records and documents in a state to remind of now, not yet reminded of."""
    days = _organization_days(now)
    if days is None:
        return []
    competences = [_competence_due(row) for row in _competences_due(days)]
    return competences + [_document_due(row) for row in _documents_due(days)]


def renewal_told(due: Due, people: People) -> list[tuple[list[int], str, str]]:
    """Who is told of a record to renew, and what: (user ids, title, body) per message.

    A competence: its holder and the organization's officers (its admins when it has none); a
    document: its owner, or the admins when it has none who is still an active member.
    """
    owner = people.member(due.organization_id, due.owner_id)
    if due.kind == DOCUMENT:
        to = [owner] if owner else people.admins(due.organization_id)
        return [([m.user_id for m in to], *document_message(due))] if to else []
    told = [([owner.user_id], *competence_message(due, mine=True))] if owner else []
    officers = [m.user_id for m in people.organization_officers(due.organization_id) if m != owner]
    if officers:
        told.append((officers, *competence_message(due, mine=False)))
    return told
