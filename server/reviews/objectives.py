"""Objectives (ISO 45001, 14001 and 9001 clause 6.2): entering and changing them, their monthly
figures entered by hand, and their value for a period beside the period before.

A value is computed over the objective's own sites (its site, or every site in view for one of
the whole organization) from the same grouped counts as a review's performance inputs (Basis),
so a review with ten objectives reads the records no more often than one with none.
"""

import math
import uuid
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from server.auth.access import Actor
from server.dbtypes import utcnow
from server.exceptions import Conflict, InvalidInput
from server.extensions import db
from server.orgs.models import Site
from server.records.identity import DUPLICATE, fingerprint, resend_status
from server.reviews import figures
from server.reviews.figures import CURRENT, PREVIOUS
from server.reviews.models import (
    ACTIONS_ON_TIME,
    AT_MOST,
    EFFECTIVE_FIRST_TIME,
    HAND_ENTERED,
    INJURY_RATE,
    MANUAL,
    MEASURE_UNITS,
    REPORTS_PER_PERSON,
    SITES_AUDITED,
    Objective,
    ObjectiveFigure,
)
from server.reviews.periods import Period, Scope, scope_of
from server.reviews.records import OBJECTIVE_TYPE, objective_scope, touch, visible_objective

# Injury rates are per 200,000 hours worked (100 people working a year, as OSHA counts them).
RATE_HOURS = 200_000
CHANGEABLE = ("title", "target", "direction", "unit", "active")


# Entering and changing


def create_objective(actor: Actor, data: dict) -> tuple[Objective, bool]:
    """Enter an objective (POST /api/objectives); (it, True when new). Idempotent on the
    client's id. Commits."""
    data = {**data, "unit": data.get("unit") or MEASURE_UNITS[data["measure"]]}
    digest = fingerprint(data)
    known = db.session.scalar(
        select(Objective).where(
            Objective.organization_id == actor.organization_id, Objective.id == data["id"]
        )
    )
    if known is not None:
        if resend_status(known.content_hash, digest) == DUPLICATE:
            return known, False
        raise Conflict(
            "An objective with this id already exists with other content.",
            errors={"id": ["Taken by another objective."]},
        )
    _check_site(actor, data.get("site_id"))
    now = utcnow()
    objective = Objective(
        **{name: data[name] for name in ("id", "title", "measure", "target", "direction", "unit")},
        site_id=data.get("site_id"),
        organization_id=actor.organization_id,
        active=True,
        created_by_id=actor.user_id,
        created_at=now,
        changed_at=now,
        content_hash=digest,
    )
    db.session.add(objective)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()  # the same id saved by another request at this very moment
        return create_objective(actor, data)
    touch(objective, OBJECTIVE_TYPE, actor.user_id, "created", **_logged(objective))
    db.session.commit()
    return objective, True


def _logged(objective: Objective) -> dict:
    return {
        "title": objective.title,
        "measure": objective.measure,
        "target": objective.target,
        "direction": objective.direction,
        "unit": objective.unit,
        "site_id": objective.site_id,
        "active": objective.active,
    }


def _check_site(actor: Actor, site_id: int | None) -> None:
    """422 unless the objective's site is one of the actor's (none: the actor sees every site)."""
    if site_id is None:
        if actor.site_ids is not None:
            raise InvalidInput(
                "An objective of the whole organization is for those who see every site: "
                "give one of your sites.",
                errors={"site_id": ["Give one of your sites."]},
            )
        return
    known = db.session.scalar(
        select(Site.id).where(Site.id == site_id, Site.organization_id == actor.organization_id)
    )
    if known is None or not actor.may_see_site(site_id):
        raise InvalidInput(errors={"site_id": ["Not one of your sites."]})


def update_objective(actor: Actor, objective_id: uuid.UUID, changes: dict) -> Objective:
    """Change an objective's title, target, direction, unit or whether it is active. Commits."""
    objective = visible_objective(actor, objective_id)
    changed = {
        name: changes[name]
        for name in CHANGEABLE
        if name in changes and changes[name] != getattr(objective, name)
    }
    for name, value in changed.items():
        setattr(objective, name, value)
    if changed:
        touch(objective, OBJECTIVE_TYPE, actor.user_id, "changed", **changed)
    db.session.commit()
    return objective


def put_figure(actor: Actor, objective_id: uuid.UUID, month: date, value: float) -> Objective:
    """Enter the month's figure of an objective that takes one (hours worked for an injury rate,
    the measured value for a manual objective), replacing any before. Commits."""
    objective = visible_objective(actor, objective_id)
    if objective.measure not in HAND_ENTERED:
        raise Conflict(
            "This objective is computed from the records: it takes no figures by hand.",
            errors={"measure": [f"{objective.measure} is computed."]},
        )
    if objective.measure == INJURY_RATE and value < 0:
        raise InvalidInput(errors={"value": ["Hours worked cannot be negative."]})
    figure = db.session.scalar(
        select(ObjectiveFigure).where(
            ObjectiveFigure.objective_pk == objective.pk, ObjectiveFigure.month == month
        )
    )
    if figure is None:
        figure = ObjectiveFigure(objective_pk=objective.pk, month=month, value=value)
        db.session.add(figure)
    figure.value, figure.entered_by_id, figure.entered_at = value, actor.user_id, utcnow()
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()  # the same month entered by another request at this very moment
        return put_figure(actor, objective_id, month, value)
    touch(objective, OBJECTIVE_TYPE, actor.user_id, "figure", month=f"{month:%Y-%m}", value=value)
    db.session.commit()
    return objective


# Values


@dataclass
class Basis:
    """The grouped counts objectives and a review's performance read, per site, each asked of
    the database once (when first needed)."""

    scope: Scope
    period: Period
    previous: Period
    _found: dict = field(default_factory=dict)

    def _once(self, name: str, compute):
        if name not in self._found:
            self._found[name] = compute(self.scope, self.period, self.previous)
        return self._found[name]

    @property
    def reports(self) -> list[tuple]:
        return self._once("reports", figures.report_counts)

    @property
    def actions(self) -> dict[int, dict]:
        return self._once("actions", figures.action_counts)

    @property
    def checks(self) -> dict[int, dict]:
        return self._once("checks", figures.check_counts)

    @property
    def audits(self) -> dict[int, dict]:
        return self._once("audits", figures.audits_submitted)

    def people(self, site_ids: list[int]) -> int:
        key = ("people", tuple(site_ids))
        if key not in self._found:
            self._found[key] = figures.people(self.scope.organization_id, list(site_ids))
        return self._found[key]

    def part(self, name: str) -> Period:
        return self.period if name == CURRENT else self.previous


def percent(part: int, whole: int) -> float | None:
    """part of whole in percent with one decimal; None when there is nothing to count."""
    return round(100.0 * part / whole, 1) if whole else None


def reports_in(basis: Basis, name: str, site_ids: set[int], kind: str | None = None) -> int:
    """Reports (of a kind) of these sites in the current or previous period."""
    return sum(
        count
        for site_id, label, report_kind, count, _serious in basis.reports
        if site_id in site_ids
        and (label == PREVIOUS) == (name == PREVIOUS)
        and (kind is None or report_kind == kind)
    )


def _summed(per_site: dict[int, dict], name: str, site_ids: set[int], key: str) -> int:
    return sum(per_site.get(site_id, {}).get(name, {}).get(key, 0) for site_id in site_ids)


def sites_audited(basis: Basis, name: str, site_ids: list[int]) -> float | None:
    """The share of the sites with an audit signed off in every quarter of the period."""
    quarters = [f"{name}:{number}" for number in range(len(basis.part(name).quarters()))]
    audited = [
        site_id
        for site_id in site_ids
        if all(basis.audits.get(site_id, {}).get(quarter) for quarter in quarters)
    ]
    return percent(len(audited), len(site_ids))


def measure_value(
    objective: Objective, basis: Basis, name: str, site_ids: list[int], hand: dict
) -> float | None:
    """The objective's value in the current or previous period over these sites (hand: the
    figures entered, by (objective pk, first of month))."""
    sites = set(site_ids)
    part = basis.part(name)
    if objective.measure in HAND_ENTERED:
        entered = [
            hand[(objective.pk, month.start.replace(day=1))]
            for month in part.months()
            if (objective.pk, month.start.replace(day=1)) in hand
        ]
        if objective.measure == MANUAL:
            return round(sum(entered) / len(entered), 2) if entered else None
        hours = sum(entered)
        injuries = reports_in(basis, name, sites, "injury")
        return round(injuries * RATE_HOURS / hours, 2) if hours > 0 else None
    if objective.measure == ACTIONS_ON_TIME:
        due = _summed(basis.actions, name, sites, "due")
        return percent(_summed(basis.actions, name, sites, "done_on_time"), due)
    if objective.measure == EFFECTIVE_FIRST_TIME:
        checked = _summed(basis.checks, name, sites, "checked")
        return percent(_summed(basis.checks, name, sites, "effective_first"), checked)
    if objective.measure == SITES_AUDITED:
        return sites_audited(basis, name, sorted(sites))
    assert objective.measure == REPORTS_PER_PERSON
    people = basis.people(sorted(sites))
    return round(reports_in(basis, name, sites) / people, 2) if people else None


def is_met(objective: Objective, value: float | None) -> bool | None:
    """Whether the value meets the target in the objective's direction; None without a value."""
    if value is None or not math.isfinite(value):
        return None
    return (
        value <= objective.target if objective.direction == AT_MOST else value >= objective.target
    )


def hand_figures(objectives: list[Objective], basis: Basis) -> dict[tuple[int, date], float]:
    """The figures entered for these objectives in the months of both periods, in one query."""
    pks = [o.pk for o in objectives if o.measure in HAND_ENTERED]
    if not pks:
        return {}
    rows = db.session.execute(
        select(ObjectiveFigure.objective_pk, ObjectiveFigure.month, ObjectiveFigure.value).where(
            ObjectiveFigure.objective_pk.in_(pks),
            ObjectiveFigure.month >= basis.previous.start.replace(day=1),
            ObjectiveFigure.month <= basis.period.end,
        )
    )
    return {(pk, month): value for pk, month, value in rows}


def objective_values(objectives: list[Objective], basis: Basis) -> list[dict]:
    """Each objective with its value, the previous period's and whether it is met, as a
    review's inputs show them (plain JSON values)."""
    hand = hand_figures(objectives, basis)
    shown = []
    for objective in objectives:
        sites = [objective.site_id] if objective.site_id is not None else basis.scope.site_ids
        value = measure_value(objective, basis, CURRENT, sites, hand)
        shown.append(
            {
                "id": str(objective.id),
                "title": objective.title,
                "measure": objective.measure,
                "target": objective.target,
                "direction": objective.direction,
                "unit": objective.unit,
                "value": value,
                "previous_value": measure_value(objective, basis, PREVIOUS, sites, hand),
                "met": is_met(objective, value),
                "site": {"id": objective.site_id, "name": basis.scope.names.get(objective.site_id)}
                if objective.site_id is not None
                else None,
            }
        )
    return shown


def objectives_view(actor: Actor, period: Period, site_id: int | None = None) -> list[dict]:
    """GET /api/objectives: the objectives the actor may open (of one site), each with its
    value for the period, the period before, whether met, and its hand-entered figures."""
    stmt = objective_scope(actor, select(Objective))
    if site_id is not None:
        stmt = stmt.where(Objective.site_id == site_id)
    objectives = list(db.session.scalars(stmt.order_by(Objective.title, Objective.pk)))
    visible = db.session.scalars(actor.scope(select(Site.id), Site)).all()
    basis = Basis(scope_of(actor.organization_id, visible), period, period.previous())
    hand = hand_figures(objectives, basis)
    return [
        {
            **value,
            "active": objective.active,
            "hand_entered": objective.measure in HAND_ENTERED,
            "period": period.as_dict(),
            "comparison": basis.previous.as_dict(),
            "figures": sorted(
                (
                    {"month": f"{month:%Y-%m}", "value": figure}
                    for (pk, month), figure in hand.items()
                    if pk == objective.pk
                ),
                key=lambda entry: entry["month"],
            ),
            "created_at": objective.created_at,
            "changed_at": objective.changed_at,
        }
        for objective, value in zip(objectives, objective_values(objectives, basis), strict=True)
    ]
