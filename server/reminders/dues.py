"""A record in a state to remind of, as the scan hands it to the messages."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Due:
    """One record in one state to remind of."""

    kind: str
    state: str
    pk: int
    id: object
    title: str
    # What the record is part of, as people name it: an action's NC, an entry's reference, a
    # competence's module, a document's code.
    nc_id: object
    nc_title: str
    due_on: object
    days: int
    organization_id: int
    # None for what belongs to the organization, not a site (competences, documents).
    site_id: int | None
    site_name: str | None
    owner_id: int | None = None
    # Why a register entry's review was asked for (a REVIEW_REASONS value).
    reason: str | None = None
    # Whose competence record it is.
    holder_name: str | None = None
