"""Record identity: a record is known by the id the phone made; a resend is told from an edit."""

import hashlib
import json
import uuid
from datetime import UTC, date, datetime

CREATED, DUPLICATE, CONFLICT, REJECTED = "created", "duplicate", "conflict", "rejected"


def _plain(value):
    """JSON for the values a validated item holds beyond JSON's own."""
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot fingerprint a {type(value).__name__}")


def fingerprint(item: dict) -> str:
    """A stable SHA-256 of a validated item: the same content always gives the same digest."""
    encoded = json.dumps(item, sort_keys=True, separators=(",", ":"), default=_plain)
    return hashlib.sha256(encoded.encode()).hexdigest()


def resend_status(saved_fingerprint: str, sent_fingerprint: str) -> str:
    """duplicate when an id already saved arrives with the same content, else conflict."""
    return DUPLICATE if saved_fingerprint == sent_fingerprint else CONFLICT


def rejected(item_id, errors: dict) -> dict:
    """The answer to an item that failed validation, naming it by its id when it had one."""
    return {
        "id": item_id if isinstance(item_id, str) else None,
        "status": REJECTED,
        "errors": errors,
    }
