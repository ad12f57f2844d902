"""Record who claimed a push or Notify delivery and when: a claim is committed (state
"sending", its lease in due_at) before the message is sent, so a runner that dies leaves
only what it had in flight. The state is stored as plain text (enum_column, no native enum
type and no check on its values), so the new "sending" value needs no change here.

Revision ID: c41e7b9d2a68
Revises: 6b1e9d4c2a58
Create Date: 2026-12-01 17:40:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c41e7b9d2a68"
down_revision = "6b1e9d4c2a58"
branch_labels = None
depends_on = None

TABLES = ("push_deliveries", "notify_deliveries")


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True))
            batch_op.add_column(sa.Column("claimed_by", sa.String(length=64), nullable=True))


def downgrade():
    # A row caught in flight goes back to the queue, as a runner after its lease would take it.
    for table in TABLES:
        op.execute(sa.text(f"UPDATE {table} SET state = 'pending' WHERE state = 'sending'"))  # noqa: S608
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("claimed_by")
            batch_op.drop_column("claimed_at")
