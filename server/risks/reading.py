"""Reading the register back: the list with its filters and pages, one entry with its history
and links, the heat map, and the controls a site's workers read."""

from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, false, func, or_, select
from sqlalchemy.orm import selectinload

from server.auth.access import Actor
from server.dbtypes import utcnow
from server.extensions import db
from server.nonconformities.models import WEAK_CONTROLS
from server.orgs.zones import local_day
from server.reports.models import RISK_BAND_LABELS, RISK_BANDS
from server.risks.links import links_of
from server.risks.models import ACTIVE, RISK, Risk, RiskLink, RiskReview
from server.risks.records import rating, reference, risk_scope
from server.sites.services import sites_by_zone

RESIDUAL_ABOVE_INHERENT = "Residual risk is higher than inherent"
WEAK_CONTROLS_WARNING = (
    "A {band} residual risk controlled only by administrative controls or PPE (ISO 45001 "
    "8.1.2, hierarchy of controls): add a higher control (elimination, substitution or "
    "engineering), or record at the next review why none is possible."
)
# Residual bands that a weak set of controls must not be left to carry.
SERIOUS_BANDS = ("high", "critical")
MATRIX = 5
_LOADS = (selectinload(Risk.site), selectinload(Risk.owner))


# The list


def residual_score() -> ColumnElement[int]:
    return Risk.residual_severity * Risk.residual_likelihood


def band_clause(band: str) -> ColumnElement[bool]:
    """True for entries whose residual score falls in band (RISK_BANDS' ranges)."""
    floor = 1
    for ceiling, name in RISK_BANDS:
        if name == band:
            return residual_score().between(floor, ceiling)
        floor = ceiling + 1
    raise ValueError(f"unknown band {band!r}")


def review_due_clause(actor: Actor, now: datetime, site_id: int | None = None):
    """True for an entry with a review asked for, or whose review day has come at its site:
    each site's today is worked out here, per time zone, as neither database can."""
    reached = (
        and_(Risk.site_id.in_(site_ids), Risk.review_on <= local_day(now, zone))
        for zone, site_ids in sites_by_zone(actor, site_id).items()
    )
    return and_(Risk.status == ACTIVE, or_(Risk.review_reason.is_not(None), false(), *reached))


def _escaped(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def words_clause(q: str) -> ColumnElement[bool]:
    """True for entries whose activity, hazard or who hold every word of q (any case)."""
    clauses = []
    for word in q.lower().split():
        pattern = f"%{_escaped(word)}%"
        clauses.append(
            or_(
                *(
                    func.lower(column).like(pattern, escape="\\")
                    for column in (Risk.activity, Risk.hazard, Risk.who)
                )
            )
        )
    return and_(*clauses)


def filtered(actor: Actor, stmt: Select, filters: dict) -> Select:
    """stmt (on Risk) limited to what the actor sees and to the filters of RiskFilterIn."""
    stmt = risk_scope(actor, stmt)
    for column, name in ((Risk.site_id, "site_id"), (Risk.kind, "kind"), (Risk.status, "status")):
        if filters.get(name) is not None:
            stmt = stmt.where(column == filters[name])
    if filters.get("band"):
        stmt = stmt.where(band_clause(filters["band"]))
    if filters.get("review_due") is not None:
        due = review_due_clause(actor, utcnow(), filters.get("site_id"))
        stmt = stmt.where(due if filters["review_due"] else ~due)
    if filters.get("q") and filters["q"].split():
        stmt = stmt.where(words_clause(filters["q"]))
    return stmt


def list_risks(actor: Actor, limit: int = 100, cursor: str | None = None, **filters):
    """A page of the register in number order, and the cursor of the next page."""
    stmt = filtered(actor, select(Risk).options(*_LOADS), filters)
    if cursor is not None:
        stmt = stmt.where(Risk.number > int(cursor))
    rows = db.session.scalars(stmt.order_by(Risk.number).limit(limit + 1)).all()
    page = rows[:limit]
    return page, str(page[-1].number) if len(rows) > limit else None


# One entry


def risk_views(risks: list[Risk], now: datetime | None = None) -> list[dict]:
    """Entries as the list shows them (no history, no links): one query for their links."""
    counts = _links_counts([risk.pk for risk in risks])
    now = now or utcnow()
    return [_view(risk, counts.get(risk.pk, 0), now) for risk in risks]


def risk_view(risk: Risk, with_history: bool = False, with_links: bool = False) -> dict:
    """One entry; with its history (oldest first, the first as entered) and its links."""
    view = risk_views([risk])[0]
    if with_history:
        view["history"] = history(risk)
    if with_links:
        view["links"] = link_views(risk)
    return view


def _view(risk: Risk, links_count: int, now: datetime) -> dict:
    today = local_day(now, risk.site.time_zone)
    active = risk.status == ACTIVE
    owner = risk.owner
    return {
        **{
            name: getattr(risk, name)
            for name in (
                "id",
                "number",
                "site_id",
                "kind",
                "activity",
                "hazard",
                "who",
                "category",
                "review_on",
                "review_reason",
                "review_note",
                "review_requested_at",
                "status",
                "change_id",
                "created_at",
                "changed_at",
            )
        },
        "ref": reference(risk),
        "site_name": risk.site.name,
        "inherent": rating(risk.severity, risk.likelihood),
        "residual": rating(risk.residual_severity, risk.residual_likelihood),
        "controls": risk.controls,
        "owner": {"id": owner.id, "name": owner.name} if owner else None,
        "review_due": active and (risk.review_reason is not None or risk.review_on <= today),
        "review_overdue": active and risk.review_on < today,
        "links_count": links_count,
        "warnings": warnings(risk),
    }


def warnings(risk: Risk) -> list[dict]:
    """What the desk should know of a risk's ratings: a residual above the inherent, and a
    serious residual left to administrative controls and PPE alone."""
    if risk.kind != RISK:
        return []
    found = []
    inherent = rating(risk.severity, risk.likelihood)
    residual = rating(risk.residual_severity, risk.residual_likelihood)
    if residual["score"] > inherent["score"]:
        found.append({"code": "residual_above_inherent", "message": RESIDUAL_ABOVE_INHERENT})
    if residual["band"] in SERIOUS_BANDS and all(
        control["control"] in WEAK_CONTROLS for control in risk.controls
    ):
        band = RISK_BAND_LABELS[residual["band"]].lower()
        found.append({"code": "weak_controls", "message": WEAK_CONTROLS_WARNING.format(band=band)})
    return found


def history(risk: Risk) -> list[dict]:
    """Every rating of the entry, oldest first: the first is the entry as made."""
    rows = db.session.scalars(
        select(RiskReview)
        .where(RiskReview.risk_pk == risk.pk)
        .options(selectinload(RiskReview.reviewed_by))
        .order_by(RiskReview.pk)
    )
    return [
        {
            "reviewed_at": row.reviewed_at,
            "reviewed_by": {"id": row.reviewed_by.id, "name": row.reviewed_by.name}
            if row.reviewed_by
            else None,
            "inherent": rating(row.severity, row.likelihood),
            "residual": rating(row.residual_severity, row.residual_likelihood),
            "controls": row.controls,
            "review_on": row.review_on,
            "reason": row.reason,
            "notes": row.notes,
        }
        for row in rows
    ]


def _links_counts(pks: list[int]) -> dict[int, int]:
    if not pks:
        return {}
    rows = db.session.execute(
        select(RiskLink.risk_pk, func.count())
        .where(RiskLink.risk_pk.in_(pks))
        .group_by(RiskLink.risk_pk)
    )
    return {risk_pk: count for risk_pk, count in rows}


def link_views(risk: Risk) -> list[dict]:
    """The reports, NCs and audit findings linked to the entry, newest link first."""
    return links_of(risk.pk)


# The heat map and the controls


def heatmap(actor: Actor, **filters) -> dict:
    """The 5 x 5 matrix of active entries counted per cell, inherent beside residual
    ([severity - 1][likelihood - 1]): one grouped query each."""
    filters.setdefault("status", ACTIVE)
    maps = {}
    for name, severity, likelihood in (
        ("inherent", Risk.severity, Risk.likelihood),
        ("residual", Risk.residual_severity, Risk.residual_likelihood),
    ):
        stmt = filtered(actor, select(severity, likelihood, func.count()), filters)
        cells = [[0] * MATRIX for _ in range(MATRIX)]
        for s, lk, count in db.session.execute(stmt.group_by(severity, likelihood)):
            cells[s - 1][lk - 1] = count
        maps[name] = cells
    return {**maps, "total": sum(map(sum, maps["inherent"]))}


def site_controls(actor: Actor, site_id: int | None = None) -> list[dict]:
    """The active entries of the actor's sites (or one of them) with their controls, for
    the toolbox talk: plain columns, no history."""
    stmt = risk_scope(
        actor,
        select(
            Risk.id,
            Risk.number,
            Risk.site_id,
            Risk.kind,
            Risk.activity,
            Risk.hazard,
            Risk.who,
            Risk.residual_severity,
            Risk.residual_likelihood,
            Risk.controls,
        ),
    ).where(Risk.status == ACTIVE)
    if site_id is not None:
        stmt = stmt.where(Risk.site_id == site_id)
    rows = db.session.execute(stmt.order_by(Risk.site_id, Risk.number))
    return [
        {
            "id": row.id,
            "ref": reference(row),
            "site_id": row.site_id,
            "kind": row.kind,
            "activity": row.activity,
            "hazard": row.hazard,
            "who": row.who,
            "residual": rating(row.residual_severity, row.residual_likelihood),
            "controls": row.controls,
        }
        for row in rows
    ]
