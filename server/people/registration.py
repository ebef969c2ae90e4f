"""What competence hands the ground: its record type, so that a record's certificate photo is
downloadable by whoever may open the record (its holder, the organization's officers and admins)."""

from server.people.models import Competence
from server.people.records import COMPETENCE_TYPE, competence_scope
from server.records.registry import RecordType, register_record_type


def register() -> None:
    """Make competence records known to the ground; the app factory calls this once per app."""
    register_record_type(RecordType(COMPETENCE_TYPE, Competence, competence_scope))
