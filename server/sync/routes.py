"""/api/sync: the phone's outbox arrives here; changes go back."""

from flask import current_app
from flask_smorest import Blueprint

from server.auth.access import current_actor, role_required
from server.sync import services
from server.sync.schemas import ChangesIn, ChangesOut, SyncIn, SyncOut

blp = Blueprint("sync", __name__, url_prefix="/api/sync", description="Offline sync")


@blp.post("")
@role_required()
@blp.arguments(SyncIn)
@blp.response(200, SyncOut)
def push(body):
    """Send lists of items by name (reports, ...); each item gets its own result by id
    (created, duplicate, conflict, missing_photos, rejected). Retrying is always safe."""
    max_batch = current_app.config.get("SYNC_MAX_BATCH", services.MAX_BATCH)
    answers = services.take(current_actor(), body, max_batch)
    return answers | ({"results": answers["reports"]} if "reports" in answers else {})


@blp.get("")
@role_required()
@blp.arguments(ChangesIn, location="query")
@blp.response(200, ChangesOut)
def pull(args):
    """What changed on the records I may see since the cursor, and the next cursor."""
    changed, cursor = services.changes_since(current_actor(), args["since"])
    return {"changes": changed, "cursor": cursor}
