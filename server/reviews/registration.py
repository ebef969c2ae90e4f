"""What management reviews hand the ground: their record types (reviews and objectives)."""

from server.records.registry import RecordType, register_record_type
from server.reviews.models import Objective, Review
from server.reviews.records import OBJECTIVE_TYPE, REVIEW_TYPE, objective_scope, review_scope


def register() -> None:
    """Make reviews and objectives known to the ground; the app factory calls this once per app."""
    register_record_type(RecordType(REVIEW_TYPE, Review, review_scope))
    register_record_type(RecordType(OBJECTIVE_TYPE, Objective, objective_scope))
