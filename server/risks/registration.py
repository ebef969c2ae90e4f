"""What the register hands the ground and the features below it."""

from server.events.services import on_event
from server.nonconformities.records import NC_TYPE
from server.records.registry import RecordType, register_record_type
from server.risks.links import review_after_failed_check
from server.risks.models import Risk
from server.risks.records import RISK_TYPE, risk_scope


def register() -> None:
    """Make the register known to the ground; the app factory calls this once per app."""
    register_record_type(RecordType(RISK_TYPE, Risk, risk_scope))
    # A "not effective" check of an NC linked to an entry sends the entry to review.
    on_event(NC_TYPE, "verified", review_after_failed_check)
