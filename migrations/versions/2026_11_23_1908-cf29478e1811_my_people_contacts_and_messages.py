"""Create My people (staff cards, contacts the council arranges), messages, and
introductions to new workers.

Revision ID: cf29478e1811
Revises: 348bbd5f2bdc
Create Date: 2026-11-23 19:08:28.509669

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "cf29478e1811"
down_revision = "348bbd5f2bdc"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "staff_cards",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("about_me", sa.Text(), nullable=False),
        sa.Column("working_hours", sa.String(length=200), nullable=False),
        sa.Column("team", sa.String(length=80), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("email", sa.String(length=120), nullable=True),
        sa.Column("allow_call", sa.Boolean(), nullable=False),
        sa.Column("allow_text", sa.Boolean(), nullable=False),
        sa.Column("allow_email", sa.Boolean(), nullable=False),
        sa.Column("away_until", sa.Date(), nullable=True),
        sa.Column("away_contact", sa.String(length=300), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_staff_cards_user_id_users")),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_staff_cards")),
    )
    op.create_table(
        "message_threads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("young_person_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column(
            "participant_role",
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
        sa.Column(
            "worker_kind",
            sa.Enum("social_worker", "personal_adviser", name="allocationkind", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_message_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("waiting_since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"], ["users.id"], name=op.f("fk_message_threads_participant_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["young_person_id"],
            ["young_person_profiles.user_id"],
            name=op.f("fk_message_threads_young_person_id_young_person_profiles"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message_threads")),
        sa.UniqueConstraint(
            "young_person_id", "participant_id", "worker_kind", name="uq_message_threads_conversation"
        ),
    )
    with op.batch_alter_table("message_threads", schema=None) as batch_op:
        batch_op.create_index(
            "ix_message_threads_young_person_kind", ["young_person_id", "worker_kind"], unique=False
        )

    op.create_table(
        "young_person_contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("young_person_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "independent_reviewing_officer",
                "independent_visitor",
                "advocate",
                name="contactkind",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("email", sa.String(length=120), nullable=True),
        sa.Column("about", sa.Text(), nullable=True),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_young_person_contacts_recorded_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["young_person_id"],
            ["young_person_profiles.user_id"],
            name=op.f("fk_young_person_contacts_young_person_id_young_person_profiles"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_young_person_contacts")),
    )
    with op.batch_alter_table("young_person_contacts", schema=None) as batch_op:
        batch_op.create_index("ix_young_person_contacts_young_person", ["young_person_id"], unique=False)

    op.create_table(
        "messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=False),
        sa.Column("sender_id", sa.Integer(), nullable=False),
        sa.Column(
            "sender_role",
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
        sa.Column("from_worker", sa.Boolean(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("message", "call_back", "not_safe", name="messagekind", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=True),
        sa.Column(
            "call_way",
            sa.Enum("phone", "in_person", "alone", name="callway", native_enum=False, length=32),
            nullable=True,
        ),
        sa.Column("call_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("read_by_id", sa.Integer(), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["answered_by_id"], ["users.id"], name=op.f("fk_messages_answered_by_id_users")
        ),
        sa.ForeignKeyConstraint(["read_by_id"], ["users.id"], name=op.f("fk_messages_read_by_id_users")),
        sa.ForeignKeyConstraint(["sender_id"], ["users.id"], name=op.f("fk_messages_sender_id_users")),
        sa.ForeignKeyConstraint(
            ["thread_id"], ["message_threads.id"], name=op.f("fk_messages_thread_id_message_threads")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_messages")),
    )
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.create_index("ix_messages_created", ["created_at"], unique=False)
        batch_op.create_index("ix_messages_thread", ["thread_id", "id"], unique=False)
        batch_op.create_index("ix_messages_unread", ["thread_id", "from_worker", "read_at"], unique=False)

    with op.batch_alter_table("allocations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("introduced_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("allocations", schema=None) as batch_op:
        batch_op.drop_column("introduced_at")

    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.drop_index("ix_messages_unread")
        batch_op.drop_index("ix_messages_thread")
        batch_op.drop_index("ix_messages_created")

    op.drop_table("messages")
    with op.batch_alter_table("young_person_contacts", schema=None) as batch_op:
        batch_op.drop_index("ix_young_person_contacts_young_person")

    op.drop_table("young_person_contacts")
    with op.batch_alter_table("message_threads", schema=None) as batch_op:
        batch_op.drop_index("ix_message_threads_young_person_kind")

    op.drop_table("message_threads")
    op.drop_table("staff_cards")
