"""What a review reads from people's competence and from documented information (ISO 45001 7.2,
7.5): the competence picture at the period's end (resources), and the documents approved and
acknowledged in the period (changes: an approved revision changes how the management system is
run, and its acknowledgements say how far the change has reached the people it concerns).

The people of a scope are the members whose sites include one of its sites, or who work at every
site. A document is of a scope when its audience is at one of its sites, or at every site.
"""

from datetime import date, timedelta

from sqlalchemy import and_, case, func, or_, select

from server.auth.models import Membership, User, membership_site
from server.documents.models import Document, DocumentAcknowledgement, DocumentRevision
from server.extensions import db
from server.orgs.models import Organization, Site
from server.people.models import INTERNAL_AUDIT, Competence
from server.reviews.periods import Period, Scope

# A record that does not expire lasts until this day.
_NEVER = date(9999, 12, 31)
# The fixed look ahead that reviews held before training_due_days was kept showed.
EXPIRING_DAYS = 90


def covering(scope: Scope):
    """A clause on Membership: a member of the organization whose sites take in the scope's."""
    limits = select(membership_site.c.site_id).where(
        membership_site.c.membership_id == Membership.id
    )
    return and_(
        Membership.organization_id == scope.organization_id,
        or_(~limits.exists(), limits.where(membership_site.c.site_id.in_(scope.site_ids)).exists()),
    )


def active_people(scope: Scope):
    """The user ids of the scope's active members (membership and account both active)."""
    return (
        select(Membership.user_id)
        .join(User, User.id == Membership.user_id)
        .where(covering(scope), Membership.active.is_(True), User.active.is_(True))
    )


def due_days(organization_id: int) -> int:
    """The organization's training_due_days: how near its expiry a record is due for renewal."""
    return db.session.scalar(
        select(Organization.training_due_days).where(Organization.id == organization_id)
    )


def competence_picture(scope: Scope, on: date) -> dict:
    """The best record (lasting longest) of each active person and module as of a day: valid
    (due included), due (expiring within training_due_days; and within 90 days, as reviews
    held before showed), expired."""
    days = due_days(scope.organization_id)
    best = (
        select(func.max(func.coalesce(Competence.expires_on, _NEVER)).label("until"))
        .where(
            Competence.organization_id == scope.organization_id,
            Competence.user_id.in_(active_people(scope)),
            Competence.completed_on <= on,
        )
        .group_by(Competence.user_id, Competence.module)
        .subquery()
    )
    until, soon = on + timedelta(days=days), on + timedelta(days=EXPIRING_DAYS)
    valid, due, expiring, expired = db.session.execute(
        select(
            func.count(case((best.c.until >= on, 1))),
            func.count(case((and_(best.c.until >= on, best.c.until <= until), 1))),
            func.count(case((and_(best.c.until >= on, best.c.until <= soon), 1))),
            func.count(case((best.c.until < on, 1))),
        )
    ).one()
    return {
        "valid": valid,
        "expiring_within_90_days": expiring,
        "expired": expired,
        "due_days": days,
        "expiring_within_due_days": due,
    }


def internal_auditors(scope: Scope, on: date) -> dict:
    """How many of the scope's active people hold a valid internal_audit record on the day
    (qualified to audit), and how many do not."""
    holds = (
        select(Competence.id)
        .where(
            Competence.organization_id == scope.organization_id,
            Competence.user_id == Membership.user_id,
            Competence.module == INTERNAL_AUDIT,
            Competence.completed_on <= on,
            or_(Competence.expires_on.is_(None), Competence.expires_on >= on),
        )
        .exists()
    )
    people, qualified = db.session.execute(
        select(func.count(), func.count(case((holds, 1))))
        .select_from(Membership)
        .join(User, User.id == Membership.user_id)
        .where(covering(scope), Membership.active.is_(True), User.active.is_(True))
    ).one()
    return {"qualified": qualified, "not_qualified": people - qualified}


def scope_documents(scope: Scope) -> list[int]:
    """The pks of the documents of the scope (every one when it covers every site)."""
    rows = db.session.execute(
        select(Document.pk, Document.audience_site_ids).where(
            Document.organization_id == scope.organization_id
        )
    ).all()
    every = db.session.scalar(
        select(func.count()).select_from(Site).where(Site.organization_id == scope.organization_id)
    )
    if len(scope.site_ids) == every:
        return [pk for pk, _sites in rows]
    sites = set(scope.site_ids)
    return [pk for pk, audience in rows if not audience or sites & set(audience)]


def document_changes(scope: Scope, period: Period) -> dict:
    """Revisions approved in the period, of the scope's documents, and acknowledgements made in
    it of those documents by the scope's people (active or not since); days as the scope's
    main zone reads them (documents have no site)."""
    low, high = period.bounds(scope.zone())
    pks = scope_documents(scope)
    approved = db.session.scalar(
        select(func.count()).where(
            DocumentRevision.document_pk.in_(pks),
            DocumentRevision.approved_at >= low,
            DocumentRevision.approved_at < high,
        )
    )
    made = DocumentAcknowledgement
    acknowledged = db.session.scalar(
        select(func.count())
        .select_from(made)
        .join(DocumentRevision, DocumentRevision.pk == made.revision_pk)
        .join(
            Membership,
            and_(
                Membership.user_id == made.user_id,
                Membership.organization_id == made.organization_id,
            ),
        )
        .where(
            made.organization_id == scope.organization_id,
            DocumentRevision.document_pk.in_(pks),
            made.acknowledged_at >= low,
            made.acknowledged_at < high,
            covering(scope),
        )
    )
    return {"documents_approved": approved, "acknowledgements": acknowledged}
