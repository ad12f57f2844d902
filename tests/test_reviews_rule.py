from datetime import date

from app.domain.reviews import (
    Timeliness,
    next_care_review,
    next_pathway_review,
    plan_due,
    review_due,
)


def test_first_review_within_20_working_days_of_coming_into_care():
    # Tuesday 1 Dec 2026 + 20 working days, skipping Christmas Day and the Boxing Day
    # substitute on Monday 28 December.
    assert next_care_review(date(2026, 12, 1), []) == date(2026, 12, 31)
    # Two days later, New Year's Day is skipped too.
    assert next_care_review(date(2026, 12, 3), []) == date(2027, 1, 5)


def test_second_review_within_3_months_of_the_first():
    assert next_care_review(date(2026, 1, 5), [date(2026, 1, 30)]) == date(2026, 4, 30)


def test_then_every_6_months():
    held = [date(2026, 1, 30), date(2026, 4, 28), date(2026, 10, 20)]
    assert next_care_review(date(2026, 1, 5), held) == date(2027, 4, 20)


def test_reviews_before_coming_into_care_again_do_not_count():
    # Came back into care: the cadence starts again.
    assert next_care_review(date(2026, 6, 1), [date(2025, 1, 10)]) == date(2026, 6, 29)


def test_pathway_plan_every_6_months():
    assert next_pathway_review(date(2026, 2, 28), []) == date(2026, 8, 28)
    assert next_pathway_review(date(2026, 2, 28), [date(2026, 8, 31)]) == date(2027, 2, 28)


def test_timeliness():
    due = review_due(pathway=True, started_on=date(2026, 5, 1), reviews_held=[], today=date(2026, 10, 20))
    assert due.on == date(2026, 11, 1) and due.timeliness is Timeliness.DUE_SOON
    late = review_due(pathway=True, started_on=date(2026, 5, 1), reviews_held=[], today=date(2026, 11, 2))
    assert late.timeliness is Timeliness.OVERDUE
    fine = review_due(pathway=True, started_on=date(2026, 5, 1), reviews_held=[], today=date(2026, 6, 1))
    assert fine.timeliness is Timeliness.ON_TRACK


def test_plan_due_six_months_after_publication_or_now_if_none():
    assert plan_due(None, date(2026, 11, 22)).timeliness is Timeliness.OVERDUE
    assert plan_due(date(2026, 6, 1), date(2026, 11, 22)).on == date(2026, 12, 1)
    assert plan_due(date(2026, 6, 1), date(2026, 11, 22)).timeliness is Timeliness.DUE_SOON


def test_a_review_is_booked_for_a_date_within_the_coming_year():
    from datetime import date

    from app.domain.reviews import booking_problem

    today = date(2026, 12, 1)
    assert booking_problem(date(2026, 11, 30), today) == "date_in_past"
    assert booking_problem(today, today) is None
    assert booking_problem(date(2027, 12, 2), today) is None  # 366 days
    assert booking_problem(date(2027, 12, 3), today) == "too_far_ahead"
    assert booking_problem(date(2099, 12, 31), today) == "too_far_ahead"


def test_a_review_held_is_not_in_the_future_nor_before_birth_or_care():
    from datetime import date

    from app.domain.reviews import held_problem

    today, born, care = date(2026, 12, 1), date(2013, 8, 1), date(2024, 5, 1)
    assert held_problem(date(2026, 12, 2), today, born, care) == "date_in_future"
    assert held_problem(date(1990, 1, 1), today, born, care) == "before_born"
    assert held_problem(date(2023, 1, 1), today, born, care) == "before_care"
    assert held_problem(date(2023, 1, 1), today, born, None) is None
    assert held_problem(today, today, born, care) is None
