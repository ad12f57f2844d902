"""Which reminders are due, for whom, and when they may reach the phone (issue 7).

Why each reminder exists:

- Young people miss reviews (Care Planning, Placement and Case Review (England) Regulations
  2010, reg. 33: a review is their meeting, and they should be ready for it): a reminder a
  week before and the day before. They hear when a skill is signed off or sent back, when
  a new version of their plan is published, when their worker writes, and when their
  complaint moves on.
- Carers: the skills to practise with each young person living with them, at most once a
  week, so the reminder helps rather than nags.
- Social workers and personal advisers: passport progress waiting for sign-off for more
  than 3 days, a message unanswered for 2 working days, and reviews that are due soon or
  late.
- The complaints and advocacy officer: complaints due within 2 working days, or late
  (Children Act 1989 representations procedure deadlines are in working days).

Discreet and kind (DESIGN.md, "Safe on a shared phone"): no reminder reaches the phone of
someone under 18 between 21:00 and 08:00 in England (it is held until 08:00), and anyone
can mute a kind of reminder. Each reminder has a dedupe key (person, reason, subject), so
it is recorded and sent exactly once however often, and on however many hosts, the rule
runs.

Everything here is plain Python: the facts and "now" come in as arguments.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from app.domain.ages import age_on
from app.domain.policy import Action
from app.domain.roles import Role
from app.domain.working_days import ENGLAND, add_working_days
from app.timeutil import LONDON, london_date

QUIET_FROM = time(21, 0)
QUIET_UNTIL = time(8, 0)
ADULT_AGE = 18
REVIEW_NOTICE_DAYS = 7
SIGN_OFF_WAITING = timedelta(days=3)
MESSAGE_UNANSWERED_WORKING_DAYS = 2
COMPLAINT_DUE_WORKING_DAYS = 2


class Reason(StrEnum):
    REVIEW_IN_7_DAYS = "review_in_7_days"
    REVIEW_TOMORROW = "review_tomorrow"
    NEW_MESSAGE = "new_message"
    SKILL_SIGNED_OFF = "skill_signed_off"
    SKILL_SENT_BACK = "skill_sent_back"
    NEW_PLAN_VERSION = "new_plan_version"
    COMPLAINT_UPDATE = "complaint_update"
    PRACTISE_SKILLS = "practise_skills"
    SIGN_OFF_WAITING = "sign_off_waiting"
    MESSAGE_UNANSWERED = "message_unanswered"
    REVIEWS_DUE = "reviews_due"
    COMPLAINT_DUE = "complaint_due"
    URGENT_ALERT = "urgent_alert"  # "I don't feel safe" (app.domain.safety)
    ALERT_TAKEN_ON = "alert_taken_on"  # for the young person: someone is on it
    # For the officer: a new sign-in code was made for a young person with a complaint open
    # (app.auth.resets), so the complaint may be read by whoever made it.
    ACCOUNT_RESET = "account_reset"
    TEST = "test"


class Kind(StrEnum):
    """What a person can mute: a kind groups the reasons that are about the same thing."""

    REVIEWS = "reviews"
    MESSAGES = "messages"
    PASSPORT = "passport"
    PLANS = "plans"
    COMPLAINTS = "complaints"


KIND_OF: dict[Reason, Kind | None] = {
    Reason.REVIEW_IN_7_DAYS: Kind.REVIEWS,
    Reason.REVIEW_TOMORROW: Kind.REVIEWS,
    Reason.REVIEWS_DUE: Kind.REVIEWS,
    Reason.NEW_MESSAGE: Kind.MESSAGES,
    Reason.MESSAGE_UNANSWERED: Kind.MESSAGES,
    Reason.SKILL_SIGNED_OFF: Kind.PASSPORT,
    Reason.SKILL_SENT_BACK: Kind.PASSPORT,
    Reason.PRACTISE_SKILLS: Kind.PASSPORT,
    Reason.SIGN_OFF_WAITING: Kind.PASSPORT,
    Reason.NEW_PLAN_VERSION: Kind.PLANS,
    Reason.COMPLAINT_UPDATE: Kind.COMPLAINTS,
    Reason.COMPLAINT_DUE: Kind.COMPLAINTS,
    Reason.TEST: None,  # asked for by the person: never muted, never held
    Reason.URGENT_ALERT: None,  # a young person does not feel safe: never muted, never held
    Reason.ALERT_TAKEN_ON: None,  # they asked for help minutes ago: they hear at once
    Reason.ACCOUNT_RESET: None,  # a possible take-over: the officer cannot mute it
}

# Sent at once, whatever the person's mutes and quiet hours.
NEVER_HELD = frozenset({Reason.TEST, Reason.URGENT_ALERT, Reason.ALERT_TAKEN_ON})

# The action that guards the page each reminder links to: a reminder about a young person
# is shown, and sent, only while `policy.may` still answers yes to it (DESIGN.md, "Need to
# know": lists and notifications obey the same rule as the pages they link to). An urgent
# alert is guarded by its own rule (app.safety.service.may_see); TEST is about nobody.
PAGE_ACTION: dict[Reason, Action] = {
    Reason.REVIEW_IN_7_DAYS: Action.VIEW_RECORD,  # /review
    Reason.REVIEW_TOMORROW: Action.VIEW_RECORD,
    Reason.NEW_MESSAGE: Action.READ_MESSAGES,  # /messages/<part>
    Reason.SKILL_SIGNED_OFF: Action.PRACTISE_SKILLS,  # /passport/skills/<id>
    Reason.SKILL_SENT_BACK: Action.PRACTISE_SKILLS,
    Reason.NEW_PLAN_VERSION: Action.VIEW_RECORD,  # /plan
    Reason.COMPLAINT_UPDATE: Action.VIEW_COMPLAINTS,  # /complaints/<id>
    Reason.PRACTISE_SKILLS: Action.PRACTISE_SKILLS,  # a carer's /care/young-people/<id>/passport
    Reason.SIGN_OFF_WAITING: Action.APPROVE_SKILLS,  # /care/passport-queue
    Reason.MESSAGE_UNANSWERED: Action.READ_MESSAGES,  # /inbox/<thread>
    Reason.REVIEWS_DUE: Action.VIEW_PROFILE,  # /care/young-people/<id>
    Reason.COMPLAINT_DUE: Action.WORK_COMPLAINTS,  # /officer/complaints/<id>
    Reason.ALERT_TAKEN_ON: Action.VIEW_PROFILE,  # the young person's own /not-safe
    Reason.ACCOUNT_RESET: Action.WORK_COMPLAINTS,  # /officer/complaints/<id>
}
# Guarded by a rule of their own (an alert's recipients), or about no young person.
OTHER_GUARD = frozenset({Reason.URGENT_ALERT, Reason.TEST})


def page_action(reason: Reason, role: Role) -> Action | None:
    """The action `policy.may` is asked before a reminder with `reason` is shown or sent to
    someone in `role`. None for the reasons guarded by another rule (or by none)."""
    if reason is Reason.NEW_MESSAGE and role is Role.CARER:
        # A carer's conversation is about the young person, not the young person's own.
        return Action.MESSAGE_WORKER_ABOUT
    return PAGE_ACTION.get(reason)


# The kinds each role can get, for the settings page.
KINDS_FOR_ROLE: dict[Role, tuple[Kind, ...]] = {
    Role.YOUNG_PERSON: (Kind.REVIEWS, Kind.MESSAGES, Kind.PASSPORT, Kind.PLANS, Kind.COMPLAINTS),
    Role.CARER: (Kind.PASSPORT,),
    Role.SOCIAL_WORKER: (Kind.PASSPORT, Kind.MESSAGES, Kind.REVIEWS),
    Role.PERSONAL_ADVISER: (Kind.PASSPORT, Kind.MESSAGES, Kind.REVIEWS),
    Role.COMPLAINTS_OFFICER: (Kind.COMPLAINTS,),
    Role.TEAM_MANAGER: (),
    Role.MANAGER: (),
}


@dataclass(frozen=True)
class Candidate:
    """Something a person may need reminding of. `subject` names the thing (a review on a
    date, a skill event, a plan version, a week's practice) so the same thing is never sent
    twice for the same reason."""

    person_id: int
    reason: Reason
    subject: str
    young_person_id: int | None = None
    url: str = "/notifications"

    @property
    def dedupe_key(self) -> str:
        return dedupe_key(self.person_id, self.reason, self.subject)


def dedupe_key(person_id: int, reason: Reason, subject: str) -> str:
    return f"{person_id}:{Reason(reason).value}:{subject}"[:255]


@dataclass(frozen=True)
class Recipient:
    """What the rule needs to know about the person a reminder is for."""

    id: int
    role: Role
    date_of_birth: date | None = None
    muted: frozenset[Kind] = field(default_factory=frozenset)
    active: bool = True


@dataclass(frozen=True)
class Reminder:
    """A reminder to record now; its push may not reach the phone before `send_after`."""

    candidate: Candidate
    send_after: datetime

    @property
    def dedupe_key(self) -> str:
        return self.candidate.dedupe_key


# Facts the sources hand in --------------------------------------------------------------


@dataclass(frozen=True)
class ReviewFact:
    """A review booked for a young person."""

    young_person_id: int
    on: date


@dataclass(frozen=True)
class SkillOutcomeFact:
    """A worker signed off a skill, or sent it back."""

    event_id: int
    young_person_id: int
    skill_id: int
    signed_off: bool


@dataclass(frozen=True)
class PlanPublishedFact:
    plan_id: int
    young_person_id: int
    number: int


@dataclass(frozen=True)
class PractiseFact:
    """A carer and a young person living with them who has skills to practise."""

    carer_id: int
    young_person_id: int
    skills_to_practise: int


@dataclass(frozen=True)
class SignOffWaitingFact:
    """Passport progress waiting for a worker since `waiting_since`."""

    worker_id: int
    young_person_id: int
    progress_id: int
    version: int
    waiting_since: datetime


@dataclass(frozen=True)
class ReviewDueFact:
    """A young person's statutory review date, for their worker."""

    worker_id: int
    young_person_id: int
    due_on: date
    overdue: bool


@dataclass(frozen=True)
class MessageFact:
    """A message written to `recipient_id` (for NEW_MESSAGE), or one a worker has not
    answered yet (for MESSAGE_UNANSWERED)."""

    message_id: int
    recipient_id: int
    sent_at: datetime
    young_person_id: int | None = None
    url: str = "/notifications"


@dataclass(frozen=True)
class ComplaintUpdateFact:
    """Something new happened on a complaint: the young person who made it hears."""

    complaint_id: int
    update_id: int
    young_person_id: int
    url: str = "/notifications"


@dataclass(frozen=True)
class ComplaintDueFact:
    """An open complaint stage and the date it is due by, for the officer."""

    complaint_id: int
    stage: str
    officer_id: int
    due_on: date
    url: str = "/notifications"


# One rule per reason ----------------------------------------------------------------------


def review_reminders(reviews: Iterable[ReviewFact], now: datetime) -> list[Candidate]:
    """A week before a booked review (or as soon as it is booked, if that is later) and the
    day before."""
    today = london_date(now)
    result = []
    for review in reviews:
        days = (review.on - today).days
        if days == 1:
            reason = Reason.REVIEW_TOMORROW
        elif 1 < days <= REVIEW_NOTICE_DAYS:
            reason = Reason.REVIEW_IN_7_DAYS
        else:
            continue
        result.append(
            Candidate(
                review.young_person_id,
                reason,
                f"review:{review.on.isoformat()}",
                review.young_person_id,
                "/review",
            )
        )
    return result


def skill_outcome_reminders(events: Iterable[SkillOutcomeFact]) -> list[Candidate]:
    return [
        Candidate(
            e.young_person_id,
            Reason.SKILL_SIGNED_OFF if e.signed_off else Reason.SKILL_SENT_BACK,
            f"skill_event:{e.event_id}",
            e.young_person_id,
            f"/passport/skills/{e.skill_id}",
        )
        for e in events
    ]


def plan_reminders(plans: Iterable[PlanPublishedFact]) -> list[Candidate]:
    return [
        Candidate(p.young_person_id, Reason.NEW_PLAN_VERSION, f"plan:{p.plan_id}", p.young_person_id, "/plan")
        for p in plans
    ]


def practise_reminders(facts: Iterable[PractiseFact], now: datetime) -> list[Candidate]:
    """At most once a week for each young person: the subject is the ISO week."""
    year, week, _ = london_date(now).isocalendar()
    return [
        Candidate(
            f.carer_id,
            Reason.PRACTISE_SKILLS,
            f"practise:{f.young_person_id}:{year}-W{week:02d}",
            f.young_person_id,
            f"/care/young-people/{f.young_person_id}/passport",
        )
        for f in facts
        if f.skills_to_practise > 0
    ]


def sign_off_reminders(facts: Iterable[SignOffWaitingFact], now: datetime) -> list[Candidate]:
    """Progress waiting more than 3 days; once for each time it comes to wait."""
    return [
        Candidate(
            f.worker_id,
            Reason.SIGN_OFF_WAITING,
            f"progress:{f.progress_id}:{f.version}",
            f.young_person_id,
            "/care/passport-queue",
        )
        for f in facts
        if now - f.waiting_since > SIGN_OFF_WAITING
    ]


def reviews_due_reminders(facts: Iterable[ReviewDueFact]) -> list[Candidate]:
    """Due soon and late are different reminders: a review that becomes late is told again."""
    return [
        Candidate(
            f.worker_id,
            Reason.REVIEWS_DUE,
            f"review_due:{f.young_person_id}:{f.due_on.isoformat()}:{'late' if f.overdue else 'soon'}",
            f.young_person_id,
            f"/care/young-people/{f.young_person_id}",
        )
        for f in facts
    ]


def new_message_reminders(messages: Iterable[MessageFact]) -> list[Candidate]:
    return [
        Candidate(m.recipient_id, Reason.NEW_MESSAGE, f"message:{m.message_id}", m.young_person_id, m.url)
        for m in messages
    ]


def message_unanswered_reminders(
    messages: Iterable[MessageFact], now: datetime, bank_holidays=ENGLAND
) -> list[Candidate]:
    """A message to a worker still unanswered 2 working days after it came."""
    today = london_date(now)
    return [
        Candidate(
            m.recipient_id, Reason.MESSAGE_UNANSWERED, f"unanswered:{m.message_id}", m.young_person_id, m.url
        )
        for m in messages
        if add_working_days(london_date(m.sent_at), MESSAGE_UNANSWERED_WORKING_DAYS, bank_holidays) <= today
    ]


def complaint_update_reminders(updates: Iterable[ComplaintUpdateFact]) -> list[Candidate]:
    return [
        Candidate(
            u.young_person_id,
            Reason.COMPLAINT_UPDATE,
            f"complaint:{u.complaint_id}:{u.update_id}",
            u.young_person_id,
            u.url,
        )
        for u in updates
    ]


def complaint_due_reminders(
    complaints: Iterable[ComplaintDueFact], now: datetime, bank_holidays=ENGLAND
) -> list[Candidate]:
    """Due within 2 working days, and again once it is late."""
    today = london_date(now)
    soon_limit = add_working_days(today, COMPLAINT_DUE_WORKING_DAYS, bank_holidays)
    result = []
    for c in complaints:
        if c.due_on < today:
            state = "late"
        elif c.due_on <= soon_limit:
            state = "soon"
        else:
            continue
        result.append(
            Candidate(
                c.officer_id,
                Reason.COMPLAINT_DUE,
                f"complaint_due:{c.complaint_id}:{c.stage}:{state}",
                None,
                c.url,
            )
        )
    return result


# Deciding -------------------------------------------------------------------------------


def is_quiet_for(person: Recipient, now: datetime) -> bool:
    """Under-18s get nothing on their phone between 21:00 and 08:00 in England."""
    if person.role is not Role.YOUNG_PERSON or person.date_of_birth is None:
        return False
    local = now.astimezone(LONDON)
    if age_on(person.date_of_birth, local.date()) >= ADULT_AGE:
        return False
    return local.time() >= QUIET_FROM or local.time() < QUIET_UNTIL


def end_of_quiet(now: datetime) -> datetime:
    """08:00 in England after `now` (the same morning, or the next)."""
    local = now.astimezone(LONDON)
    day = local.date() if local.time() < QUIET_UNTIL else local.date() + timedelta(days=1)
    return datetime.combine(day, QUIET_UNTIL, tzinfo=LONDON).astimezone(now.tzinfo)


def decide(
    candidates: Iterable[Candidate],
    people: Mapping[int, Recipient],
    now: datetime,
    already_sent: Callable[[str], bool] = lambda key: False,
) -> list[Reminder]:
    """The reminders to record now, each once, with when its push may be sent.

    Dropped: reminders for people we do not know or whose account is closed, kinds the
    person muted, and anything already sent (by dedupe key). Held: for under-18s in quiet
    hours, the push waits until 08:00 (the notification centre shows it at once, because
    nothing buzzes there).
    """
    seen: set[str] = set()
    result = []
    for candidate in candidates:
        person = people.get(candidate.person_id)
        if person is None or not person.active:
            continue
        kind = KIND_OF.get(candidate.reason)
        if kind is not None and kind in person.muted:
            continue
        key = candidate.dedupe_key
        if key in seen or already_sent(key):
            continue
        seen.add(key)
        held = candidate.reason not in NEVER_HELD and is_quiet_for(person, now)
        result.append(Reminder(candidate, end_of_quiet(now) if held else now))
    return result
