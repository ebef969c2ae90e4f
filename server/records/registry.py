"""The record types features register, so that the ground serves any of them without importing it.

A record type names a model with an integer primary key `pk`, a client-made `id` and an
`organization_id`; the ground reaches its rows only through the scope given here.
"""

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Select, select

from server.auth.access import Actor


@dataclass(frozen=True)
class RecordType:
    """One kind of record: its name in the event log, attachments and feed, and who may see it."""

    name: str
    model: type
    # Narrows a query on model to the rows the actor may open; Actor.scope when not given.
    scope: Callable[[Actor, Select], Select] | None = None

    def visible(self, actor: Actor, stmt: Select) -> Select:
        """stmt limited to the records of this type the actor may open."""
        if self.scope is not None:
            return self.scope(actor, stmt)
        return actor.scope(stmt, self.model)

    def visible_pks(self, actor: Actor) -> Select:
        """A query of the primary keys of the records of this type the actor may open."""
        return self.visible(actor, select(self.model.pk))

    def visible_ids(self, actor: Actor, ids: list) -> Select:
        """A query of those of these client ids whose records the actor may open."""
        return self.visible(actor, select(self.model.id)).where(self.model.id.in_(ids))


_RECORD_TYPES: dict[str, RecordType] = {}


def register_record_type(record_type: RecordType) -> RecordType:
    """Make a record type known to the ground (again, harmlessly, for every app built)."""
    _RECORD_TYPES[record_type.name] = record_type
    return record_type


def record_type(name: str) -> RecordType:
    """The registered record type of this name."""
    try:
        return _RECORD_TYPES[name]
    except KeyError:
        raise LookupError(f"no record type {name!r} is registered") from None


def record_types() -> list[RecordType]:
    """Every registered record type."""
    return list(_RECORD_TYPES.values())
