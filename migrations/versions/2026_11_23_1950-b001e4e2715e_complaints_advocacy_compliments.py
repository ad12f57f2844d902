"""Create complaints (with their events and drafts), advocacy requests (with their
events) and compliments.

Revision ID: b001e4e2715e
Revises: 7c2a9e4d1b53
Create Date: 2026-11-23 19:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b001e4e2715e"
down_revision = "7c2a9e4d1b53"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "compliments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("from_id", sa.Integer(), nullable=False),
        sa.Column("to_user_id", sa.Integer(), nullable=True),
        sa.Column("to_team", sa.String(length=120), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("to_user_id IS NOT NULL OR to_team <> ''", name=op.f("ck_compliments_recipient")),
        sa.ForeignKeyConstraint(["from_id"], ["users.id"], name=op.f("fk_compliments_from_id_users")),
        sa.ForeignKeyConstraint(["to_user_id"], ["users.id"], name=op.f("fk_compliments_to_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_compliments")),
    )
    with op.batch_alter_table("compliments", schema=None) as batch_op:
        batch_op.create_index("ix_compliments_to_user", ["to_user_id", "created_at"], unique=False)

    op.create_table(
        "complaint_drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("young_person_id", sa.Integer(), nullable=False),
        sa.Column("what_happened", sa.Text(), nullable=False),
        sa.Column("put_right", sa.Text(), nullable=False),
        sa.Column("about_who", sa.String(length=200), nullable=False),
        sa.Column("wants_advocate", sa.String(length=8), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lock_version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_complaint_drafts_author_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["young_person_id"],
            ["young_person_profiles.user_id"],
            name=op.f("fk_complaint_drafts_young_person_id_young_person_profiles"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_drafts")),
        sa.UniqueConstraint("author_id", "young_person_id", name="uq_complaint_drafts_author_young_person"),
    )
    op.create_table(
        "complaints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=20), nullable=False),
        sa.Column("young_person_id", sa.Integer(), nullable=False),
        sa.Column("raised_by_id", sa.Integer(), nullable=False),
        sa.Column("on_behalf", sa.Boolean(), nullable=False),
        sa.Column("what_happened", sa.Text(), nullable=False),
        sa.Column("put_right", sa.Text(), nullable=False),
        sa.Column("about_who", sa.String(length=200), nullable=False),
        sa.Column("wants_advocate", sa.Boolean(), nullable=False),
        sa.Column("stage", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "answered",
                "escalation_requested",
                "closed",
                "withdrawn",
                name="status",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("stage_started_on", sa.Date(), nullable=False),
        sa.Column("extension_days", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("acknowledged_on", sa.Date(), nullable=True),
        sa.Column("answered_on", sa.Date(), nullable=True),
        sa.Column("escalation_requested_on", sa.Date(), nullable=True),
        sa.Column("late_request", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lock_version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["raised_by_id"], ["users.id"], name=op.f("fk_complaints_raised_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["young_person_id"],
            ["young_person_profiles.user_id"],
            name=op.f("fk_complaints_young_person_id_young_person_profiles"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaints")),
        sa.UniqueConstraint("reference", name=op.f("uq_complaints_reference")),
    )
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.create_index("ix_complaints_status_due", ["status", "due_on"], unique=False)
        batch_op.create_index("ix_complaints_young_person", ["young_person_id"], unique=False)

    op.create_table(
        "advocacy_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("young_person_id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=True),
        sa.Column("requested_by_id", sa.Integer(), nullable=False),
        sa.Column("help_with", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "requested", "referred", "allocated", name="advocacystatus", native_enum=False, length=32
            ),
            nullable=False,
        ),
        sa.Column("requested_on", sa.Date(), nullable=False),
        sa.Column("referred_on", sa.Date(), nullable=True),
        sa.Column("referred_to", sa.String(length=200), nullable=False),
        sa.Column("allocated_on", sa.Date(), nullable=True),
        sa.Column("advocate_name", sa.String(length=120), nullable=False),
        sa.Column("advocate_phone", sa.String(length=40), nullable=False),
        sa.Column("advocate_email", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lock_version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["complaint_id"], ["complaints.id"], name=op.f("fk_advocacy_requests_complaint_id_complaints")
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"], ["users.id"], name=op.f("fk_advocacy_requests_requested_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["young_person_id"],
            ["young_person_profiles.user_id"],
            name=op.f("fk_advocacy_requests_young_person_id_young_person_profiles"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_advocacy_requests")),
    )
    with op.batch_alter_table("advocacy_requests", schema=None) as batch_op:
        batch_op.create_index(
            "ix_advocacy_requests_young_person", ["young_person_id", "status"], unique=False
        )

    op.create_table(
        "complaint_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "received",
                "acknowledged",
                "extended",
                "response_sent",
                "escalation_requested",
                "escalated",
                "shared",
                "closed",
                "withdrawn",
                name="eventkind",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("stage", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column(
            "actor_role",
            sa.Enum(
                "young_person",
                "carer",
                "social_worker",
                "personal_adviser",
                "complaints_officer",
                "manager",
                name="role",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("on_time", sa.Boolean(), nullable=True),
        sa.Column("flagged", sa.Boolean(), nullable=False),
        sa.Column("shared_with_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], name=op.f("fk_complaint_events_actor_id_users")),
        sa.ForeignKeyConstraint(
            ["complaint_id"], ["complaints.id"], name=op.f("fk_complaint_events_complaint_id_complaints")
        ),
        sa.ForeignKeyConstraint(
            ["shared_with_id"], ["users.id"], name=op.f("fk_complaint_events_shared_with_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_events")),
    )
    with op.batch_alter_table("complaint_events", schema=None) as batch_op:
        batch_op.create_index("ix_complaint_events_complaint", ["complaint_id", "id"], unique=False)
        batch_op.create_index("ix_complaint_events_kind_created", ["kind", "created_at"], unique=False)
        batch_op.create_index("ix_complaint_events_shared_with", ["shared_with_id"], unique=False)

    op.create_table(
        "advocacy_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "requested", "referred", "allocated", name="advocacystatus", native_enum=False, length=32
            ),
            nullable=False,
        ),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], name=op.f("fk_advocacy_events_actor_id_users")),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["advocacy_requests.id"],
            name=op.f("fk_advocacy_events_request_id_advocacy_requests"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_advocacy_events")),
    )
    with op.batch_alter_table("advocacy_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_advocacy_events_request_id"), ["request_id"], unique=False)


def downgrade():
    with op.batch_alter_table("advocacy_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_advocacy_events_request_id"))

    op.drop_table("advocacy_events")
    with op.batch_alter_table("complaint_events", schema=None) as batch_op:
        batch_op.drop_index("ix_complaint_events_shared_with")
        batch_op.drop_index("ix_complaint_events_kind_created")
        batch_op.drop_index("ix_complaint_events_complaint")

    op.drop_table("complaint_events")
    with op.batch_alter_table("advocacy_requests", schema=None) as batch_op:
        batch_op.drop_index("ix_advocacy_requests_young_person")

    op.drop_table("advocacy_requests")
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.drop_index("ix_complaints_young_person")
        batch_op.drop_index("ix_complaints_status_due")

    op.drop_table("complaints")
    op.drop_table("complaint_drafts")
    with op.batch_alter_table("compliments", schema=None) as batch_op:
        batch_op.drop_index("ix_compliments_to_user")

    op.drop_table("compliments")
