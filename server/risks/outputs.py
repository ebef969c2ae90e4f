"""What the register's API answers: an entry, a page of them, the heat map, a site's controls."""

import marshmallow as ma

from server.reports.schemas import PersonOut

_BAND_DOC = {"description": "low (1-4), medium (5-9), high (10-16) or critical (17-25)"}


class RiskRatingOut(ma.Schema):
    severity = ma.fields.Integer()
    likelihood = ma.fields.Integer()
    score = ma.fields.Integer(metadata={"description": "severity x likelihood"})
    band = ma.fields.String(metadata=_BAND_DOC)


class RiskControlOut(ma.Schema):
    text = ma.fields.String()
    control = ma.fields.String(metadata={"description": "Its level in the hierarchy of controls"})


class RiskWarningOut(ma.Schema):
    code = ma.fields.String(metadata={"description": "residual_above_inherent or weak_controls"})
    message = ma.fields.String()


class HistoryOut(ma.Schema):
    """One rating of an entry: as entered, or a review."""

    reviewed_at = ma.fields.AwareDateTime()
    reviewed_by = ma.fields.Nested(PersonOut, allow_none=True)
    inherent = ma.fields.Nested(RiskRatingOut)
    residual = ma.fields.Nested(RiskRatingOut)
    controls = ma.fields.List(ma.fields.Nested(RiskControlOut))
    review_on = ma.fields.Date()
    reason = ma.fields.String(allow_none=True, metadata={"description": "Why it was reviewed"})
    notes = ma.fields.String(allow_none=True)


class RiskLinkOut(ma.Schema):
    record_type = ma.fields.String(
        metadata={"description": "report, nonconformity or audit_response"}
    )
    record_id = ma.fields.UUID()
    title = ma.fields.String()
    linked_at = ma.fields.AwareDateTime()


class RiskSummaryOut(ma.Schema):
    """An entry as the register's list shows it."""

    id = ma.fields.UUID()
    ref = ma.fields.String(metadata={"description": "R-14 (O-14 for an opportunity)"})
    number = ma.fields.Integer()
    site_id = ma.fields.Integer()
    site_name = ma.fields.String()
    kind = ma.fields.String(metadata={"description": "risk or opportunity"})
    activity = ma.fields.String()
    hazard = ma.fields.String(metadata={"description": "The hazard, or the benefit"})
    who = ma.fields.String(metadata={"description": "Who is at risk"})
    category = ma.fields.String(allow_none=True)
    inherent = ma.fields.Nested(RiskRatingOut)
    residual = ma.fields.Nested(RiskRatingOut)
    controls = ma.fields.List(ma.fields.Nested(RiskControlOut))
    owner = ma.fields.Nested(PersonOut, allow_none=True)
    review_on = ma.fields.Date()
    review_due = ma.fields.Boolean(
        metadata={"description": "A review was asked for, or its day has come at the site"}
    )
    review_overdue = ma.fields.Boolean(metadata={"description": "Its review day has passed"})
    review_reason = ma.fields.String(allow_none=True)
    review_note = ma.fields.String(allow_none=True)
    review_requested_at = ma.fields.AwareDateTime(allow_none=True)
    status = ma.fields.String(metadata={"description": "active or archived"})
    links_count = ma.fields.Integer()
    warnings = ma.fields.List(ma.fields.Nested(RiskWarningOut))
    change_id = ma.fields.Integer()
    created_at = ma.fields.AwareDateTime()
    changed_at = ma.fields.AwareDateTime()


class RiskOut(RiskSummaryOut):
    """One entry with its history (oldest first) and the records linked to it."""

    history = ma.fields.List(ma.fields.Nested(HistoryOut))
    links = ma.fields.List(ma.fields.Nested(RiskLinkOut))


class RiskPageOut(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(RiskSummaryOut))
    next_cursor = ma.fields.String(allow_none=True)


class HeatmapOut(ma.Schema):
    inherent = ma.fields.List(
        ma.fields.List(ma.fields.Integer()),
        metadata={"description": "5 x 5 counts, [severity - 1][likelihood - 1]"},
    )
    residual = ma.fields.List(ma.fields.List(ma.fields.Integer()))
    total = ma.fields.Integer()


class SiteControlOut(ma.Schema):
    """An active entry of a site as its workers read it: what to watch for and the controls."""

    id = ma.fields.UUID()
    ref = ma.fields.String()
    site_id = ma.fields.Integer()
    kind = ma.fields.String()
    activity = ma.fields.String()
    hazard = ma.fields.String()
    who = ma.fields.String()
    residual = ma.fields.Nested(RiskRatingOut)
    controls = ma.fields.List(ma.fields.Nested(RiskControlOut))
