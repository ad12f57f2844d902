"""Make skill event idempotency keys unique per person (actor, key), not across
everyone.

Revision ID: 5e1d7a2c9b40
Revises: aed3a5d6cf60
Create Date: 2026-12-01 12:20:00.000000

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "5e1d7a2c9b40"
down_revision = "aed3a5d6cf60"
branch_labels = None
depends_on = None


def upgrade():
    # Every key that is unique on its own is unique with its actor too, so no row can fail.
    with op.batch_alter_table("skill_events", schema=None) as batch_op:
        batch_op.drop_constraint("uq_skill_events_idempotency_key", type_="unique")
        batch_op.create_unique_constraint("uq_skill_events_actor_key", ["actor_id", "idempotency_key"])


def downgrade():
    # Fails (and changes nothing) if two people hold the same key by now: going back must
    # not drop anyone's event to make the old rule fit.
    with op.batch_alter_table("skill_events", schema=None) as batch_op:
        batch_op.drop_constraint("uq_skill_events_actor_key", type_="unique")
        batch_op.create_unique_constraint("uq_skill_events_idempotency_key", ["idempotency_key"])
