"""The envelope of /api/sync: lists in, results and the change feed out."""

import marshmallow as ma
from marshmallow import validate

from server.sync.registry import feed_sources, sync_lists
from server.validation import QueryId


class SyncIn(ma.Schema):
    """Lists of items by name ("reports", ...); each item is validated on its own afterwards."""

    class Meta:
        unknown = ma.INCLUDE

    @ma.validates_schema
    def _known_lists(self, data: dict, **_kwargs) -> None:
        lists = sync_lists()
        errors = {name: ["Not a list this server takes."] for name in data if name not in lists} | {
            name: ["Must be a list of items."]
            for name, items in data.items()
            if name in lists and not isinstance(items, list)
        }
        if errors:
            raise ma.ValidationError(errors)
        if not data:
            raise ma.ValidationError(
                {"_schema": [f"Send at least one list: {', '.join(sorted(lists))}."]}
            )


class SyncOut(ma.Schema):
    """Each list sent, answered item by item in the order sent; "results" repeats "reports"."""

    results = ma.fields.List(
        ma.fields.Raw(),
        metadata={"description": "The answers to the reports list (kept for older phones)"},
    )

    @ma.post_dump(pass_original=True)
    def _every_list(self, data: dict, original: dict, **_kwargs) -> dict:
        return {name: original[name] for name in sync_lists() if name in original} | data


class ChangesIn(ma.Schema):
    since = QueryId(load_default=0, validate=validate.Range(min=0))


class FeedEntry(ma.fields.Field):
    """One change-feed entry, dumped by the schema its record type registered."""

    def _serialize(self, value, attr, obj, **kwargs):
        source = feed_sources()[value["type"]]
        return {"type": value["type"], **source.entry_schema.dump(value)}


class ChangesOut(ma.Schema):
    changes = ma.fields.List(
        FeedEntry(
            metadata={
                "description": "A record that changed: its type (report, ...), id, changed_at "
                "and what the person may see of it"
            }
        )
    )
    cursor = ma.fields.Integer(metadata={"description": "Pass as ?since= next time"})
