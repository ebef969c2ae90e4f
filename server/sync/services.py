"""Taking in a batch of reports, each answered on its own."""

import marshmallow as ma

from server.auth.access import Actor
from server.errors import PayloadTooLarge
from server.orgs.services import visible_sites
from server.reports.schemas import ReportIn
from server.reports.services import create_report

MAX_BATCH = 100


def sync_reports(actor: Actor, items: list, max_batch: int = MAX_BATCH) -> list[dict]:
    """Validate and save each item independently: one bad item never blocks the others."""
    if len(items) > max_batch:
        raise PayloadTooLarge(
            f"A batch holds at most {max_batch} reports; this one has {len(items)}. "
            "Send them in smaller batches."
        )
    site_ids = {site.id for site in visible_sites(actor)}
    schema = ReportIn()
    return [_sync_one(actor, item, schema, site_ids) for item in items]


def _sync_one(actor: Actor, item, schema: ReportIn, site_ids: set[int]) -> dict:
    """The result of one item: created, duplicate, conflict, missing_photos or rejected."""
    if not isinstance(item, dict):
        return _rejected(None, {"_schema": ["Each report must be a JSON object."]})
    try:
        data = schema.load(item)
    except ma.ValidationError as error:
        return _rejected(item.get("id"), error.normalized_messages())
    if data["site_id"] not in site_ids:
        return _rejected(item["id"], {"site_id": ["Unknown site, or not one of yours."]})
    return create_report(actor, data)


def _rejected(item_id, errors: dict) -> dict:
    return {
        "id": item_id if isinstance(item_id, str) else None,
        "status": "rejected",
        "errors": errors,
    }
