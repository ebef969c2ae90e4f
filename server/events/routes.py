"""/api/events/verification: how far the organization's event log is verified."""

from flask_smorest import Blueprint

from server.auth.access import current_actor, role_required
from server.events import verify
from server.events.schemas import ChainVerificationOut

blp = Blueprint("events", __name__, url_prefix="/api/events", description="The event log")


@blp.get("/verification")
@role_required("officer", "admin")
@blp.response(200, ChainVerificationOut)
def verification():
    """The last full check of my organization's event chain (the worker's, hourly)."""
    return verify.status(current_actor().organization_id)


@blp.post("/verification")
@role_required("officer", "admin")
@blp.response(200, ChainVerificationOut)
def verify_now():
    """Check my organization's event chain now, in full; 429 within a minute of the last."""
    organization_id = current_actor().organization_id
    verify.verify_now(organization_id)
    return verify.status(organization_id)
