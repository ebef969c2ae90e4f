"""event_chain: each organization's events form a hash chain, with its head

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01 19:40:12.429590

The events already there are chained in the order they were written (by id), a chunk at a
time, with the same recipe as server/events/chain.py (a migration never imports app code; the
migration test checks the two agree by verifying a chain this made).
"""

import hashlib
import json
from datetime import UTC

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

GENESIS = "0" * 64
CHUNK = 5000
_encode = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode

event = sa.table(
    "event",
    sa.column("id", sa.Integer()),
    sa.column("organization_id", sa.Integer()),
    sa.column("actor_id", sa.Integer()),
    sa.column("entity_type", sa.String()),
    sa.column("entity_id", sa.String()),
    sa.column("action", sa.String()),
    sa.column("data", sa.JSON()),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("seq", sa.Integer()),
    sa.column("prev_hash", sa.String()),
    sa.column("hash", sa.String()),
)
event_chain = sa.table(
    "event_chain",
    sa.column("organization_id", sa.Integer()),
    sa.column("last_seq", sa.Integer()),
    sa.column("last_hash", sa.String()),
)


def upgrade():
    op.create_table(
        "event_chain",
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.Column("last_hash", sa.String(length=64), nullable=False),
        sa.Column("check_started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("verified_seq", sa.Integer(), nullable=True),
        sa.Column("verified_up_to", sa.DateTime(timezone=True), nullable=True),
        sa.Column("broken", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_event_chain_organization_id_organization"),
        ),
        sa.PrimaryKeyConstraint("organization_id", name=op.f("pk_event_chain")),
    )
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("seq", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("hash", sa.String(length=64), nullable=True))

    connection = op.get_bind()
    organizations = connection.scalars(sa.select(event.c.organization_id).distinct()).all()
    for organization_id in organizations:
        _chain(connection, organization_id)

    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.alter_column("seq", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column("prev_hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column("hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(
            batch_op.f("uq_event_organization_id_seq"), ["organization_id", "seq"]
        )


def _chain(connection, organization_id: int) -> None:
    """Chain one organization's events by id, CHUNK rows at a time, and write its head."""
    seq, prev, after = 0, GENESIS, 0
    columns = [event.c[name] for name in ("id", "actor_id", "entity_type", "entity_id")]
    columns += [event.c.action, event.c.data, event.c.created_at]
    while True:
        rows = connection.execute(
            sa.select(*columns)
            .where(event.c.organization_id == organization_id, event.c.id > after)
            .order_by(event.c.id)
            .limit(CHUNK)
        ).all()
        if not rows:
            break
        links = []
        for row in rows:
            seq += 1
            at = row.created_at
            at = at.astimezone(UTC).replace(tzinfo=None) if at.tzinfo else at
            when = at.isoformat(timespec="microseconds") + "Z"
            line = _encode(
                [prev, seq, organization_id, row.actor_id, row.entity_type, row.entity_id]
                + [row.action, row.data, when]
            )
            own = hashlib.sha256(line.encode("ascii")).hexdigest()
            links.append({"event_id": row.id, "seq": seq, "prev_hash": prev, "hash": own})
            prev = own
        connection.execute(
            event.update()
            .where(event.c.id == sa.bindparam("event_id"))
            .values(seq=sa.bindparam("seq"), prev_hash=sa.bindparam("prev_hash"))
            .values(hash=sa.bindparam("hash")),
            links,
        )
        after = rows[-1].id
    connection.execute(
        event_chain.insert().values(
            organization_id=organization_id, last_seq=seq, last_hash=prev
        )
    )


def downgrade():
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_event_organization_id_seq"), type_="unique")
        batch_op.drop_column("hash")
        batch_op.drop_column("prev_hash")
        batch_op.drop_column("seq")

    op.drop_table("event_chain")
