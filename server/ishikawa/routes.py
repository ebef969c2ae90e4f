"""/api/reports/{id}/analysis: the Ishikawa analysis, its edits and its diagram."""

from flask_smorest import Blueprint

blp = Blueprint("analysis", __name__, url_prefix="/api/reports", description="Root-cause analysis")
