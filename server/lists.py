"""/api/lists: the fixed vocabulary the PWA shows (kinds, statuses, bands...), served whole.

Each list is defined once, beside its values, in the feature that owns it; this module only
gathers them, so it is the one place outside the factory that imports several features. Nothing
in it is private or differs between organizations: it is served without signing in (the phone
can keep it before anyone signs in), with an ETag so that an unchanged list costs a 304.
"""

import marshmallow as ma
from flask import Response, request
from flask_smorest import Blueprint

from server.audits import models as audits
from server.auth import directory
from server.auth.access import OWN_RECORDS_ONLY
from server.auth.models import ROLE_LABELS, ROLES
from server.desk.routes import OFFICERS
from server.desk.services import ALL
from server.documents import models as documents
from server.ishikawa.cues import CATEGORIES as ISHIKAWA_CATEGORIES
from server.ishikawa.cues import CATEGORY_LABELS as ISHIKAWA_LABELS
from server.nonconformities import models as nc
from server.people import models as people
from server.reports.models import (
    KIND_LABELS,
    KINDS,
    LIKELIHOOD_LABELS,
    RISK_BAND_LABELS,
    RISK_BANDS,
    SEVERITY_LABELS,
    STATUS_LABELS,
    STATUS_REPORTER_LABELS,
    STATUSES,
)
from server.reviews import models as reviews
from server.risks import models as risks
from server.triage.models import DUPLICATE_STATUS_LABELS, DUPLICATE_STATUSES
from server.triage.rules import CATEGORY_LABELS, DEFAULT_SLA_HOURS, PRIORITIES, PRIORITY_LABELS

blp = Blueprint("lists", __name__, url_prefix="/api/lists", description="Shared lists")

# The queue's status filter: its default (every open status) and every status, around the
# single statuses.
OPEN_FILTER = {"value": "", "label": "Open"}
ANY_STATUS_FILTER = {"value": ALL, "label": "Any status"}


class Entry(ma.Schema):
    value = ma.fields.String(
        required=True, metadata={"description": "What the API takes and gives"}
    )
    label = ma.fields.String(required=True, metadata={"description": "What a person reads"})


class RoleOut(Entry):
    desk = ma.fields.Boolean(metadata={"description": "Works at the officer's desk"})
    own_records_only = ma.fields.Boolean(metadata={"description": "Sees only their own records"})


class StatusOut(Entry):
    reporter_label = ma.fields.String(metadata={"description": "What the reporter reads"})


class RiskBandOut(Entry):
    min = ma.fields.Integer(metadata={"description": "Lowest score (severity x likelihood)"})
    max = ma.fields.Integer(metadata={"description": "Highest score"})


class PriorityOut(Entry):
    default_sla_hours = ma.fields.Integer(metadata={"description": "Due this long after triage"})


class ControlOut(Entry):
    weak = ma.fields.Boolean(
        metadata={"description": "Administrative or PPE: alone, too weak for a major NC"}
    )


class RatingOut(Entry):
    value = ma.fields.Integer(required=True, metadata={"description": "1 to 5"})


class AuditResultOut(Entry):
    earned_share = ma.fields.Float(
        allow_none=True,
        metadata={"description": "The share of the weight it earns; null: left out of the score"},
    )
    nonconforming = ma.fields.Boolean(metadata={"description": "Becomes a nonconformity"})


class MeasureOut(Entry):
    unit = ma.fields.String(metadata={"description": "The unit an objective shows by default"})
    hand_entered = ma.fields.Boolean(
        metadata={"description": "Takes a figure each month (hours worked, or the value)"}
    )


def _list(schema: type[ma.Schema], description: str) -> ma.fields.List:
    return ma.fields.List(ma.fields.Nested(schema), metadata={"description": description})


class ListsOut(ma.Schema):
    roles = _list(RoleOut, "A user's role in an organization")
    kinds = _list(Entry, "What a report is about")
    statuses = _list(StatusOut, "Where a report stands")
    queue_statuses = _list(Entry, "The status filter of the officer's queue, in order")
    risk_bands = _list(RiskBandOut, "Bands of the 5 x 5 risk matrix, lowest first")
    severities = _list(RatingOut, "How bad it could be")
    likelihoods = _list(RatingOut, "How likely it is")
    priorities = _list(PriorityOut, "Triage priorities, most urgent first")
    triage_categories = _list(Entry, "What triage classifies a report as")
    duplicate_statuses = _list(Entry, "An officer's decision on a possible duplicate")
    ishikawa_categories = _list(Entry, "The six categories of a fishbone's causes")
    nc_statuses = _list(Entry, "Where a nonconformity stands, in the order it moves")
    nc_severities = _list(Entry, "How serious a nonconformity is")
    nc_sources = _list(Entry, "Where a nonconformity came from")
    action_kinds = _list(Entry, "What an action of a nonconformity does")
    action_statuses = _list(Entry, "Where an action stands")
    controls = _list(ControlOut, "The hierarchy of controls, most effective first")
    audit_results = _list(AuditResultOut, "An answer to an audit question, best first")
    audit_statuses = _list(Entry, "Where an audit stands, in the order it moves")
    standards = _list(Entry, "The standards audit templates are written for")
    competence_modules = _list(Entry, "The training modules every organization has")
    risk_kinds = _list(Entry, "What an entry of the risk and opportunity register is")
    risk_statuses = _list(Entry, "Whether a register entry is kept active")
    risk_review_reasons = _list(Entry, "Why a register entry is due for review early")
    objective_measures = _list(MeasureOut, "What an objective measures")
    objective_directions = _list(Entry, "Which side of its target meets an objective")
    review_statuses = _list(Entry, "Where a management review stands, in the order it moves")
    person_statuses = _list(Entry, "Whether a person may sign in: active, invited, deactivated")
    document_kinds = _list(Entry, "What a controlled document is")
    document_statuses = _list(Entry, "Where a controlled document stands")
    revision_statuses = _list(Entry, "Where a revision of a document stands")


def _labelled(values, labels: dict) -> list[dict]:
    """Each value with its label (its own name where no label was given)."""
    return [{"value": value, "label": labels.get(value, str(value))} for value in values]


def _risk_bands() -> list[dict]:
    """Each band with its label and the scores it spans."""
    floors = [1, *(ceiling + 1 for ceiling, _band in RISK_BANDS[:-1])]
    return [
        {"value": band, "label": RISK_BAND_LABELS.get(band, band), "min": floor, "max": ceiling}
        for floor, (ceiling, band) in zip(floors, RISK_BANDS, strict=True)
    ]


def _roles() -> list[dict]:
    """Each role with what it opens in the app."""
    return [
        {
            **entry,
            "desk": entry["value"] in OFFICERS,
            "own_records_only": entry["value"] in OWN_RECORDS_ONLY,
        }
        for entry in _labelled(ROLES, ROLE_LABELS)
    ]


def _statuses() -> list[dict]:
    """Each report status as the desk and as the reporter read it."""
    return [
        {**entry, "reporter_label": STATUS_REPORTER_LABELS.get(entry["value"], entry["label"])}
        for entry in _labelled(STATUSES, STATUS_LABELS)
    ]


def shared_lists() -> dict:
    """Every list, as GET /api/lists gives it."""
    statuses = _statuses()
    return {
        "roles": _roles(),
        "kinds": _labelled(KINDS, KIND_LABELS),
        "statuses": statuses,
        "queue_statuses": [OPEN_FILTER, *(_labelled(STATUSES, STATUS_LABELS)), ANY_STATUS_FILTER],
        "risk_bands": _risk_bands(),
        "severities": _labelled(sorted(SEVERITY_LABELS), SEVERITY_LABELS),
        "likelihoods": _labelled(sorted(LIKELIHOOD_LABELS), LIKELIHOOD_LABELS),
        "priorities": [
            {**entry, "default_sla_hours": DEFAULT_SLA_HOURS[entry["value"]]}
            for entry in _labelled(PRIORITIES, PRIORITY_LABELS)
        ],
        "triage_categories": _labelled(CATEGORY_LABELS, CATEGORY_LABELS),
        "duplicate_statuses": _labelled(DUPLICATE_STATUSES, DUPLICATE_STATUS_LABELS),
        "ishikawa_categories": _labelled(ISHIKAWA_CATEGORIES, ISHIKAWA_LABELS),
        "nc_statuses": _labelled(nc.NC_STATES.states, nc.STATUS_LABELS),
        "nc_severities": _labelled(nc.SEVERITIES, nc.SEVERITY_LABELS),
        "nc_sources": _labelled(nc.SOURCES, nc.SOURCE_LABELS),
        "action_kinds": _labelled(nc.ACTION_KINDS, nc.ACTION_KIND_LABELS),
        "action_statuses": _labelled(nc.ACTION_STATES.states, nc.ACTION_STATUS_LABELS),
        "controls": [
            {**entry, "weak": entry["value"] in nc.WEAK_CONTROLS}
            for entry in _labelled(nc.CONTROLS, nc.CONTROL_LABELS)
        ],
        "audit_results": [
            {
                **entry,
                "earned_share": audits.EARNED_SHARE.get(entry["value"]),
                "nonconforming": entry["value"] in audits.NONCONFORMING,
            }
            for entry in _labelled(audits.RESULTS, audits.RESULT_LABELS)
        ],
        "audit_statuses": _labelled(audits.AUDIT_STATES.states, audits.STATUS_LABELS),
        "standards": _labelled(audits.STANDARDS, audits.STANDARD_LABELS),
        "competence_modules": _labelled(people.MODULES, people.MODULE_LABELS),
        "risk_kinds": _labelled(risks.KINDS, risks.KIND_LABELS),
        "risk_statuses": _labelled(risks.STATUSES, risks.STATUS_LABELS),
        "risk_review_reasons": _labelled(risks.REVIEW_REASONS, risks.REVIEW_REASON_LABELS),
        "objective_measures": [
            {
                **entry,
                "unit": reviews.MEASURE_UNITS[entry["value"]],
                "hand_entered": entry["value"] in reviews.HAND_ENTERED,
            }
            for entry in _labelled(reviews.MEASURES, reviews.MEASURE_LABELS)
        ],
        "objective_directions": _labelled(reviews.DIRECTIONS, reviews.DIRECTION_LABELS),
        "review_statuses": _labelled(reviews.REVIEW_STATES.states, reviews.STATUS_LABELS),
        "person_statuses": _labelled(directory.STATUSES, directory.STATUS_LABELS),
        "document_kinds": _labelled(documents.KINDS, documents.KIND_LABELS),
        "document_statuses": _labelled(
            documents.REVISION_STATUSES, documents.DOCUMENT_STATUS_LABELS
        ),
        "revision_statuses": _labelled(
            documents.REVISION_STATUSES, documents.REVISION_STATUS_LABELS
        ),
    }


IF_NONE_MATCH = {
    "in": "header",
    "name": "If-None-Match",
    "schema": {"type": "string"},
    "description": "The ETag of the lists held: 304 while they are current",
}
ETAG = {"ETag": {"description": "A hash of the body", "schema": {"type": "string"}}}


@blp.get("")
@blp.doc(parameters=[IF_NONE_MATCH])
@blp.response(200, ListsOut, headers=ETAG)
@blp.alt_response(304, description="Not modified: the lists held for this ETag are current")
def lists():
    """Every shared list, each entry a value and its label (no sign-in needed)."""
    return shared_lists()


@blp.after_request
def revalidated(response: Response) -> Response:
    """Tag the lists with a hash of the body; a client holding that tag gets a 304."""
    if response.status_code != 200:
        return response
    response.add_etag()
    response.cache_control.no_cache = True
    return response.make_conditional(request)
