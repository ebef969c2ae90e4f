"""/api/sites: the sites a user may report from; admins add and change them.
/api/organization: the organization's name and settings, read by members, changed by admins."""

from flask_smorest import Blueprint

from server.auth.access import current_actor, role_required
from server.orgs.models import Site
from server.orgs.schemas import (
    OrganizationChangeIn,
    OrganizationOut,
    SiteChangeIn,
    SiteIn,
    SiteOut,
)
from server.sites import (
    account_routes,  # noqa: F401 (the people and account-link calls join the auth blueprints)
    services,
)

blp = Blueprint("sites", __name__, url_prefix="/api", description="Sites and organization")


@blp.get("/sites")
@role_required()
@blp.response(200, SiteOut(many=True))
def list_sites():
    """The sites of my organization that I may see."""
    return services.visible_sites(current_actor())


@blp.post("/sites")
@role_required("admin")
@blp.arguments(SiteIn)
@blp.response(201, SiteOut)
def create_site(data):
    """Add a site (admins); without a time zone it takes the organization's."""
    return services.create_site(current_actor(), **data)


@blp.get("/sites/<int:site_id>")
@role_required()
@blp.response(200, SiteOut)
def get_site(site_id):
    """One site."""
    return current_actor().get_or_404(Site, site_id)


@blp.patch("/sites/<int:site_id>")
@role_required("admin")
@blp.arguments(SiteChangeIn)
@blp.response(200, SiteOut)
def update_site(data, site_id):
    """Change a site's name, code, position or time zone (admins)."""
    return services.update_site(current_actor(), site_id, **data)


@blp.get("/organization")
@role_required()
@blp.response(200, OrganizationOut)
def get_organization():
    """My organization: its name and settings."""
    return services.organization(current_actor())


@blp.patch("/organization")
@role_required("admin")
@blp.arguments(OrganizationChangeIn)
@blp.response(200, OrganizationOut)
def update_organization(data):
    """Change the organization's name, default time zone, training due days or document review
    months (admins)."""
    return services.update_organization(current_actor(), **data)
