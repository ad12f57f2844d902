"""The reminder rule, with a fixed clock: who is reminded of what, quiet hours, mutes and
sending each reminder once."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from app.domain import reminders as rules
from app.domain.reminders import (
    Candidate,
    ComplaintDueFact,
    Kind,
    MessageFact,
    Reason,
    Recipient,
    ReviewFact,
    dedupe_key,
)
from app.domain.roles import Role

# Wednesday 18 November 2026, 10:00 in London (GMT, so also 10:00 UTC).
NOW = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)
TODAY = date(2026, 11, 18)
CHILD = Recipient(1, Role.YOUNG_PERSON, date(2013, 5, 1))  # 13
ADULT_LEAVER = Recipient(2, Role.YOUNG_PERSON, date(2007, 1, 1))  # 19
WORKER = Recipient(3, Role.SOCIAL_WORKER)
CARER = Recipient(4, Role.CARER)
PEOPLE = {p.id: p for p in (CHILD, ADULT_LEAVER, WORKER, CARER)}


def at_london(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=rules.LONDON).astimezone(UTC)


def test_a_young_person_hears_a_week_before_their_review_and_the_day_before():
    reviews = [ReviewFact(1, TODAY + timedelta(days=d)) for d in (0, 1, 2, 7, 8)]
    found = rules.review_reminders(reviews, NOW)
    assert [(c.reason, c.subject) for c in found] == [
        (Reason.REVIEW_TOMORROW, "review:2026-11-19"),
        (Reason.REVIEW_IN_7_DAYS, "review:2026-11-20"),
        (Reason.REVIEW_IN_7_DAYS, "review:2026-11-25"),
    ]
    assert all(c.person_id == 1 and c.url == "/review" for c in found)


def test_the_week_before_reminder_is_one_reminder_however_many_days_it_is_found():
    review = ReviewFact(1, date(2026, 11, 25))
    keys = {
        c.dedupe_key
        for day in range(0, 6)
        for c in rules.review_reminders([review], NOW + timedelta(days=day))
        if c.reason is Reason.REVIEW_IN_7_DAYS
    }
    assert keys == {"1:review_in_7_days:review:2026-11-25"}


def test_a_skill_signed_off_or_sent_back_tells_the_young_person():
    found = rules.skill_outcome_reminders(
        [rules.SkillOutcomeFact(10, 1, 5, True), rules.SkillOutcomeFact(11, 1, 6, False)]
    )
    assert [(c.person_id, c.reason, c.url) for c in found] == [
        (1, Reason.SKILL_SIGNED_OFF, "/passport/skills/5"),
        (1, Reason.SKILL_SENT_BACK, "/passport/skills/6"),
    ]


def test_a_new_plan_version_tells_the_young_person():
    (found,) = rules.plan_reminders([rules.PlanPublishedFact(7, 1, 2)])
    assert (found.person_id, found.reason, found.subject, found.url) == (
        1,
        Reason.NEW_PLAN_VERSION,
        "plan:7",
        "/plan",
    )


def test_carers_hear_about_skills_to_practise_at_most_weekly():
    facts = [rules.PractiseFact(4, 1, 3), rules.PractiseFact(4, 2, 0)]
    monday = rules.practise_reminders(facts, at_london(date(2026, 11, 16), 9))
    sunday = rules.practise_reminders(facts, at_london(date(2026, 11, 22), 20))
    next_monday = rules.practise_reminders(facts, at_london(date(2026, 11, 23), 9))
    assert [c.young_person_id for c in monday] == [1]  # nothing to practise: no reminder
    assert monday[0].dedupe_key == sunday[0].dedupe_key
    assert next_monday[0].dedupe_key != monday[0].dedupe_key


def test_workers_hear_of_progress_waiting_more_than_three_days():
    waiting = [
        rules.SignOffWaitingFact(3, 1, 50, 2, NOW - timedelta(days=3, minutes=1)),
        rules.SignOffWaitingFact(3, 1, 51, 1, NOW - timedelta(days=2, hours=23)),
    ]
    found = rules.sign_off_reminders(waiting, NOW)
    assert [c.subject for c in found] == ["progress:50:2"]
    assert found[0].url == "/care/passport-queue"


def test_a_review_due_soon_and_then_late_are_two_reminders():
    soon = rules.reviews_due_reminders([rules.ReviewDueFact(3, 1, TODAY, False)])
    late = rules.reviews_due_reminders([rules.ReviewDueFact(3, 1, TODAY, True)])
    assert soon[0].dedupe_key != late[0].dedupe_key
    assert soon[0].reason is Reason.REVIEWS_DUE


def test_new_messages_and_complaint_updates_are_ready_for_their_sources():
    (message,) = rules.new_message_reminders([MessageFact(9, 1, NOW, 1, "/messages/9")])
    assert (message.reason, message.url) == (Reason.NEW_MESSAGE, "/messages/9")
    (update,) = rules.complaint_update_reminders([rules.ComplaintUpdateFact(4, 12, 1, "/complaints/4")])
    assert (update.person_id, update.reason, update.subject) == (1, Reason.COMPLAINT_UPDATE, "complaint:4:12")


def test_a_message_unanswered_for_two_working_days_reminds_the_worker():
    friday = at_london(date(2026, 11, 20), 16)
    message = MessageFact(9, 3, friday, 1)
    assert rules.message_unanswered_reminders([message], at_london(date(2026, 11, 23), 9)) == []  # Monday
    (found,) = rules.message_unanswered_reminders([message], at_london(date(2026, 11, 24), 9))  # Tuesday
    assert (found.person_id, found.reason) == (3, Reason.MESSAGE_UNANSWERED)


def test_working_days_skip_bank_holidays_for_unanswered_messages():
    # Thursday before Christmas 2026: Friday 25 and Monday 28 December are bank holidays.
    message = MessageFact(9, 3, at_london(date(2026, 12, 24), 12), 1)
    assert rules.message_unanswered_reminders([message], at_london(date(2026, 12, 29), 9)) == []
    assert rules.message_unanswered_reminders([message], at_london(date(2026, 12, 30), 9))


def test_complaints_due_in_two_working_days_or_late_remind_the_officer():
    friday = at_london(date(2026, 11, 20), 9)
    complaints = [
        ComplaintDueFact(1, "stage_1", 5, date(2026, 11, 24)),  # Tuesday: 2 working days
        ComplaintDueFact(2, "stage_1", 5, date(2026, 11, 25)),  # Wednesday: 3
        ComplaintDueFact(3, "stage_2", 5, date(2026, 11, 19)),  # late
    ]
    found = rules.complaint_due_reminders(complaints, friday)
    assert [c.subject for c in found] == ["complaint_due:1:stage_1:soon", "complaint_due:3:stage_2:late"]
    assert all(c.reason is Reason.COMPLAINT_DUE and c.person_id == 5 for c in found)


def test_every_reason_has_a_kind_to_mute_except_the_test_urgent_alerts_and_account_resets():
    assert set(rules.KIND_OF) == set(Reason)
    assert {r for r, kind in rules.KIND_OF.items() if kind is None} == {
        Reason.TEST,
        Reason.URGENT_ALERT,
        Reason.ALERT_TAKEN_ON,
        # A possible take-over of a young person's account with a complaint open: the
        # officer cannot mute it with the complaint reminders.
        Reason.ACCOUNT_RESET,
    }


# Deciding: quiet hours, mutes, once ----------------------------------------------------------


def candidate(person_id=1, reason=Reason.NEW_PLAN_VERSION, subject="plan:1"):
    return Candidate(person_id, reason, subject, 1)


def test_a_reminder_in_the_day_goes_now():
    (reminder,) = rules.decide([candidate()], PEOPLE, NOW)
    assert reminder.send_after == NOW


def test_no_reminders_reach_under_18s_between_9pm_and_8am_they_wait_for_morning():
    evening = at_london(TODAY, 21, 0)
    (reminder,) = rules.decide([candidate()], PEOPLE, evening)
    assert reminder.send_after == at_london(TODAY + timedelta(days=1), 8)

    early = at_london(TODAY, 7, 59)
    (reminder,) = rules.decide([candidate()], PEOPLE, early)
    assert reminder.send_after == at_london(TODAY, 8)

    just_before = at_london(TODAY, 20, 59)
    assert rules.decide([candidate()], PEOPLE, just_before)[0].send_after == just_before
    eight = at_london(TODAY, 8)
    assert rules.decide([candidate()], PEOPLE, eight)[0].send_after == eight


def test_quiet_hours_follow_london_time_in_summer():
    # 20:30 UTC in July is 21:30 in London (BST): quiet.
    summer = datetime(2026, 7, 1, 20, 30, tzinfo=UTC)
    (reminder,) = rules.decide([candidate()], PEOPLE, summer)
    assert reminder.send_after == datetime(2026, 7, 2, 7, 0, tzinfo=UTC)  # 08:00 BST


def test_quiet_hours_are_for_under_18s_only():
    night = at_london(TODAY, 23)
    reminders = rules.decide(
        [
            candidate(2),
            candidate(3, Reason.SIGN_OFF_WAITING, "progress:1:1"),
            candidate(4, Reason.PRACTISE_SKILLS),
        ],
        PEOPLE,
        night,
    )
    assert [r.send_after for r in reminders] == [night, night, night]


def test_a_young_person_turns_18_and_quiet_hours_stop():
    birthday_tonight = Recipient(1, Role.YOUNG_PERSON, date(2008, 11, 18))
    assert not rules.is_quiet_for(birthday_tonight, at_london(TODAY, 22))
    assert rules.is_quiet_for(birthday_tonight, at_london(TODAY - timedelta(days=1), 22))


def test_a_test_push_asked_for_at_night_is_sent_at_once():
    night = at_london(TODAY, 23)
    (reminder,) = rules.decide([candidate(reason=Reason.TEST, subject="test:1")], PEOPLE, night)
    assert reminder.send_after == night


def test_a_muted_kind_is_not_reminded_but_others_are():
    muted = {1: Recipient(1, Role.YOUNG_PERSON, date(2013, 5, 1), frozenset({Kind.PLANS}))}
    reminders = rules.decide(
        [
            candidate(),
            candidate(reason=Reason.REVIEW_TOMORROW, subject="review:x"),
            candidate(reason=Reason.TEST, subject="test:1"),
        ],
        muted,
        NOW,
    )
    assert [r.candidate.reason for r in reminders] == [Reason.REVIEW_TOMORROW, Reason.TEST]


def test_each_reminder_is_decided_once_per_person_reason_and_subject():
    twice = [candidate(), candidate(), candidate(reason=Reason.SKILL_SIGNED_OFF)]
    assert len(rules.decide(twice, PEOPLE, NOW)) == 2
    sent = {dedupe_key(1, Reason.NEW_PLAN_VERSION, "plan:1")}
    assert [r.candidate.reason for r in rules.decide(twice, PEOPLE, NOW, sent.__contains__)] == [
        Reason.SKILL_SIGNED_OFF
    ]


def test_nobody_unknown_or_closed_is_reminded():
    closed = {1: Recipient(1, Role.YOUNG_PERSON, date(2013, 5, 1), active=False)}
    assert rules.decide([candidate()], closed, NOW) == []
    assert rules.decide([candidate(person_id=99)], PEOPLE, NOW) == []


def test_every_reason_names_the_rule_of_the_page_it_links_to():
    # app.push.visibility hides a notification whose reason has no page rule, so a new
    # reason without one would never be seen (fail closed): this says so when it is added.
    assert set(rules.Reason) == set(rules.PAGE_ACTION) | rules.OTHER_GUARD
    assert not set(rules.PAGE_ACTION) & rules.OTHER_GUARD
