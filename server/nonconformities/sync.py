"""The "actions" list of POST /api/sync: done updates made offline, each answered on its own.

Each item is the body of PATCH /api/actions/{id} with the action's id, and goes through the
same service in a transaction of its own: one bad item never blocks the others, and a resend
finds what the first send saved.
"""

import marshmallow as ma

from server.auth.access import Actor
from server.exceptions import Conflict, InvalidInput, InvalidTransition, NotFound
from server.extensions import db
from server.nonconformities.actions import complete_action
from server.nonconformities.records import PhotosMissing
from server.nonconformities.schemas import ActionUpdateIn
from server.records.identity import CONFLICT, REJECTED, rejected

MISSING_PHOTOS = "missing_photos"
ACTION_UPDATE_IN = ActionUpdateIn()


def sync_actions(actor: Actor, items: list) -> list[dict]:
    """Answer every item, in order: updated, duplicate, conflict, missing_photos or rejected."""
    return [_take(actor, item) for item in items]


def _take(actor: Actor, item) -> dict:
    if not isinstance(item, dict):
        return rejected(None, {"_schema": ["Each action update must be a JSON object."]})
    try:
        update = ACTION_UPDATE_IN.load(item)
    except ma.ValidationError as error:
        return rejected(item.get("id"), error.normalized_messages())
    answer = {"id": str(update["id"])}
    try:
        action, outcome = complete_action(actor, update["id"], update)
    except (NotFound, Conflict, InvalidInput) as refused:
        db.session.rollback()  # nothing of a refused item stays
        return answer | _refusal(refused)
    return {**answer, "status": outcome, "action_status": action.status}


def _refusal(error) -> dict:
    """The answer to an update the service refused, by why."""
    if isinstance(error, PhotosMissing):
        return {"status": MISSING_PHOTOS, "missing_photos": error.missing}
    if isinstance(error, NotFound):
        return {"status": CONFLICT, "detail": "No action of yours has this id."}
    if isinstance(error, InvalidTransition):
        return {"status": REJECTED, "errors": error.errors, "detail": error.detail}
    if isinstance(error, Conflict):
        return {"status": CONFLICT, "detail": error.detail}
    return {"status": REJECTED, "errors": error.errors or {"_schema": [error.detail]}}
