"""/api/sites: the sites a user may report from; admins add and change them."""

from flask_smorest import Blueprint

from server.auth.access import current_actor, role_required
from server.orgs.models import Site
from server.orgs.schemas import SiteChangeIn, SiteIn, SiteOut
from server.sites import services

blp = Blueprint("sites", __name__, url_prefix="/api/sites", description="Sites")


@blp.get("")
@role_required()
@blp.response(200, SiteOut(many=True))
def list_sites():
    """The sites of my organization that I may see."""
    return services.visible_sites(current_actor())


@blp.post("")
@role_required("admin")
@blp.arguments(SiteIn)
@blp.response(201, SiteOut)
def create_site(data):
    """Add a site (admins)."""
    return services.create_site(current_actor(), **data)


@blp.get("/<int:site_id>")
@role_required()
@blp.response(200, SiteOut)
def get_site(site_id):
    """One site."""
    return current_actor().get_or_404(Site, site_id)


@blp.patch("/<int:site_id>")
@role_required("admin")
@blp.arguments(SiteChangeIn)
@blp.response(200, SiteOut)
def update_site(data, site_id):
    """Change a site's name, code, position or time zone (admins)."""
    return services.update_site(current_actor(), site_id, **data)
