"""The safety rule (app.domain.safety) on its own: who is told when a young person says "I
don't feel safe", what they are told, and how an alert escalates. No app, no database."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from app.domain.roles import AllocationKind
from app.domain.safety import (
    AlertProblem,
    AlertState,
    AlertWords,
    Away,
    AwayProblem,
    Because,
    Cover,
    Hours,
    NotWorking,
    Outcome,
    Team,
    TeamKind,
    Told,
    Worker,
    alert_words,
    check_away,
    check_close,
    escalate,
    ladder,
    may_see_alert,
    route,
)
from app.timeutil import LONDON

SW, PA = AllocationKind.SOCIAL_WORKER, AllocationKind.PERSONAL_ADVISER
PRIYA, TOM, NIA, EZRA, HANA, KIM, OMAR, DUTY_MANAGER = 1, 2, 3, 4, 5, 6, 7, 8

COVER = Cover(
    duty=Team(10, "Duty team", TeamKind.DUTY, (NIA,), manager_id=DUTY_MANAGER),
    out_of_hours=Team(11, "Out-of-hours team", TeamKind.OUT_OF_HOURS, (EZRA,)),
    duty_hours=Hours(frozenset(range(5)), time(9), time(17)),
    service_managers=(KIM,),
)
MON_TO_THU = Hours(frozenset({0, 1, 2, 3}), time(9), time(17))
TUE_TO_SAT = Hours(frozenset({1, 2, 3, 4, 5}), time(10), time(18))


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON)


TUESDAY = date(2026, 12, 1)
SATURDAY = date(2026, 12, 5)
CHRISTMAS = date(2026, 12, 25)  # a Friday and a bank holiday
BOXING_DAY_HOLIDAY = date(2026, 12, 28)  # Monday: Boxing Day falls on a Saturday


def priya(**changes) -> Worker:
    return Worker(PRIYA, "Priya Natarajan", SW, MON_TO_THU, team_manager_id=HANA, **changes)


def tom(**changes) -> Worker:
    return Worker(TOM, "Tom Ellery", PA, TUE_TO_SAT, **changes)


AWAY = Away(until=date(2026, 12, 18), starts_on=date(2026, 11, 30))

# (case, workers, now, chosen) -> (told, why each absent worker is not working, team told at once)
CASES = [
    ("worker working", [priya()], at(TUESDAY, 10), None, {PRIYA: Because.SOCIAL_WORKER}, {}, None),
    (
        "worker away",
        [priya(away=AWAY)],
        at(TUESDAY, 10),
        None,
        {PRIYA: Because.SOCIAL_WORKER, NIA: Because.DUTY},
        {"Priya Natarajan": NotWorking.AWAY},
        TeamKind.DUTY,
    ),
    (
        "worker outside hours (Friday is not Priya's day)",
        [priya()],
        at(date(2026, 12, 4), 11),
        None,
        {PRIYA: Because.SOCIAL_WORKER, NIA: Because.DUTY},
        {"Priya Natarajan": NotWorking.DAY_OFF},
        TeamKind.DUTY,
    ),
    (
        "08:59: before everyone's hours",
        [priya()],
        at(TUESDAY, 8, 59),
        None,
        {PRIYA: Because.SOCIAL_WORKER, EZRA: Because.OUT_OF_HOURS},
        {"Priya Natarajan": NotWorking.OUT_OF_HOURS},
        TeamKind.OUT_OF_HOURS,
    ),
    ("09:00: Priya starts", [priya()], at(TUESDAY, 9), None, {PRIYA: Because.SOCIAL_WORKER}, {}, None),
    (
        "16:59: Priya still working",
        [priya()],
        at(TUESDAY, 16, 59),
        None,
        {PRIYA: Because.SOCIAL_WORKER},
        {},
        None,
    ),
    (
        "17:01: out of hours",
        [priya()],
        at(TUESDAY, 17, 1),
        None,
        {PRIYA: Because.SOCIAL_WORKER, EZRA: Because.OUT_OF_HOURS},
        {"Priya Natarajan": NotWorking.OUT_OF_HOURS},
        TeamKind.OUT_OF_HOURS,
    ),
    (
        "bank holiday: duty is closed too",
        [priya()],
        at(BOXING_DAY_HOLIDAY, 11),
        None,
        {PRIYA: Because.SOCIAL_WORKER, EZRA: Because.OUT_OF_HOURS},
        {"Priya Natarajan": NotWorking.BANK_HOLIDAY},
        TeamKind.OUT_OF_HOURS,
    ),
    (
        "Christmas Day, working hours on a Friday",
        [tom()],
        at(CHRISTMAS, 12),
        None,
        {TOM: Because.PERSONAL_ADVISER, EZRA: Because.OUT_OF_HOURS},
        {"Tom Ellery": NotWorking.BANK_HOLIDAY},
        TeamKind.OUT_OF_HOURS,
    ),
    (
        "weekend night",
        [priya()],
        at(SATURDAY, 23, 30),
        None,
        {PRIYA: Because.SOCIAL_WORKER, EZRA: Because.OUT_OF_HOURS},
        {"Priya Natarajan": NotWorking.DAY_OFF},
        TeamKind.OUT_OF_HOURS,
    ),
    ("no allocation, working hours", [], at(TUESDAY, 10), None, {NIA: Because.DUTY}, {}, TeamKind.DUTY),
    (
        "no allocation, at night",
        [],
        at(TUESDAY, 22),
        None,
        {EZRA: Because.OUT_OF_HOURS},
        {},
        TeamKind.OUT_OF_HOURS,
    ),
    (
        "SW and PA, both working: both told, nobody else",
        [priya(), tom()],
        at(TUESDAY, 11),
        None,
        {PRIYA: Because.SOCIAL_WORKER, TOM: Because.PERSONAL_ADVISER},
        {},
        None,
    ),
    (
        "SW and PA, only Tom working (Saturday): Tom has it, Priya told too",
        [priya(), tom()],
        at(SATURDAY, 11),
        None,
        {PRIYA: Because.SOCIAL_WORKER, TOM: Because.PERSONAL_ADVISER},
        {"Priya Natarajan": NotWorking.DAY_OFF},
        None,
    ),
    (
        "SW and PA, neither working: both told, and duty",
        [priya(away=AWAY), tom()],
        at(date(2026, 12, 7), 9, 30),  # Monday: Tom does not work Mondays
        SW,
        {PRIYA: Because.SOCIAL_WORKER, TOM: Because.PERSONAL_ADVISER, NIA: Because.DUTY},
        {"Priya Natarajan": NotWorking.AWAY, "Tom Ellery": NotWorking.DAY_OFF},
        TeamKind.DUTY,
    ),
    (
        "away with a named person to cover",
        [priya(away=Away(until=date(2026, 12, 18), cover_user_id=OMAR, cover_name="Omar Haddad"))],
        at(TUESDAY, 10),
        None,
        {PRIYA: Because.SOCIAL_WORKER, NIA: Because.DUTY, OMAR: Because.COVER},
        {"Priya Natarajan": NotWorking.AWAY},
        TeamKind.DUTY,
    ),
    (
        "away ended yesterday: working again",
        [priya(away=Away(until=date(2026, 11, 30)))],
        at(TUESDAY, 10),
        None,
        {PRIYA: Because.SOCIAL_WORKER},
        {},
        None,
    ),
    (
        "away starts next week: working today",
        [priya(away=Away(until=date(2026, 12, 18), starts_on=date(2026, 12, 7)))],
        at(TUESDAY, 10),
        None,
        {PRIYA: Because.SOCIAL_WORKER},
        {},
        None,
    ),
]


@pytest.mark.parametrize(
    ("workers", "now", "chosen", "told", "absent", "team"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_who_is_told(workers, now, chosen, told, absent, team):
    routing = route(workers, COVER, now, chosen=chosen)
    assert {t.user_id: t.because for t in routing.told} == told
    assert {a.worker.name: a.why for a in routing.absent} == absent
    assert (routing.team.kind if routing.team else None) is team
    assert routing.reaches_someone_now


def test_the_chosen_worker_is_named_first():
    routing = route([priya(), tom()], COVER, at(TUESDAY, 11), chosen=PA)
    assert [w.name for w in routing.working] == ["Tom Ellery", "Priya Natarajan"]
    assert routing.told[0] == Told(TOM, Because.PERSONAL_ADVISER)


def test_an_empty_duty_team_hands_over_to_out_of_hours_then_the_service_managers():
    empty_duty = Cover(
        duty=Team(10, "Duty team", TeamKind.DUTY, ()),
        out_of_hours=Team(11, "Out-of-hours team", TeamKind.OUT_OF_HOURS, (EZRA,)),
        service_managers=(KIM,),
    )
    assert {t.user_id for t in route([], empty_duty, at(TUESDAY, 10)).told} == {EZRA}
    nobody = Cover(service_managers=(KIM,))
    routing = route([priya()], nobody, at(TUESDAY, 22))
    assert {t.user_id: t.because for t in routing.told} == {
        PRIYA: Because.SOCIAL_WORKER,
        KIM: Because.SERVICE_MANAGER,
    }
    assert routing.team is None and not routing.reaches_someone_now


# Escalation -------------------------------------------------------------------------------------

RAISED = at(TUESDAY, 10)
AFTER = timedelta(minutes=15)


def climb(state=AlertState.OPEN, level=0, told=(PRIYA,), minutes=15, workers=None):
    rungs = ladder(workers if workers is not None else [priya()], COVER, RAISED + timedelta(minutes=minutes))
    return escalate(
        state=state,
        level=level,
        next_at=RAISED + AFTER * (level + 1),
        already_told=set(told),
        rungs=rungs,
        now=RAISED + timedelta(minutes=minutes),
        after=AFTER,
    )


def test_nothing_happens_before_15_minutes():
    assert climb(minutes=14) is None


def test_at_15_minutes_the_duty_team_is_told():
    step = climb(minutes=15)
    assert step.told == (Told(NIA, Because.DUTY),) and step.level == 1
    assert step.next_at == RAISED + timedelta(minutes=30)


def test_at_30_minutes_the_team_manager_then_at_45_the_service_manager():
    step = climb(level=1, told=(PRIYA, NIA), minutes=30)
    assert step.told == (Told(HANA, Because.TEAM_MANAGER),) and step.level == 2
    top = climb(level=2, told=(PRIYA, NIA, HANA), minutes=45)
    assert top.told == (Told(KIM, Because.SERVICE_MANAGER),) and top.next_at is None


def test_a_rung_that_tells_nobody_new_is_passed_over():
    # Duty was told at once (Priya away): at 15 minutes it goes straight to Hana.
    step = climb(told=(PRIYA, NIA), minutes=15)
    assert step.told == (Told(HANA, Because.TEAM_MANAGER),) and step.level == 2


def test_with_no_allocated_worker_the_duty_team_manager_is_the_team_manager():
    step = climb(level=1, told=(NIA,), minutes=30, workers=[])
    assert step.told == (Told(DUTY_MANAGER, Because.TEAM_MANAGER),)


def test_an_acknowledged_or_closed_alert_never_escalates():
    assert climb(state=AlertState.ACKNOWLEDGED, minutes=60) is None
    assert climb(state=AlertState.CLOSED, minutes=60) is None


# Checks ------------------------------------------------------------------------------------------


def test_an_alert_is_never_refused_for_its_words_and_never_silently_cut():
    assert alert_words("", None) == AlertWords("", None, 0)
    assert alert_words("  help  ", "  park ") == AlertWords("help", "park", 0)
    assert alert_words("x" * 20_000, None) == AlertWords("x" * 20_000, None, 0)
    too_long = alert_words("x" * 20_005, None)
    assert len(too_long.text) == 20_000 and too_long.cut == 5
    # A place too long for its box goes to the top of the words, whole.
    assert alert_words("help", "p" * 201) == AlertWords("p" * 201 + "\n\nhelp", None, 0)


def test_closing_needs_an_outcome_and_a_note():
    with pytest.raises(AlertProblem, match="no_outcome"):
        check_close(None, "Rang her", AlertState.OPEN)
    with pytest.raises(AlertProblem, match="no_outcome"):
        check_close("made-up", "Rang her", AlertState.OPEN)
    with pytest.raises(AlertProblem, match="no_note"):
        check_close("visited", "   ", AlertState.ACKNOWLEDGED)
    with pytest.raises(AlertProblem, match="closed_already"):
        check_close("visited", "Went round", AlertState.CLOSED)
    assert check_close("police_called", " 999 ", AlertState.OPEN) == (Outcome.POLICE_CALLED, "999")


@pytest.mark.parametrize(
    ("until", "starts", "cover", "reason"),
    [
        (date(2026, 11, 30), None, True, "until_past"),
        (date(2026, 12, 18), date(2026, 12, 20), True, "starts_after_until"),
        (date(2026, 12, 18), None, False, "no_cover"),
    ],
)
def test_an_away_period_needs_a_future_end_and_cover(until, starts, cover, reason):
    with pytest.raises(AwayProblem, match=reason):
        check_away(until, starts, cover, TUESDAY)


def test_a_good_away_period_and_no_away_period_pass():
    check_away(date(2026, 12, 18), TUESDAY, True, TUESDAY)
    check_away(TUESDAY, None, True, TUESDAY)  # away just today
    check_away(None, None, False, TUESDAY)


def test_who_may_see_an_alert():
    def sees(actor, manager=False):
        return may_see_alert(
            actor, is_service_manager=manager, told={NIA}, current_workers={PRIYA}, team_managers={HANA}
        )

    assert sees(NIA) and sees(PRIYA) and sees(HANA) and sees(KIM, manager=True)
    assert not sees(OMAR) and not sees(TOM)
