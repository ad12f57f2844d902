"""The schema says its rules: each fact of the data is a named check constraint, the
database built by the migrations has every one the models name, and it refuses a row that
breaks one, whatever wrote the row (on SQLite and on PostgreSQL alike)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import CheckConstraint, inspect, select, text
from sqlalchemy.exc import IntegrityError

from app.content_loader import load_content
from app.domain.reminders import Reason
from app.extensions import db
from app.models import (
    AccountReset,
    AuditEvent,
    Base,
    ComplaintDraft,
    Notification,
    NotifyDelivery,
    PlanDraftChange,
    PlanVersion,
    PushDelivery,
    ReviewPreparation,
    SafetyAlert,
)
from app.timeutil import london_today, now_utc

# Each constraint, and an UPDATE that breaks it on every row of its table. The rows are the
# demo council's, and for tables the demo leaves empty the ones _add_missing_rows writes.
BREAKS = {
    "ck_living_arrangements_ends_after_start": "UPDATE living_arrangements SET ends_on = starts_on",
    "ck_allocations_ends_after_start": "UPDATE allocations SET ends_on = starts_on",
    "ck_young_person_contacts_ends_after_start": "UPDATE young_person_contacts SET ends_on = starts_on",
    "ck_skills_position_positive": "UPDATE skills SET position = 0",
    "ck_skills_age_in_range": "UPDATE skills SET starts_at_age = 9",
    "ck_local_offer_items_position_positive": "UPDATE local_offer_items SET position = 0",
    "ck_promise_versions_number_positive": "UPDATE promise_versions SET number = 0",
    "ck_promise_items_position_positive": "UPDATE promise_items SET position = -1",
    "ck_plan_versions_numbered_when_published": "UPDATE plan_versions SET number = NULL",
    "ck_plan_sections_position_positive": "UPDATE plan_sections SET position = 0",
    "ck_plan_actions_position_positive": "UPDATE plan_actions SET position = 0",
    "ck_plan_draft_changes_known_kind": "UPDATE plan_draft_changes SET kind = 'rewritten'",
    "ck_complaints_known_stage": "UPDATE complaints SET stage = 4",
    "ck_complaints_extension_not_negative": "UPDATE complaints SET extension_days = -1",
    "ck_complaint_events_known_stage": "UPDATE complaint_events SET stage = 0",
    "ck_complaint_drafts_known_advocate_answer": "UPDATE complaint_drafts SET wants_advocate = 'maybe'",
    "ck_review_preparations_known_chair_answer": "UPDATE review_preparations SET chair = 'perhaps'",
    "ck_push_deliveries_attempts_not_negative": "UPDATE push_deliveries SET attempts = -1",
    "ck_notify_deliveries_attempts_not_negative": "UPDATE notify_deliveries SET attempts = -1",
    "ck_notify_deliveries_known_channel": "UPDATE notify_deliveries SET channel = 'fax'",
    "ck_votes_known_subject": "UPDATE votes SET about = 'anything'",
    "ck_votes_suggestions_close_first": "UPDATE votes SET suggestions_close_at = :later, closes_at = :now",
    "ck_audit_events_known_outcome": "UPDATE audit_events SET outcome = 'maybe'",
    "ck_teams_opens_before_closing": "UPDATE teams SET opens_at = closes_at",
    "ck_staff_cards_starts_before_ending": "UPDATE staff_cards SET work_starts = work_ends",
    "ck_staff_cards_away_in_order": "UPDATE staff_cards SET away_from = :tomorrow, away_until = :today",
    "ck_safety_alerts_closed_with_outcome": "UPDATE safety_alerts SET state = 'closed'",
    "ck_safety_alerts_level_not_negative": "UPDATE safety_alerts SET level = -1",
    "ck_compliments_recipient": "UPDATE compliments SET to_user_id = NULL, to_team = ''",
    "ck_account_resets_second_manager_differs": "UPDATE account_resets SET confirmed_by_id = requested_by_id",
    "ck_account_resets_confirmed_before_made": (
        "UPDATE account_resets SET needs_confirmation = :yes, made_at = :now, confirmed_by_id = NULL"
    ),
}


def _model_checks() -> dict[str, set[str]]:
    """The named check constraints the models declare, by table (on the table or on a
    column, as the ordered-content mixin does)."""
    found: dict[str, set[str]] = {}
    for table in Base.metadata.sorted_tables:
        constraints = list(table.constraints) + [c for col in table.columns for c in col.constraints]
        names = {str(c.name) for c in constraints if isinstance(c, CheckConstraint)}
        if names:
            found[table.name] = names
    return found


def _add_missing_rows(ids: dict[str, int]) -> None:
    """One valid row in each table with a rule that the demo council leaves empty."""
    now, plan = now_utc(), db.session.scalar(select(PlanVersion).limit(1))
    assert plan is not None
    notification = Notification(
        user_id=ids["priya"], reason=Reason.NEW_MESSAGE, subject="s", dedupe_key="schema-rules"
    )
    db.session.add(notification)
    db.session.flush()
    db.session.add_all(
        [
            PlanDraftChange(
                plan_version_id=plan.id,
                section_id=plan.sections[0].id,
                kind="text",
                before="a",
                after="b",
                actor_id=ids["priya"],
            ),
            ComplaintDraft(author_id=ids["maya"], young_person_id=ids["maya"], wants_advocate="yes"),
            ReviewPreparation(young_person_id=ids["maya"], chair="help"),
            PushDelivery(notification_id=notification.id, subscription_id=1),
            NotifyDelivery(notification_id=notification.id, channel="sms", address="07700900000"),
            AuditEvent(action="schema_rules", outcome="allowed"),
            SafetyAlert(young_person_id=ids["maya"]),
            AccountReset(user_id=ids["maya"], requested_by_id=ids["kim"], made_at=now),
        ]
    )


def test_every_rule_in_the_models_has_a_row_that_breaks_it_here():
    declared = set().union(*_model_checks().values())
    assert declared == set(BREAKS), "add the new constraint to BREAKS (or take out an old one)"


def test_the_migrated_database_has_every_check_the_models_name(app):
    """compare_metadata (tests/test_migrations.py) does not look at check constraints, so
    this does: a constraint in a model and not in a migration fails here."""
    with app.app_context():
        inspector = inspect(db.engine)
        in_database = {
            table: {str(c["name"]) for c in inspector.get_check_constraints(table) if c["name"]}
            for table in inspector.get_table_names()
        }
    for table, names in _model_checks().items():
        assert in_database.get(table, set()) == names, table


def test_the_database_refuses_a_row_that_breaks_each_rule(app, demo):
    """The demo council and the content load satisfy every rule (they were committed with
    the constraints in place); then each UPDATE that breaks one is refused, naming it."""
    with app.app_context():
        _add_missing_rows(demo)
        db.session.commit()
        db.session.remove()
        today = london_today()
        values = {
            "now": now_utc(),
            "later": now_utc() + timedelta(days=1),
            "today": today,
            "tomorrow": today + timedelta(days=1),
            "yes": True,
        }
        not_refused = []
        for name, statement in BREAKS.items():
            with db.engine.connect() as conn:
                table = statement.split()[1]
                assert conn.scalar(text(f"SELECT count(*) FROM {table}")), f"no rows in {table}"  # noqa: S608
                try:
                    conn.execute(text(statement), values)
                except IntegrityError as error:
                    assert name in str(error.orig), (name, str(error.orig))
                else:
                    not_refused.append(name)
                finally:
                    conn.rollback()
    assert not_refused == []


def test_demo_data_and_content_keep_the_ordered_lists_numbered_from_one(app, demo):
    """Seeding numbers each area's items 1, 2, 3, ... in the content files' order."""
    from app.models import LocalOfferItem, Skill

    with app.app_context():
        for model in (Skill, LocalOfferItem):
            rows = db.session.execute(select(model.area, model.position).order_by(model.area, model.position))
            by_area: dict[str, list[int]] = {}
            for area, position in rows:
                by_area.setdefault(area, []).append(position)
            assert by_area and all(p == list(range(1, len(p) + 1)) for p in by_area.values()), model


def test_loading_the_content_again_adds_nothing(app):
    with app.app_context():
        first = load_content(now_utc())
        db.session.commit()
        again = load_content(now_utc())
        assert sum(first.values()) > 0 and set(again.values()) == {0}
