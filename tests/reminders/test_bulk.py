"""insert_rows: many rows in one statement, stored exactly as the ORM stores them."""

import uuid
from datetime import UTC, date, datetime

from sqlalchemy import event, select, text

from server.extensions import db
from server.reminders.bulk import insert_rows
from server.reminders.models import Notification, Reminder

MOMENT = datetime(2026, 12, 7, 9, 30, 15, 250, tzinfo=UTC)


def stored(table: str) -> list[tuple]:
    """The rows as the database holds them, not as the ORM reads them back."""
    return db.session.execute(text(f"SELECT * FROM {table} ORDER BY id")).all()


def notification(user_id: int, organization_id: int, **fields) -> dict:
    record = uuid.UUID("1b4e28ba-2fa1-11d2-883f-0016d3cca427")
    return {
        "user_id": user_id,
        "organization_id": organization_id,
        "kind": "action_due_today",
        "title": "Action due today",
        "body": "“Fit a guard” is due today.",
        "record_type": "action",
        "record_id": record,
        "nonconformity_id": record,
        "created_at": MOMENT,
        **fields,
    }


def test_rows_are_stored_as_the_orm_stores_them(plant):
    owner, org = plant["owner"].id, plant["organization"].id
    db.session.add(Notification(**notification(owner, org)))
    db.session.flush()
    insert_rows(Notification, [notification(owner, org)])
    by_orm, by_bulk = stored("notification")
    assert by_orm[1:] == by_bulk[1:]


def test_one_statement_for_any_number_of_rows_fanned_out_and_deduplicated(plant):
    users = [plant[name].id for name in ("owner", "north_officer", "admin")]
    org = plant["organization"].id
    statements = []

    def count(*_args):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        made = insert_rows(
            Notification,
            [notification(users, org, title=f"Message {n}") for n in range(500)],
            returning=(Notification.user_id,),
            fan_out="user_id",
        ).all()
        rows = [
            {
                "kind": "action",
                "record_pk": n % 300,
                "state": "overdue",
                "due_on": date(2026, 12, 1),
            }
            for n in range(600)
        ]
        kept = insert_rows(
            Reminder,
            [row | {"created_at": MOMENT} for row in rows],
            returning=(Reminder.record_pk,),
            conflict_columns=["kind", "record_pk", "state", "due_on"],
        ).all()
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert len(statements) == 2
    assert sorted(user for (user,) in made) == sorted(users * 500)
    assert sorted(pk for (pk,) in kept) == list(range(300))
    latest = select(Notification.title).where(Notification.user_id == users[2])
    assert db.session.scalar(latest.order_by(Notification.id.desc()).limit(1)) == "Message 499"
