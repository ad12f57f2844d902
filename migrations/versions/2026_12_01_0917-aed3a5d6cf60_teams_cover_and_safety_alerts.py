"""Add teams and cover (duty, out of hours), workers' hours and away periods, "I don't feel
safe" alerts with their recipients and events, and Notify deliveries.

The free-text team on a worker's card becomes a real team: each name found becomes a team
and its workers its members, so nothing written there is lost.

Revision ID: aed3a5d6cf60
Revises: fb1487b1b402
Create Date: 2026-12-01 09:17:40.516143

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "aed3a5d6cf60"
down_revision = "fb1487b1b402"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "teams",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("casework", "duty", "out_of_hours", name="teamkind", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("manager_id", sa.Integer(), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("days", sa.String(length=7), nullable=False),
        sa.Column("opens_at", sa.Time(), nullable=False),
        sa.Column("closes_at", sa.Time(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("opens_at < closes_at", name=op.f("ck_teams_opens_before_closing")),
        sa.ForeignKeyConstraint(
            ["manager_id"], ["users.id"], name=op.f("fk_teams_manager_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_teams")),
        sa.UniqueConstraint("name", name=op.f("uq_teams_name")),
    )
    op.create_table(
        "notify_deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notification_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("address", sa.String(length=200), nullable=False),
        sa.Column(
            "state",
            sa.Enum("pending", "sent", "failed", "gone", name="deliverystate", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_status", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("notify_id", sa.String(length=64), nullable=True),
        sa.CheckConstraint("channel IN ('sms', 'email')", name=op.f("ck_notify_deliveries_known_channel")),
        sa.ForeignKeyConstraint(
            ["notification_id"],
            ["notifications.id"],
            name=op.f("fk_notify_deliveries_notification_id_notifications"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notify_deliveries")),
        sa.UniqueConstraint("notification_id", "channel", name="uq_notify_deliveries_notification_channel"),
    )
    with op.batch_alter_table("notify_deliveries", schema=None) as batch_op:
        batch_op.create_index("ix_notify_deliveries_state_due", ["state", "due_at"], unique=False)

    op.create_table(
        "safety_alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("young_person_id", sa.Integer(), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=True),
        sa.Column("message_id", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=True),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "state",
            sa.Enum("open", "acknowledged", "closed", name="alertstate", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("next_escalation_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_by_id", sa.Integer(), nullable=True),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by_id", sa.Integer(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "outcome",
            sa.Enum(
                "spoke_to_young_person",
                "visited",
                "strategy_discussion",
                "police_called",
                "referred",
                "other",
                name="outcome",
                native_enum=False,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("outcome_note", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "state != 'closed' OR "
            "(outcome IS NOT NULL AND closed_at IS NOT NULL AND outcome_note IS NOT NULL)",
            name=op.f("ck_safety_alerts_closed_with_outcome"),
        ),
        sa.CheckConstraint("level >= 0", name=op.f("ck_safety_alerts_level_not_negative")),
        sa.ForeignKeyConstraint(
            ["acknowledged_by_id"], ["users.id"], name=op.f("fk_safety_alerts_acknowledged_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["closed_by_id"], ["users.id"], name=op.f("fk_safety_alerts_closed_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["message_id"], ["messages.id"], name=op.f("fk_safety_alerts_message_id_messages")
        ),
        sa.ForeignKeyConstraint(
            ["thread_id"], ["message_threads.id"], name=op.f("fk_safety_alerts_thread_id_message_threads")
        ),
        sa.ForeignKeyConstraint(
            ["young_person_id"],
            ["young_person_profiles.user_id"],
            name=op.f("fk_safety_alerts_young_person_id_young_person_profiles"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_safety_alerts")),
    )
    with op.batch_alter_table("safety_alerts", schema=None) as batch_op:
        batch_op.create_index("ix_safety_alerts_state_next", ["state", "next_escalation_at"], unique=False)
        batch_op.create_index("ix_safety_alerts_young_person", ["young_person_id", "raised_at"], unique=False)

    op.create_table(
        "safety_alert_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "raised",
                "told",
                "escalated",
                "seen",
                "acknowledged",
                "note",
                "worker_changed",
                "closed",
                name="eventkind",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_safety_alert_events_actor_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["alert_id"], ["safety_alerts.id"], name=op.f("fk_safety_alert_events_alert_id_safety_alerts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_safety_alert_events")),
    )
    with op.batch_alter_table("safety_alert_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_safety_alert_events_alert_id"), ["alert_id"], unique=False)

    op.create_table(
        "safety_alert_recipients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "because",
            sa.Enum(
                "social_worker",
                "personal_adviser",
                "cover",
                "duty",
                "out_of_hours",
                "team_manager",
                "service_manager",
                "new_worker",
                name="because",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("told_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["alert_id"], ["safety_alerts.id"], name=op.f("fk_safety_alert_recipients_alert_id_safety_alerts")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_safety_alert_recipients_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_safety_alert_recipients")),
        sa.UniqueConstraint("alert_id", "user_id", name="uq_safety_alert_recipients_alert_user"),
    )
    with op.batch_alter_table("safety_alert_recipients", schema=None) as batch_op:
        batch_op.create_index("ix_safety_alert_recipients_user", ["user_id", "alert_id"], unique=False)

    with op.batch_alter_table("staff_cards", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("work_days", sa.String(length=7), nullable=False, server_default="01234")
        )
        batch_op.add_column(
            sa.Column("work_starts", sa.Time(), nullable=False, server_default="09:00:00.000000")
        )
        batch_op.add_column(
            sa.Column("work_ends", sa.Time(), nullable=False, server_default="17:00:00.000000")
        )
        batch_op.add_column(sa.Column("away_from", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("away_cover_user_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("away_cover_team_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_staff_cards_away_cover_team_id_teams"), "teams", ["away_cover_team_id"], ["id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_staff_cards_away_cover_user_id_users"), "users", ["away_cover_user_id"], ["id"]
        )
        batch_op.create_check_constraint(
            op.f("ck_staff_cards_starts_before_ending"), "work_starts < work_ends"
        )
        batch_op.create_check_constraint(
            op.f("ck_staff_cards_away_in_order"),
            "away_from IS NULL OR away_until IS NULL OR away_from <= away_until",
        )

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("team_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_users_team_id_teams"), "teams", ["team_id"], ["id"])

    # Each free-text team name becomes a team, with the workers who wrote it as members.
    # PostgreSQL wants the times typed; SQLite keeps them as the text SQLAlchemy writes.
    nine, five = (
        ("TIME '09:00:00'", "TIME '17:00:00'")
        if op.get_bind().dialect.name == "postgresql"
        else ("'09:00:00.000000'", "'17:00:00.000000'")
    )
    # The two values are the constants above, not input.
    op.execute(
        "INSERT INTO teams (name, kind, days, opens_at, closes_at, created_at, version) "  # noqa: S608
        f"SELECT DISTINCT team, 'casework', '01234', {nine}, {five}, CURRENT_TIMESTAMP, 1 "
        "FROM staff_cards WHERE team IS NOT NULL AND team != ''"
    )
    op.execute(
        "UPDATE users SET team_id = (SELECT teams.id FROM teams JOIN staff_cards "
        "ON staff_cards.team = teams.name WHERE staff_cards.user_id = users.id)"
    )

    with op.batch_alter_table("staff_cards", schema=None) as batch_op:
        # The defaults were for the cards already there; new cards get theirs from the app.
        batch_op.alter_column("work_days", server_default=None)
        batch_op.alter_column("work_starts", server_default=None)
        batch_op.alter_column("work_ends", server_default=None)
        batch_op.drop_column("team")
        batch_op.drop_column("away_contact")


def downgrade():
    with op.batch_alter_table("staff_cards", schema=None) as batch_op:
        batch_op.add_column(sa.Column("away_contact", sa.VARCHAR(length=300), nullable=True))
        batch_op.add_column(sa.Column("team", sa.VARCHAR(length=80), nullable=True))
    op.execute(
        "UPDATE staff_cards SET team = (SELECT teams.name FROM teams JOIN users "
        "ON users.team_id = teams.id WHERE users.id = staff_cards.user_id)"
    )

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_users_team_id_teams"), type_="foreignkey")
        batch_op.drop_column("team_id")

    with op.batch_alter_table("staff_cards", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_staff_cards_away_in_order"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_staff_cards_starts_before_ending"), type_="check")
        batch_op.drop_constraint(batch_op.f("fk_staff_cards_away_cover_user_id_users"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_staff_cards_away_cover_team_id_teams"), type_="foreignkey")
        batch_op.drop_column("away_cover_team_id")
        batch_op.drop_column("away_cover_user_id")
        batch_op.drop_column("away_from")
        batch_op.drop_column("work_ends")
        batch_op.drop_column("work_starts")
        batch_op.drop_column("work_days")

    with op.batch_alter_table("safety_alert_recipients", schema=None) as batch_op:
        batch_op.drop_index("ix_safety_alert_recipients_user")

    op.drop_table("safety_alert_recipients")
    with op.batch_alter_table("safety_alert_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_safety_alert_events_alert_id"))

    op.drop_table("safety_alert_events")
    with op.batch_alter_table("safety_alerts", schema=None) as batch_op:
        batch_op.drop_index("ix_safety_alerts_young_person")
        batch_op.drop_index("ix_safety_alerts_state_next")

    op.drop_table("safety_alerts")
    with op.batch_alter_table("notify_deliveries", schema=None) as batch_op:
        batch_op.drop_index("ix_notify_deliveries_state_due")

    op.drop_table("notify_deliveries")
    op.drop_table("teams")
