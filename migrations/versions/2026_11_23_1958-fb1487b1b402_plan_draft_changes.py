"""Keep the history of plan drafts: every change to a section or its actions.

Revision ID: fb1487b1b402
Revises: b001e4e2715e
Create Date: 2026-11-23 19:58:21.667271

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "fb1487b1b402"
down_revision = "b001e4e2715e"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "plan_draft_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_version_id", sa.Integer(), nullable=False),
        sa.Column("section_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("before", sa.Text(), nullable=True),
        sa.Column("after", sa.Text(), nullable=True),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_plan_draft_changes_actor_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["plan_version_id"],
            ["plan_versions.id"],
            name=op.f("fk_plan_draft_changes_plan_version_id_plan_versions"),
        ),
        sa.ForeignKeyConstraint(
            ["section_id"], ["plan_sections.id"], name=op.f("fk_plan_draft_changes_section_id_plan_sections")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_draft_changes")),
    )
    with op.batch_alter_table("plan_draft_changes", schema=None) as batch_op:
        batch_op.create_index("ix_plan_draft_changes_plan", ["plan_version_id", "id"], unique=False)


def downgrade():
    with op.batch_alter_table("plan_draft_changes", schema=None) as batch_op:
        batch_op.drop_index("ix_plan_draft_changes_plan")

    op.drop_table("plan_draft_changes")
