"""The officer's triage queue: the reports to act on, most urgent first, in keyset pages."""

import base64
import binascii
import json
from collections import defaultdict
from datetime import date, datetime, timedelta

import marshmallow as ma
from sqlalchemy import ColumnElement, Select, and_, exists, false, or_, select, text, tuple_
from sqlalchemy.orm import selectinload

from server.auth.access import Actor
from server.exceptions import InvalidInput
from server.extensions import db
from server.orgs.zones import DEFAULT_ZONE, day_start
from server.reports.models import AWAITING_TRIAGE, OPEN_CONDITION, RISK_BANDS, STATUSES, Report
from server.reports.services import report_views
from server.sites.services import sites_by_zone
from server.triage.models import DuplicateCandidate, Triage
from server.validation import AwareDateTime

CLOSED = "closed"
OPEN_STATUSES = tuple(status for status in STATUSES if status != CLOSED)
# Word for word the condition of ix_report_queue_open, so that both databases use it.
IS_OPEN = text(f"report.{OPEN_CONDITION}")
ALL = "all"
AWAITING_LABEL = "awaiting_triage"
# The queue's order: ix_report_queue and ix_report_queue_open (open reports only) hold it after
# organization_id, so that a page is one range of an index.
QUEUE_ORDER = (Report.queue_priority, Report.queue_risk, Report.received_at, Report.pk)
BAD_CURSOR = {"cursor": ["Not a cursor this API gave out."]}
CONFIRMED = "confirmed"
# A report an officer confirmed as the duplicate of an earlier one is merged into it: the
# earlier report (lower pk) is the one item for both.
MERGED_AWAY = exists().where(
    DuplicateCandidate.other_report_pk == Report.pk, DuplicateCandidate.status == CONFIRMED
)
CATEGORY_TO_CHECK = exists().where(Triage.report_pk == Report.pk, Triage.check_category.is_(True))


def queue_page(
    actor: Actor, filters: dict, limit: int = 50, cursor: str | None = None
) -> tuple[list[dict], str | None]:
    """A page of the queue the actor may see, as report views, and the next page's cursor."""
    stmt = _filtered(actor, actor.scope(select(Report), Report), filters)
    if cursor is not None:
        # A plain tuple: each value is bound with its column's type (received_at as UTC).
        stmt = stmt.where(tuple_(*QUEUE_ORDER) > decode_cursor(cursor))
    stmt = stmt.options(
        selectinload(Report.photos), selectinload(Report.site), selectinload(Report.reporter)
    )
    reports = db.session.scalars(stmt.order_by(*QUEUE_ORDER).limit(limit + 1)).all()
    page = reports[:limit]
    next_cursor = encode_cursor(page[-1]) if len(reports) > limit else None
    pks = [report.pk for report in page]
    merged, to_check = merged_counts(pks), categories_to_check(pks)
    views = [
        {
            **view,
            "queue_priority": queue_label(report.queue_priority),
            "merged_reports": merged[report.pk],
            "check_category": report.pk in to_check,
        }
        for report, view in zip(page, report_views(page), strict=True)
    ]
    return views, next_cursor


def merged_counts(report_pks: list[int]) -> dict[int, int]:
    """How many reports each one stands for: itself and those merged into it, chains followed."""
    members = {pk: {pk} for pk in report_pks}
    newest = {pk: {pk} for pk in report_pks}
    # One query per link of the longest chain (a pair's later report has the higher pk).
    while newest:
        later = defaultdict(set)
        for low, high in db.session.execute(
            select(DuplicateCandidate.report_pk, DuplicateCandidate.other_report_pk).where(
                DuplicateCandidate.report_pk.in_(set().union(*newest.values())),
                DuplicateCandidate.status == CONFIRMED,
            )
        ):
            later[low].add(high)
        newest = {
            pk: found
            for pk, nodes in newest.items()
            if (found := set().union(*(later[node] for node in nodes)) - members[pk])
        }
        for pk, found in newest.items():
            members[pk] |= found
    return {pk: len(group) for pk, group in members.items()}


def categories_to_check(report_pks: list[int]) -> set[int]:
    """The reports among report_pks whose triage asks an officer to check the category."""
    if not report_pks:
        return set()
    return set(
        db.session.scalars(
            select(Triage.report_pk).where(
                Triage.report_pk.in_(report_pks), Triage.check_category.is_(True)
            )
        )
    )


def _filtered(actor: Actor, stmt: Select, filters: dict) -> Select:
    """stmt limited by the queue's filters, on the report row, its copy of the triage and its
    duplicates: a report merged into an earlier one is never an item of its own."""
    stmt = stmt.where(~MERGED_AWAY)
    if filters.get("check_category") is not None:
        stmt = stmt.where(CATEGORY_TO_CHECK if filters["check_category"] else ~CATEGORY_TO_CHECK)
    for column in ("site_id", "kind"):
        if filters.get(column) is not None:
            stmt = stmt.where(getattr(Report, column) == filters[column])
    stmt = _with_status(stmt, filters.get("status"))
    observed = observed_within(
        actor, filters.get("site_id"), filters.get("observed_from"), filters.get("observed_to")
    )
    if observed is not None:
        stmt = stmt.where(observed)
    if (filters.get("q") or "").strip():
        # LIKE, % and _ escaped; it reads the open reports' index in order until a page is full.
        stmt = stmt.where(Report.description.icontains(filters["q"].strip(), autoescape=True))
    if filters.get("category") is not None:
        stmt = stmt.where(Report.queue_category == filters["category"])
    if filters.get("risk_band") is not None:
        stmt = stmt.where(in_risk_band(filters["risk_band"]))
    return stmt


def _utc_bound(value: date | None, zone: str, end: bool) -> datetime | None:
    """A bound in UTC: a time as given; a date's start in zone (at the end: the next day's)."""
    if value is None or isinstance(value, datetime):
        return value
    return day_start(value + timedelta(days=1) if end else value, zone)


def observed_within(
    actor: Actor, site_id: int | None, start: date | None, end: date | None
) -> ColumnElement[bool] | None:
    """Reports observed from start (inclusive) to end (exclusive; a plain date: inclusive).

    A plain date is a day in the time zone of each report's site: one UTC range per zone.
    """
    if start is None and end is None:
        return None
    plain = any(v is not None and not isinstance(v, datetime) for v in (start, end))
    zones = sites_by_zone(actor, site_id) if plain else {DEFAULT_ZONE: []}
    if not zones:
        return false()
    ranges = {zone: (_utc_bound(start, zone, False), _utc_bound(end, zone, True)) for zone in zones}
    return in_zone_ranges(zones, ranges)


def in_zone_ranges(
    zones: dict[str, list[int]], ranges: dict[str, tuple[datetime | None, datetime | None]]
) -> ColumnElement[bool]:
    """Reports observed in the range of their site's zone (zones: site ids by zone)."""
    lows, highs = zip(*ranges.values(), strict=True)
    # The widest range on its own too, so that an index on observed_at narrows the rows read.
    widest = _in_range(None if None in lows else min(lows), None if None in highs else max(highs))
    if len(zones) == 1:
        return widest
    per_zone = (and_(Report.site_id.in_(zones[z]), _in_range(*ranges[z])) for z in ranges)
    return and_(widest, or_(*per_zone))


def _in_range(low: datetime | None, high: datetime | None) -> ColumnElement[bool]:
    """observed_at within [low, high), either side open when None."""
    conditions = []
    if low is not None:
        conditions.append(Report.observed_at >= low)
    if high is not None:
        conditions.append(Report.observed_at < high)
    return and_(*conditions)


def in_risk_band(band: str) -> ColumnElement[bool]:
    """Triaged reports whose effective risk score is in band (queue_risk is its negation)."""
    floor = 1
    for ceiling, name in RISK_BANDS:
        if name == band:
            triaged = Report.queue_priority != AWAITING_TRIAGE
            return and_(triaged, Report.queue_risk.between(-ceiling, -floor))
        floor = ceiling + 1
    raise ValueError(f"no risk band {band!r}")


def _with_status(stmt: Select, statuses: list[str] | None) -> Select:
    """Open reports by default; else those of the statuses listed, or all."""
    if not statuses:
        return stmt.where(IS_OPEN)
    if ALL in statuses:
        return stmt
    stmt = stmt.where(Report.status.in_(statuses))
    # Not needed for the result, but it lets the database use the open reports' index.
    return stmt if CLOSED in statuses else stmt.where(IS_OPEN)


def queue_label(queue_priority: int) -> str:
    """awaiting_triage, or the priority P1..P4."""
    return AWAITING_LABEL if queue_priority == AWAITING_TRIAGE else f"P{queue_priority}"


def encode_cursor(report: Report) -> str:
    """An opaque cursor: the report's place in the queue order, base64url of JSON."""
    key = [report.queue_priority, report.queue_risk, report.received_at.isoformat(), report.pk]
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[int, int, datetime, int]:
    """The queue key a cursor holds; InvalidInput when it is not one this API gave out."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        priority, risk, received_at, pk = json.loads(raw)
        # With its offset, and within the dates a database keeps.
        received_at = AwareDateTime().deserialize(received_at)
    except (binascii.Error, ValueError, TypeError, ma.ValidationError):
        raise InvalidInput(errors=BAD_CURSOR) from None
    if not all(type(n) is int and abs(n) < 2**31 for n in (priority, risk, pk)):
        raise InvalidInput(errors=BAD_CURSOR)
    return priority, risk, received_at, pk
