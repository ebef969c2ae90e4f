"""Site and organization queries and changes."""

from sqlalchemy import select

from server.auth.access import Actor
from server.events.services import record_event
from server.exceptions import Conflict
from server.extensions import db
from server.orgs.models import Organization, Site


def visible_sites(actor: Actor) -> list[Site]:
    """The sites the actor may see, by name."""
    return list(db.session.scalars(actor.scope(select(Site), Site).order_by(Site.name)))


def visible_site_ids(actor: Actor) -> set[int]:
    """The ids of the sites the actor may see."""
    return set(db.session.scalars(actor.scope(select(Site.id), Site)))


def sites_by_zone(actor: Actor, site_id: int | None = None) -> dict[str, list[int]]:
    """The ids of the sites the actor may see (or only site_id), grouped by time zone."""
    stmt = actor.scope(select(Site.time_zone, Site.id), Site).order_by(Site.time_zone, Site.id)
    if site_id is not None:
        stmt = stmt.where(Site.id == site_id)
    zones: dict[str, list[int]] = {}
    for zone, found in db.session.execute(stmt):
        zones.setdefault(zone, []).append(found)
    return zones


def _check_code_free(actor: Actor, code: str, site_id: int | None = None) -> None:
    """Conflict when another site of the actor's organization has this code."""
    taken = db.session.scalar(
        select(Site.id).where(
            Site.organization_id == actor.organization_id, Site.code == code, Site.id != site_id
        )
    )
    if taken:
        raise Conflict(f"A site with code {code} already exists.", errors={"code": ["Taken."]})


def create_site(
    actor: Actor,
    name: str,
    code: str,
    latitude: float | None = None,
    longitude: float | None = None,
    time_zone: str | None = None,
) -> Site:
    """Add a site to the actor's organization (in its time zone unless told); site codes are
    unique within it."""
    code = code.upper()
    _check_code_free(actor, code)
    if time_zone is None:
        time_zone = db.session.get(Organization, actor.organization_id).time_zone
    site = Site(
        organization_id=actor.organization_id,
        name=name,
        code=code,
        latitude=latitude,
        longitude=longitude,
        time_zone=time_zone,
    )
    db.session.add(site)
    db.session.flush()
    record_event(
        actor.organization_id, actor.user_id, "site", site.id, "created",
        name=name, code=code, time_zone=time_zone,
    )  # fmt: skip
    db.session.commit()
    return site


def update_site(actor: Actor, site_id: int, **changes) -> Site:
    """Change a site the actor may see: name, code, position or time zone."""
    site = actor.get_or_404(Site, site_id)
    if "code" in changes:
        changes["code"] = changes["code"].upper()
        _check_code_free(actor, changes["code"], site.id)
    changed = {name: value for name, value in changes.items() if getattr(site, name) != value}
    for name, value in changed.items():
        setattr(site, name, value)
    if changed:
        record_event(actor.organization_id, actor.user_id, "site", site.id, "changed", **changed)
    db.session.commit()
    return site


def organization(actor: Actor) -> Organization:
    """The actor's organization."""
    return db.session.get(Organization, actor.organization_id)


def update_organization(actor: Actor, **changes) -> Organization:
    """Change the organization's name or settings; names are unique across the installation."""
    found = organization(actor)
    if "name" in changes:
        taken = db.session.scalar(
            select(Organization.id).where(
                Organization.name == changes["name"], Organization.id != found.id
            )
        )
        if taken:
            message = "Another organization has this name."
            raise Conflict(message, errors={"name": [message]})
    changed = {name: value for name, value in changes.items() if getattr(found, name) != value}
    for name, value in changed.items():
        setattr(found, name, value)
    if changed:
        record_event(found.id, actor.user_id, "organization", found.id, "changed", **changed)
    db.session.commit()
    return found
