"""Keep account resets: a new activation code made for someone who already had a
password is kept (who, for whom, when, why, the second manager, when they were told), so
the person, the managers and the complaints officer can see it (issue 12, finding 7).

Revision ID: 3f6b2d9c8a17
Revises: 5e1d7a2c9b40
Create Date: 2026-12-01 12:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "3f6b2d9c8a17"
down_revision = "5e1d7a2c9b40"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "account_resets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("needs_confirmation", sa.Boolean(), nullable=False),
        sa.Column("confirmed_by_id", sa.Integer(), nullable=True),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "confirmed_by_id IS NULL OR confirmed_by_id != requested_by_id",
            name=op.f("ck_account_resets_second_manager_differs"),
        ),
        sa.CheckConstraint(
            "NOT needs_confirmation OR made_at IS NULL OR confirmed_by_id IS NOT NULL",
            name=op.f("ck_account_resets_confirmed_before_made"),
        ),
        sa.ForeignKeyConstraint(
            ["confirmed_by_id"], ["users.id"], name=op.f("fk_account_resets_confirmed_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"], ["users.id"], name=op.f("fk_account_resets_requested_by_id_users")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_account_resets_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_resets")),
    )
    with op.batch_alter_table("account_resets", schema=None) as batch_op:
        batch_op.create_index("ix_account_resets_requested_at", ["requested_at"], unique=False)
        batch_op.create_index("ix_account_resets_user_seen", ["user_id", "seen_at"], unique=False)


def downgrade():
    with op.batch_alter_table("account_resets", schema=None) as batch_op:
        batch_op.drop_index("ix_account_resets_user_seen")
        batch_op.drop_index("ix_account_resets_requested_at")

    op.drop_table("account_resets")
