"""What documents hand the ground: their record type, so the ground knows who may open one."""

from server.documents.models import Document
from server.documents.records import DOCUMENT_TYPE, document_scope
from server.records.registry import RecordType, register_record_type


def register() -> None:
    """Make documents known to the ground; the app factory calls this once per app."""
    register_record_type(RecordType(DOCUMENT_TYPE, Document, document_scope))
