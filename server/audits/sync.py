"""The "responses" list of POST /api/sync: audit answers made offline, each answered on its own.

Each item is saved in a transaction of its own: one bad answer never blocks the others, and a
resend finds what the first send saved.
"""

import marshmallow as ma

from server.audits.schemas import ResponseIn
from server.audits.services import save_response
from server.auth.access import Actor
from server.exceptions import Conflict, InvalidInput, NotFound
from server.extensions import db
from server.nonconformities.records import PhotosMissing
from server.records.identity import CONFLICT, REJECTED, rejected

MISSING_PHOTOS = "missing_photos"
RESPONSE_IN = ResponseIn()


def sync_responses(actor: Actor, items: list) -> list[dict]:
    """Answer every item, in order: created, duplicate, conflict, missing_photos or rejected."""
    return [_take(actor, item) for item in items]


def _take(actor: Actor, item) -> dict:
    if not isinstance(item, dict):
        return rejected(None, {"_schema": ["Each response must be a JSON object."]})
    try:
        answer = RESPONSE_IN.load(item)
    except ma.ValidationError as error:
        return rejected(item.get("id"), error.normalized_messages())
    reply = {"id": str(answer["id"])}
    try:
        _response, outcome, current = save_response(actor, answer)
        db.session.commit()
    except (NotFound, Conflict, InvalidInput) as refused:
        db.session.rollback()  # nothing of a refused item stays
        return reply | _refusal(refused)
    return reply | {"status": outcome, "current": current}


def _refusal(error) -> dict:
    """The answer to a response the service refused, by why."""
    if isinstance(error, PhotosMissing):
        return {"status": MISSING_PHOTOS, "missing_photos": error.missing}
    if isinstance(error, NotFound):
        return {"status": CONFLICT, "detail": "No audit of yours has this id."}
    if isinstance(error, Conflict):
        return {"status": CONFLICT, "detail": error.detail, "errors": error.errors}
    return {"status": REJECTED, "errors": error.errors or {"_schema": [error.detail]}}
