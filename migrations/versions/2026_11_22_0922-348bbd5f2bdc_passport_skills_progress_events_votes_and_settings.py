"""Create passport skills, progress and its events, votes, and settings.

Revision ID: 348bbd5f2bdc
Revises: 949c120d2bc7
Create Date: 2026-11-22 09:22:17.507786

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "348bbd5f2bdc"
down_revision = "949c120d2bc7"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "settings",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f("fk_settings_updated_by_id_users")
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_settings")),
    )
    op.create_table(
        "skills",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("area", sa.String(length=40), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("tip", sa.Text(), nullable=False),
        sa.Column("starts_at_age", sa.Integer(), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["updated_by_id"], ["users.id"], name=op.f("fk_skills_updated_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_skills")),
        sa.UniqueConstraint("key", name=op.f("uq_skills_key")),
    )
    with op.batch_alter_table("skills", schema=None) as batch_op:
        batch_op.create_index("ix_skills_area_position", ["area", "position"], unique=False)

    op.create_table(
        "votes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("question", sa.String(length=200), nullable=False),
        sa.Column("about", sa.String(length=40), nullable=False),
        sa.Column("voters", sa.JSON(), nullable=False),
        sa.Column("suggestions_close_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closes_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("adopted_option_id", sa.Integer(), nullable=True),
        sa.Column("adopted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_votes_created_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_votes")),
    )
    op.create_table(
        "skill_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("young_person_id", sa.Integer(), nullable=False),
        sa.Column("skill_id", sa.Integer(), nullable=False),
        sa.Column(
            "from_step",
            sa.Enum(
                "not_started",
                "learning",
                "practised",
                "can_do",
                "signed_off",
                "sent_back",
                name="step",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "to_step",
            sa.Enum(
                "not_started",
                "learning",
                "practised",
                "can_do",
                "signed_off",
                "sent_back",
                name="step",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
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
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("idempotency_key", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], name=op.f("fk_skill_events_actor_id_users")),
        sa.ForeignKeyConstraint(["skill_id"], ["skills.id"], name=op.f("fk_skill_events_skill_id_skills")),
        sa.ForeignKeyConstraint(
            ["young_person_id"],
            ["young_person_profiles.user_id"],
            name=op.f("fk_skill_events_young_person_id_young_person_profiles"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_skill_events")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_skill_events_idempotency_key")),
    )
    with op.batch_alter_table("skill_events", schema=None) as batch_op:
        batch_op.create_index(
            "ix_skill_events_young_person_skill", ["young_person_id", "skill_id", "id"], unique=False
        )

    op.create_table(
        "skill_progress",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("young_person_id", sa.Integer(), nullable=False),
        sa.Column("skill_id", sa.Integer(), nullable=False),
        sa.Column(
            "step",
            sa.Enum(
                "not_started",
                "learning",
                "practised",
                "can_do",
                "signed_off",
                "sent_back",
                name="step",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lock_version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["skill_id"], ["skills.id"], name=op.f("fk_skill_progress_skill_id_skills")),
        sa.ForeignKeyConstraint(
            ["young_person_id"],
            ["young_person_profiles.user_id"],
            name=op.f("fk_skill_progress_young_person_id_young_person_profiles"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_skill_progress")),
        sa.UniqueConstraint("young_person_id", "skill_id", name="uq_skill_progress_young_person_skill"),
    )
    with op.batch_alter_table("skill_progress", schema=None) as batch_op:
        batch_op.create_index("ix_skill_progress_step_updated", ["step", "updated_at"], unique=False)

    op.create_table(
        "vote_options",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("vote_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=120), nullable=False),
        sa.Column("suggested_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["suggested_by_id"], ["users.id"], name=op.f("fk_vote_options_suggested_by_id_users")
        ),
        sa.ForeignKeyConstraint(["vote_id"], ["votes.id"], name=op.f("fk_vote_options_vote_id_votes")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vote_options")),
        sa.UniqueConstraint("vote_id", "label", name="uq_vote_options_vote_label"),
    )
    with op.batch_alter_table("vote_options", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_vote_options_vote_id"), ["vote_id"], unique=False)

    op.create_table(
        "ballots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("vote_id", sa.Integer(), nullable=False),
        sa.Column("voter_id", sa.Integer(), nullable=False),
        sa.Column("option_id", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["option_id"], ["vote_options.id"], name=op.f("fk_ballots_option_id_vote_options")
        ),
        sa.ForeignKeyConstraint(["vote_id"], ["votes.id"], name=op.f("fk_ballots_vote_id_votes")),
        sa.ForeignKeyConstraint(["voter_id"], ["users.id"], name=op.f("fk_ballots_voter_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ballots")),
        sa.UniqueConstraint("vote_id", "voter_id", name="uq_ballots_vote_voter"),
    )


def downgrade():
    op.drop_table("ballots")
    with op.batch_alter_table("vote_options", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_vote_options_vote_id"))

    op.drop_table("vote_options")
    with op.batch_alter_table("skill_progress", schema=None) as batch_op:
        batch_op.drop_index("ix_skill_progress_step_updated")

    op.drop_table("skill_progress")
    with op.batch_alter_table("skill_events", schema=None) as batch_op:
        batch_op.drop_index("ix_skill_events_young_person_skill")

    op.drop_table("skill_events")
    op.drop_table("votes")
    with op.batch_alter_table("skills", schema=None) as batch_op:
        batch_op.drop_index("ix_skills_area_position")

    op.drop_table("skills")
    op.drop_table("settings")
