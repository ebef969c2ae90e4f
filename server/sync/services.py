"""/api/sync's work: each list to the feature that takes it, every feed merged into one."""

from datetime import UTC, datetime, timedelta
from heapq import merge

from server.auth.access import Actor
from server.exceptions import TooLarge
from server.sync.registry import feed_sources, sync_lists

MAX_BATCH = 100
# Feed entries younger than this are sent again next time: a transaction that took an earlier
# event id may still be committing, and the cursor must not pass it.
CHANGE_SETTLE = timedelta(seconds=5)
CHANGES_PAGE = 500


def take(actor: Actor, lists: dict[str, list], max_batch: int = MAX_BATCH) -> dict[str, list]:
    """Hand each list to its feature; every item gets its own answer, in the order sent."""
    count = sum(len(items) for items in lists.values())
    if count > max_batch:
        raise TooLarge(
            f"A sync holds at most {max_batch} items; this one has {count}. "
            "Send them in smaller batches."
        )
    registered = sync_lists()
    return {name: registered[name].take(actor, items) for name, items in lists.items()}


def changes_since(actor: Actor, since: int, page: int = CHANGES_PAGE) -> tuple[list[dict], int]:
    """What changed after cursor since, of every record type the actor may see, and the cursor.

    Change ids are event ids, one sequence for every record type: the feeds merge in order.
    """
    feeds = []
    for name, source in feed_sources().items():
        feeds.append([{**entry, "type": name} for entry in source.changes(actor, since, page)])
    changed = list(merge(*feeds, key=lambda entry: entry["change_id"]))[:page]
    settled_before = datetime.now(UTC) - CHANGE_SETTLE
    cursor = since
    for entry in changed:
        if entry["changed_at"] > settled_before:
            break
        cursor = entry["change_id"]
    return changed, cursor
