"""A fingerprint tells a resend from an edit, whatever order or offset the values came in."""

import uuid
from datetime import UTC, datetime, timedelta, timezone

from server.records.identity import CONFLICT, DUPLICATE, fingerprint, rejected, resend_status

ID = uuid.uuid4()
AT = datetime(2026, 11, 30, 8, 15, tzinfo=UTC)


def test_the_same_content_in_another_order_or_offset_is_a_duplicate():
    sent = {"id": ID, "observed_at": AT, "photos": [{"sha256": "a"}], "note": "x"}
    again = {"note": "x", "photos": [{"sha256": "a"}], "id": str(ID)}
    again["observed_at"] = AT.astimezone(timezone(timedelta(hours=13)))
    assert resend_status(fingerprint(sent), fingerprint(again)) == DUPLICATE


def test_any_changed_value_is_a_conflict():
    sent = {"id": ID, "observed_at": AT, "note": "x"}
    for changed in ({"note": "y"}, {"observed_at": AT + timedelta(seconds=1)}, {"extra": None}):
        assert resend_status(fingerprint(sent), fingerprint(sent | changed)) == CONFLICT


def test_a_rejection_names_the_item_only_by_a_string_id():
    assert rejected("abc", {"x": ["Bad."]})["id"] == "abc"
    assert rejected(12, {"x": ["Bad."]}) == {
        "id": None,
        "status": "rejected",
        "errors": {"x": ["Bad."]},
    }
