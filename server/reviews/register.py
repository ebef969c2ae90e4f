"""What a review reads from the risk and opportunity register: the changes of the period (entries
added, residual bands raised), the heat map of residual risk now, and the opportunities.

The register's own reading (server.risks.reading) answers for an actor; the review reads it as an
admin of exactly its sites (Scope.actor).
"""

from sqlalchemy import and_, case, func, select

from server.extensions import db
from server.reports.models import RISK_BANDS, risk_band
from server.reviews.periods import Period, Scope, in_scope, widest, within
from server.risks.models import ACTIVE, OPPORTUNITY, RISK, Risk, RiskReview
from server.risks.reading import filtered, heatmap, residual_score
from server.risks.records import reference

# Entries named in a review at most (the counts count them all).
MAX_LISTED = 50
BANDS = [band for _ceiling, band in RISK_BANDS]


def monitoring(scope: Scope) -> dict:
    """Residual risk of the active risks in scope as the register stands: the heat map's cells
    with entries, the count per band, and how many entries are due for review."""
    actor = scope.actor()
    matrix = heatmap(actor, kind=RISK)["residual"]
    cells = [
        {"severity": severity, "likelihood": likelihood, "count": count}
        for severity, row in enumerate(matrix, 1)
        for likelihood, count in enumerate(row, 1)
        if count
    ]
    bands = dict.fromkeys(BANDS, 0)
    for cell in cells:
        bands[risk_band(cell["severity"] * cell["likelihood"])] += cell["count"]
    due = db.session.scalar(
        filtered(actor, select(func.count()).select_from(Risk), {"review_due": True})
    )
    return {
        "heat_map": {"cells": cells, "total": sum(cell["count"] for cell in cells)},
        "bands": bands,
        "review_due": due,
    }


def _band_rank(severity, likelihood):
    """A residual rating's band as a number: 1 low ... 4 critical."""
    score = severity * likelihood
    return case(*((score <= ceiling, rank) for rank, (ceiling, _band) in enumerate(RISK_BANDS, 1)))


def changes(scope: Scope, period: Period) -> dict:
    """Risks entered in the period, and those a review in the period moved to a higher residual
    band (each entry once, however often), with the entries themselves."""
    added = db.session.execute(
        select(Risk.id, Risk.number, Risk.kind, Risk.hazard)
        .where(
            Risk.organization_id == scope.organization_id,
            in_scope(scope, Risk.site_id),
            Risk.kind == RISK,
            widest(scope, [period], Risk.created_at),
            within(scope, period, Risk.site_id, Risk.created_at),
        )
        .order_by(Risk.number)
    ).all()
    raised = _raised(scope, period)
    entries = [_entry(row, "added") for row in added] + [_entry(row, "band_up") for row in raised]
    return {
        "risks_added": len(added),
        "risks_raised": len(raised),
        "entries": entries[:MAX_LISTED],
    }


def _raised(scope: Scope, period: Period) -> list:
    """Risks with a review in the period whose residual band is above the rating before it."""
    rank = _band_rank(RiskReview.residual_severity, RiskReview.residual_likelihood)
    ratings = (
        select(
            RiskReview.risk_pk,
            RiskReview.reviewed_at,
            Risk.site_id,
            rank.label("rank"),
            func.lag(rank)
            .over(partition_by=RiskReview.risk_pk, order_by=RiskReview.pk)
            .label("before"),
        )
        .join(Risk, Risk.pk == RiskReview.risk_pk)
        .where(
            Risk.organization_id == scope.organization_id,
            in_scope(scope, Risk.site_id),
            Risk.kind == RISK,
        )
        .subquery()
    )
    up = (
        select(ratings.c.risk_pk)
        .where(
            ratings.c.rank > ratings.c.before,
            widest(scope, [period], ratings.c.reviewed_at),
            within(scope, period, ratings.c.site_id, ratings.c.reviewed_at),
        )
        .distinct()
    )
    return db.session.execute(
        select(Risk.id, Risk.number, Risk.kind, Risk.hazard)
        .where(Risk.pk.in_(up))
        .order_by(Risk.number)
    ).all()


def _entry(row, change: str) -> dict:
    return {
        "risk_id": str(row.id),
        "number": reference(row),
        "hazard": row.hazard,
        "change": change,
    }


def opportunities(scope: Scope) -> list[dict]:
    """The active opportunities in scope, the highest residual rating first."""
    rows = db.session.execute(
        select(
            Risk.id,
            Risk.number,
            Risk.kind,
            Risk.activity,
            Risk.hazard,
            Risk.residual_severity,
            Risk.residual_likelihood,
        )
        .where(
            Risk.organization_id == scope.organization_id,
            in_scope(scope, Risk.site_id),
            and_(Risk.kind == OPPORTUNITY, Risk.status == ACTIVE),
        )
        .order_by(residual_score().desc(), Risk.number)
        .limit(MAX_LISTED)
    )
    return [
        {
            "risk_id": str(row.id),
            "number": reference(row),
            "activity": row.activity,
            "hazard": row.hazard,
            "residual_band": risk_band(row.residual_severity * row.residual_likelihood),
        }
        for row in rows
    ]
