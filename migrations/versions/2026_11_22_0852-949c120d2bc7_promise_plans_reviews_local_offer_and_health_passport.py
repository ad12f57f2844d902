"""Create the Promise, plans, reviews, the local offer and the health passport.

Revision ID: 949c120d2bc7
Revises: 1a3cf3393acb
Create Date: 2026-11-22 08:52:20.915839

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "949c120d2bc7"
down_revision = "1a3cf3393acb"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "promise_commitments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("right", "commitment", name="itemkind", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_promise_commitments")),
        sa.UniqueConstraint("key", name=op.f("uq_promise_commitments_key")),
    )
    op.create_table(
        "local_offer_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("area", sa.String(length=40), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("who_to_ask", sa.String(length=200), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f("fk_local_offer_items_updated_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_local_offer_items")),
        sa.UniqueConstraint("key", name=op.f("uq_local_offer_items_key")),
    )
    op.create_table(
        "promise_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "band",
            sa.Enum("up_to_15", "16_plus", name="promiseband", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column(
            "state",
            sa.Enum("draft", "published", name="versionstate", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("intro", sa.Text(), nullable=False),
        sa.Column("not_kept_title", sa.String(length=120), nullable=False),
        sa.Column("not_kept_body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_by_id", sa.Integer(), nullable=True),
        sa.Column("lock_version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_promise_versions_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["published_by_id"], ["users.id"], name=op.f("fk_promise_versions_published_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_promise_versions")),
        sa.UniqueConstraint("band", "number", name="uq_promise_versions_band_number"),
    )
    op.create_table(
        "health_passport_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("young_person_id", sa.Integer(), nullable=False),
        sa.Column("changed_by_id", sa.Integer(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("before", sa.JSON(), nullable=False),
        sa.Column("after", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["changed_by_id"], ["users.id"], name=op.f("fk_health_passport_changes_changed_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["young_person_id"],
            ["young_person_profiles.user_id"],
            name=op.f("fk_health_passport_changes_young_person_id_young_person_profiles"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_health_passport_changes")),
    )
    with op.batch_alter_table("health_passport_changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_health_passport_changes_young_person_id"), ["young_person_id"], unique=False
        )

    op.create_table(
        "health_passports",
        sa.Column("young_person_id", sa.Integer(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("lock_version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f("fk_health_passports_updated_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["young_person_id"],
            ["young_person_profiles.user_id"],
            name=op.f("fk_health_passports_young_person_id_young_person_profiles"),
        ),
        sa.PrimaryKeyConstraint("young_person_id", name=op.f("pk_health_passports")),
    )
    op.create_table(
        "plan_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("young_person_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("care_plan", "pathway_plan", name="plankind", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column(
            "state",
            sa.Enum("draft", "published", name="versionstate", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("number", sa.Integer(), nullable=True),
        sa.Column("based_on_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_by_id", sa.Integer(), nullable=True),
        sa.Column("lock_version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["based_on_id"], ["plan_versions.id"], name=op.f("fk_plan_versions_based_on_id_plan_versions")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_plan_versions_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["published_by_id"], ["users.id"], name=op.f("fk_plan_versions_published_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["young_person_id"],
            ["young_person_profiles.user_id"],
            name=op.f("fk_plan_versions_young_person_id_young_person_profiles"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_versions")),
        sa.UniqueConstraint("young_person_id", "number", name="uq_plan_versions_young_person_number"),
    )
    with op.batch_alter_table("plan_versions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_plan_versions_young_person_state", ["young_person_id", "state"], unique=False
        )

    op.create_table(
        "promise_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("young_person_id", sa.Integer(), nullable=False),
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column(
            "answer",
            sa.Enum("yes", "sometimes", "no", name="answer", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("words", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["promise_commitments.id"],
            name=op.f("fk_promise_answers_commitment_id_promise_commitments"),
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["promise_versions.id"],
            name=op.f("fk_promise_answers_version_id_promise_versions"),
        ),
        sa.ForeignKeyConstraint(
            ["young_person_id"],
            ["young_person_profiles.user_id"],
            name=op.f("fk_promise_answers_young_person_id_young_person_profiles"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_promise_answers")),
    )
    with op.batch_alter_table("promise_answers", schema=None) as batch_op:
        batch_op.create_index(
            "ix_promise_answers_young_person_commitment",
            ["young_person_id", "commitment_id", "id"],
            unique=False,
        )

    op.create_table(
        "promise_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("icon", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["promise_commitments.id"],
            name=op.f("fk_promise_items_commitment_id_promise_commitments"),
        ),
        sa.ForeignKeyConstraint(
            ["version_id"], ["promise_versions.id"], name=op.f("fk_promise_items_version_id_promise_versions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_promise_items")),
        sa.UniqueConstraint("version_id", "commitment_id", name="uq_promise_items_version_commitment"),
    )
    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("young_person_id", sa.Integer(), nullable=False),
        sa.Column("booked_for", sa.Date(), nullable=True),
        sa.Column("held_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_reviews_created_by_id_users")),
        sa.ForeignKeyConstraint(
            ["young_person_id"],
            ["young_person_profiles.user_id"],
            name=op.f("fk_reviews_young_person_id_young_person_profiles"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reviews")),
    )
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.create_index("ix_reviews_young_person", ["young_person_id", "held_on"], unique=False)

    op.create_table(
        "plan_receipts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("young_person_id", sa.Integer(), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plan_versions.id"], name=op.f("fk_plan_receipts_plan_id_plan_versions")
        ),
        sa.ForeignKeyConstraint(
            ["young_person_id"],
            ["young_person_profiles.user_id"],
            name=op.f("fk_plan_receipts_young_person_id_young_person_profiles"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_receipts")),
        sa.UniqueConstraint("plan_id", "young_person_id", name="uq_plan_receipts_plan_young_person"),
    )
    op.create_table(
        "plan_sections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plan_versions.id"], name=op.f("fk_plan_sections_plan_id_plan_versions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_sections")),
    )
    with op.batch_alter_table("plan_sections", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_sections_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "review_preparations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("young_person_id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=True),
        sa.Column("going_well", sa.Text(), nullable=False),
        sa.Column("not_going_well", sa.Text(), nullable=False),
        sa.Column("want_to_change", sa.Text(), nullable=False),
        sa.Column("who_there", sa.Text(), nullable=False),
        sa.Column("chair", sa.String(length=16), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("shared_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("lock_version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"], ["reviews.id"], name=op.f("fk_review_preparations_review_id_reviews")
        ),
        sa.ForeignKeyConstraint(
            ["young_person_id"],
            ["young_person_profiles.user_id"],
            name=op.f("fk_review_preparations_young_person_id_young_person_profiles"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_preparations")),
    )
    with op.batch_alter_table("review_preparations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_review_preparations_young_person_id"), ["young_person_id"], unique=False
        )

    op.create_table(
        "plan_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("section_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("what", sa.String(length=300), nullable=False),
        sa.Column("who", sa.String(length=300), nullable=False),
        sa.Column("by_when", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["section_id"], ["plan_sections.id"], name=op.f("fk_plan_actions_section_id_plan_sections")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_actions")),
    )
    with op.batch_alter_table("plan_actions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_actions_section_id"), ["section_id"], unique=False)

    op.create_table(
        "plan_views",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("section_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], name=op.f("fk_plan_views_author_id_users")),
        sa.ForeignKeyConstraint(
            ["section_id"], ["plan_sections.id"], name=op.f("fk_plan_views_section_id_plan_sections")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_views")),
    )
    with op.batch_alter_table("plan_views", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_views_section_id"), ["section_id"], unique=False)

    with op.batch_alter_table("young_person_profiles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("came_into_care_on", sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table("young_person_profiles", schema=None) as batch_op:
        batch_op.drop_column("came_into_care_on")

    with op.batch_alter_table("plan_views", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_views_section_id"))

    op.drop_table("plan_views")
    with op.batch_alter_table("plan_actions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_actions_section_id"))

    op.drop_table("plan_actions")
    with op.batch_alter_table("review_preparations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_preparations_young_person_id"))

    op.drop_table("review_preparations")
    with op.batch_alter_table("plan_sections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_sections_plan_id"))

    op.drop_table("plan_sections")
    op.drop_table("plan_receipts")
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.drop_index("ix_reviews_young_person")

    op.drop_table("reviews")
    op.drop_table("promise_items")
    with op.batch_alter_table("promise_answers", schema=None) as batch_op:
        batch_op.drop_index("ix_promise_answers_young_person_commitment")

    op.drop_table("promise_answers")
    with op.batch_alter_table("plan_versions", schema=None) as batch_op:
        batch_op.drop_index("ix_plan_versions_young_person_state")

    op.drop_table("plan_versions")
    op.drop_table("health_passports")
    with op.batch_alter_table("health_passport_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_health_passport_changes_young_person_id"))

    op.drop_table("health_passport_changes")
    op.drop_table("promise_versions")
    op.drop_table("local_offer_items")
    op.drop_table("promise_commitments")
