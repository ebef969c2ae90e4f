"""Who may export what: the period, the sites, and the conditions that keep records to them.

A period is two days, both inclusive, each read in the time zone of the record's site (a report
observed at 23:30 on 31 March in Berlin belongs to March there, whatever UTC says). Neither
database converts zones: the bounds are worked out here, one UTC range per zone.
"""

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, and_, false, or_

from server.auth.access import Actor
from server.exceptions import InvalidInput, NotAllowed, NotFound
from server.orgs.zones import DEFAULT_ZONE, day_start
from server.sites.services import sites_by_zone

# Who exports: the people who keep the management system's records.
EXPORT_ROLES = ("officer", "admin")


@dataclass(frozen=True)
class ExportScope:
    """What one export holds: the actor's records (narrowed to one site when one is asked
    for) in the days start to end, both inclusive."""

    actor: Actor
    start: date
    end: date
    site_id: int | None
    # The ids of the sites in scope, by time zone.
    zones: dict[str, list[int]]

    @property
    def organization_id(self) -> int:
        return self.actor.organization_id

    @property
    def site_ids(self) -> list[int]:
        return sorted(site for sites in self.zones.values() for site in sites)

    @property
    def whole_organization(self) -> bool:
        """True when every site of the organization is in scope, now and to come."""
        return self.actor.site_ids is None and self.site_id is None

    def bounds(self, zone: str) -> tuple[datetime, datetime]:
        """The period in zone, in UTC: its first moment and the first moment after it."""
        return day_start(self.start, zone), day_start(self.end + timedelta(days=1), zone)

    def widest(self) -> tuple[datetime, datetime]:
        """From the earliest start to the latest end over the zones in scope (UTC without)."""
        ranges = [self.bounds(zone) for zone in self.zones or [DEFAULT_ZONE]]
        return min(low for low, _ in ranges), max(high for _, high in ranges)

    def in_period(self, moment, site_column) -> ColumnElement[bool]:
        """True for a row whose moment falls in the period as its site's clock reads it."""
        if not self.zones:
            return false()
        low, high = self.widest()
        # The widest range on its own too, so that an index on the moment narrows the rows.
        widest = and_(moment >= low, moment < high)
        per_zone = [
            and_(site_column.in_(sites), moment >= self.bounds(zone)[0])
            & (moment < self.bounds(zone)[1])
            for zone, sites in self.zones.items()
        ]
        return and_(widest, or_(*per_zone))

    def days_within(self, day, site_column) -> ColumnElement[bool]:
        """True for a row whose day (a Date column) falls in the period, at a site in scope."""
        if not self.zones:
            return false()
        return and_(site_column.in_(self.site_ids), day >= self.start, day <= self.end)


def export_scope(actor: Actor, start: date, end: date, site_id: int | None = None) -> ExportScope:
    """The scope of an export the actor asks for; NotAllowed for a role that may not export,
    NotFound for a site they may not see, InvalidInput when the period ends before it starts."""
    if actor.role not in EXPORT_ROLES:
        raise NotAllowed(f"Exports need the role {' or '.join(EXPORT_ROLES)}.")
    if end < start:
        raise InvalidInput(errors={"to": [f"Is before from ({start.isoformat()})."]})
    zones = sites_by_zone(actor, site_id)
    if site_id is not None and not zones:
        raise NotFound(f"No site with id {site_id}.")
    narrowed = actor
    if site_id is not None:
        # Every record type's own scope then keeps to the site, the photos and PDFs too.
        narrowed = dataclasses.replace(actor, site_ids=frozenset({site_id}))
    return ExportScope(narrowed, start, end, site_id, zones)
