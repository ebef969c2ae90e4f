"""/api/sync: the phone's outbox arrives here; changes go back."""

from flask import current_app
from flask_smorest import Blueprint

from server.auth.access import current_actor, role_required
from server.reports.schemas import ChangesIn, ChangesOut, SyncIn, SyncOut
from server.reports.services import changes_since
from server.sync import services

blp = Blueprint("sync", __name__, url_prefix="/api/sync", description="Offline sync")


@blp.post("")
@role_required()
@blp.arguments(SyncIn)
@blp.response(200, SyncOut)
def push(body):
    """Send reports; each gets its own result (created, duplicate, conflict, missing_photos,
    rejected). Retrying is always safe."""
    max_batch = current_app.config.get("SYNC_MAX_BATCH", services.MAX_BATCH)
    return {"results": services.sync_reports(current_actor(), body["reports"], max_batch)}


@blp.get("")
@role_required()
@blp.arguments(ChangesIn, location="query")
@blp.response(200, ChangesOut)
def pull(args):
    """What changed on my reports since the cursor, and the next cursor."""
    changed, cursor = changes_since(current_actor(), args["since"])
    return {"changes": changed, "cursor": cursor}
