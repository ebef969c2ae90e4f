"""Routing a report to an officer of its site, and the SLA that sets its due date."""

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from server.auth.models import Membership, User
from server.extensions import db
from server.reports.models import Report
from server.triage.models import SlaPolicy, Triage
from server.triage.rules import DEFAULT_SLA_HOURS

# A report assigned and not closed counts towards its officer's load.
CLOSED = "closed"


def officers_covering(organization_id: int, site_id: int) -> list[Membership]:
    """Active officers of the organization whose site limits include the site, by user id."""
    memberships = db.session.scalars(
        select(Membership)
        .join(User)
        .where(
            Membership.organization_id == organization_id,
            Membership.role == "officer",
            Membership.active.is_(True),
            User.active.is_(True),
        )
        .options(selectinload(Membership.sites), joinedload(Membership.user))
        .order_by(Membership.user_id)
    ).all()
    return [m for m in memberships if not m.sites or site_id in {s.id for s in m.sites}]


def open_loads(user_ids: list[int], except_report_pk: int) -> dict[int, int]:
    """How many open reports each user has assigned, not counting one report."""
    rows = db.session.execute(
        select(Triage.assignee_id, func.count())
        .join(Report, Report.pk == Triage.report_pk)
        .where(
            Triage.assignee_id.in_(user_ids),
            Triage.report_pk != except_report_pk,
            Report.status != CLOSED,
        )
        .group_by(Triage.assignee_id)
    ).all()
    return dict(rows)


def route(report: Report, current: int | None) -> tuple[int | None, list[str]]:
    """The officer for a report: the one it has if still eligible, else the least loaded."""
    site = report.site
    officers = officers_covering(report.organization_id, report.site_id)
    if not officers:
        return None, [f"no officer covers site {site.code}: left for an admin to assign"]
    for membership in officers:
        if membership.user_id == current:
            return current, [f"stays with {membership.user.name}, an officer of site {site.code}"]
    loads = open_loads([m.user_id for m in officers], report.pk)
    chosen = min(officers, key=lambda m: (loads.get(m.user_id, 0), m.user_id))
    # No number: the load counts reports (of any site) that the reason's reader may not open.
    return chosen.user_id, [
        f"{chosen.user.name}: of {len(officers)} officer(s) covering site {site.code}, "
        "the one with the fewest open reports"
    ]


def sla_hours(organization_id: int) -> tuple[dict[str, int], str]:
    """Hours allowed per priority, and which policy said so."""
    policy = db.session.scalar(
        select(SlaPolicy).where(SlaPolicy.organization_id == organization_id)
    )
    if policy is None:
        return DEFAULT_SLA_HOURS, "the default SLA"
    return policy.hours(), "the organization's SLA policy"
