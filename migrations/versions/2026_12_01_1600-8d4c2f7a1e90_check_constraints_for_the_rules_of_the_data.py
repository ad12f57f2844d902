"""Add check constraints for the rules that are facts of the data: a relationship ends
after it starts, places in a list start at 1, stages and counts stay in range, and
answers stored as text are one of the known ones. The app already keeps each rule; now the
database refuses a row that breaks one, whatever wrote it.

Revision ID: 8d4c2f7a1e90
Revises: 3f6b2d9c8a17
Create Date: 2026-12-01 16:00:00.000000

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "8d4c2f7a1e90"
down_revision = "3f6b2d9c8a17"
branch_labels = None
depends_on = None

# Table, then each constraint's name (after "ck_<table>_") and its condition; the same as
# the models say (app/models/).
CHECKS = {
    "living_arrangements": [
        ("ends_after_start", "ends_on IS NULL OR ends_on > starts_on"),
    ],
    "allocations": [
        ("ends_after_start", "ends_on IS NULL OR ends_on > starts_on"),
    ],
    "young_person_contacts": [
        ("ends_after_start", "ends_on IS NULL OR ends_on > starts_on"),
    ],
    "skills": [
        ("position_positive", "position >= 1"),
        ("age_in_range", "starts_at_age BETWEEN 10 AND 25"),
    ],
    "local_offer_items": [
        ("position_positive", "position >= 1"),
    ],
    "promise_versions": [
        ("number_positive", "number >= 1"),
    ],
    "promise_items": [
        ("position_positive", "position >= 1"),
    ],
    "plan_versions": [
        (
            "numbered_when_published",
            "(state = 'draft' AND number IS NULL) OR "
            "(state = 'published' AND number IS NOT NULL AND number >= 1)",
        ),
    ],
    "plan_sections": [
        ("position_positive", "position >= 1"),
    ],
    "plan_actions": [
        ("position_positive", "position >= 1"),
    ],
    "plan_draft_changes": [
        ("known_kind", "kind IN ('text', 'action_added', 'action_removed')"),
    ],
    "complaints": [
        ("known_stage", "stage BETWEEN 1 AND 3"),
        ("extension_not_negative", "extension_days >= 0"),
    ],
    "complaint_events": [
        ("known_stage", "stage BETWEEN 1 AND 3"),
    ],
    "complaint_drafts": [
        ("known_advocate_answer", "wants_advocate IN ('yes', 'no', '')"),
    ],
    "review_preparations": [
        ("known_chair_answer", "chair IN ('yes', 'no', 'help', '')"),
    ],
    "push_deliveries": [
        ("attempts_not_negative", "attempts >= 0"),
    ],
    "notify_deliveries": [
        ("attempts_not_negative", "attempts >= 0"),
    ],
    "votes": [
        ("known_subject", "about IN ('passport_name', 'other')"),
        ("suggestions_close_first", "suggestions_close_at IS NULL OR suggestions_close_at <= closes_at"),
    ],
    "audit_events": [
        ("known_outcome", "outcome IN ('allowed', 'refused', 'failed')"),
    ],
}


def upgrade():
    # Batch mode: SQLite cannot add a constraint to a table, so it copies the table.
    for table, checks in CHECKS.items():
        with op.batch_alter_table(table) as batch_op:
            for name, condition in checks:
                batch_op.create_check_constraint(op.f(f"ck_{table}_{name}"), condition)


def downgrade():
    for table, checks in reversed(CHECKS.items()):
        with op.batch_alter_table(table) as batch_op:
            for name, _ in checks:
                batch_op.drop_constraint(op.f(f"ck_{table}_{name}"), type_="check")
