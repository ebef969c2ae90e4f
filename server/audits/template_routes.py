"""/api/audit-templates: the checklists audits run, their versions and the starter templates."""

from flask_smorest import Blueprint

templates_blp = Blueprint(
    "audit_templates",
    __name__,
    url_prefix="/api/audit-templates",
    description="Audit templates: sections by clause, questions, versions",
)
