"""Site queries and changes."""

from sqlalchemy import select

from server.auth.access import Actor
from server.errors import Conflict
from server.extensions import db
from server.orgs.models import Site


def visible_sites(actor: Actor) -> list[Site]:
    """The sites the actor may see, by name."""
    return list(db.session.scalars(actor.scope(select(Site), Site).order_by(Site.name)))


def visible_site_ids(actor: Actor) -> set[int]:
    """The ids of the sites the actor may see."""
    return set(db.session.scalars(actor.scope(select(Site.id), Site)))


def create_site(
    actor: Actor,
    name: str,
    code: str,
    latitude: float | None = None,
    longitude: float | None = None,
) -> Site:
    """Add a site to the actor's organization; site codes are unique within it."""
    code = code.upper()
    taken = db.session.scalar(
        select(Site.id).where(Site.organization_id == actor.organization_id, Site.code == code)
    )
    if taken:
        raise Conflict(f"A site with code {code} already exists.", errors={"code": ["Taken."]})
    site = Site(
        organization_id=actor.organization_id,
        name=name,
        code=code,
        latitude=latitude,
        longitude=longitude,
    )
    db.session.add(site)
    db.session.commit()
    return site
