"""What /api/sync carries, as features register it: the lists it takes and the feed it gives."""

from collections.abc import Callable
from dataclasses import dataclass

import marshmallow as ma

from server.auth.access import Actor


@dataclass(frozen=True)
class SyncList:
    """One list of POST /api/sync (e.g. "reports"): the feature that takes its items.

    take(actor, items) answers every item, in order, with a JSON-ready dict that has at least
    the item's "id" and a "status"; it validates each item on its own and owns its transaction.
    """

    name: str
    take: Callable[[Actor, list], list[dict]]
    description: str


@dataclass(frozen=True)
class FeedSource:
    """One record type in GET /api/sync's change feed.

    changes(actor, since, limit) gives up to limit records the actor may see whose change_id
    is above since, in change_id order, each as a dict with "change_id" and "changed_at";
    entry_schema dumps one such dict for the phone.
    """

    name: str
    changes: Callable[[Actor, int, int], list[dict]]
    entry_schema: ma.Schema


_LISTS: dict[str, SyncList] = {}
_FEED: dict[str, FeedSource] = {}


def register_sync_list(sync_list: SyncList) -> None:
    """Have POST /api/sync take this list (again, harmlessly, for every app built)."""
    _LISTS[sync_list.name] = sync_list


def register_feed_source(source: FeedSource) -> None:
    """Have GET /api/sync carry this record type's changes."""
    _FEED[source.name] = source


def sync_lists() -> dict[str, SyncList]:
    return dict(_LISTS)


def feed_sources() -> dict[str, FeedSource]:
    return dict(_FEED)
