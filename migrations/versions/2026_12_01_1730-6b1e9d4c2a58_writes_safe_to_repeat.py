"""Keep the key each write form is sent with, per person, so a double tap or a retry
stores one message, reply or request (issue 14, part 4).

Revision ID: 6b1e9d4c2a58
Revises: 8d4c2f7a1e90
Create Date: 2026-12-01 17:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "6b1e9d4c2a58"
down_revision = "8d4c2f7a1e90"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "sent_once",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("change", sa.String(length=120), nullable=False),
        sa.Column("outcome", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_sent_once_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sent_once")),
        sa.UniqueConstraint("user_id", "key", name=op.f("uq_sent_once_user_id")),
    )


def downgrade():
    op.drop_table("sent_once")
