"""/api/reports/{id}/triage: the triage result and an officer's override."""

from flask_smorest import Blueprint

blp = Blueprint("triage", __name__, url_prefix="/api/reports", description="Triage")
