"""What the register hands the ground and the features below it."""

from server.records.registry import RecordType, register_record_type
from server.risks import models  # noqa: F401  (the tables)
from server.risks.models import Risk
from server.risks.records import RISK_TYPE, risk_scope


def register() -> None:
    """Make the register known to the ground; the app factory calls this once per app."""
    register_record_type(RecordType(RISK_TYPE, Risk, risk_scope))
