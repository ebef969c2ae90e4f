"""/api/audit-templates: the checklists audits run, their versions and the starter templates."""

import uuid
from http import HTTPStatus

from flask_smorest import Blueprint

from server.audits import templates
from server.audits.template_schemas import (
    TemplateFilterIn,
    TemplateIn,
    TemplateOut,
    TemplateUpdateIn,
)
from server.auth.access import current_actor, role_required

templates_blp = Blueprint(
    "audit_templates",
    __name__,
    url_prefix="/api/audit-templates",
    description="Audit templates: sections by clause, questions, versions",
)
_403 = HTTPStatus(403).name
_404 = HTTPStatus(404).name
_409 = HTTPStatus(409).name


@templates_blp.get("")
@role_required()
@templates_blp.arguments(TemplateFilterIn, location="query")
@templates_blp.response(200, TemplateOut(many=True))
@templates_blp.alt_response(403, response=_403)
def list_templates(filters: dict):
    """The organization's templates by name, the starter ones (ISO 45001, 14001, 9001) among
    them; each as its newest version says it. Auditors, officers and admins."""
    actor = current_actor()
    templates.ensure_starter_templates(actor.organization_id)
    return templates.list_templates(actor, **filters)


@templates_blp.post("")
@role_required()
@templates_blp.arguments(TemplateIn)
@templates_blp.response(201, TemplateOut, description="Made")
@templates_blp.alt_response(200, schema=TemplateOut, description="Already made", success=True)
@templates_blp.alt_response(403, response=_403)
@templates_blp.alt_response(409, response=_409)
def create_template(body: dict):
    """Make a template, or copy one ({copy_of, name}: its newest version, fresh question ids).
    The same id and content again gives it back (200); other content is 409. Officers, admins."""
    actor = current_actor()
    template, created = templates.create_template(actor, body)
    return templates.get_template(actor, template.id), 201 if created else 200


@templates_blp.get("/<uuid:template_id>")
@role_required()
@templates_blp.response(200, TemplateOut)
@templates_blp.alt_response(403, response=_403)
@templates_blp.alt_response(404, response=_404)
def get_template(template_id: uuid.UUID):
    """The template's newest version; `used` tells whether an audit ran it."""
    return templates.get_template(current_actor(), template_id)


@templates_blp.put("/<uuid:template_id>")
@role_required()
@templates_blp.arguments(TemplateUpdateIn)
@templates_blp.response(200, TemplateOut)
@templates_blp.alt_response(403, response=_403)
@templates_blp.alt_response(404, response=_404)
def update_template(body: dict, template_id: uuid.UUID):
    """Replace the template's content: in place while no audit ran its newest version, else as
    the next version (audits keep theirs). Officers and admins."""
    actor = current_actor()
    templates.update_template(actor, template_id, body)
    return templates.get_template(actor, template_id)
