"""The fictional demo authority, Northshire County Council (DESIGN.md, "Demo accounts").

Ages are kept true on any day: dates of birth are worked out from today when the data is
first loaded. Loading again changes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from app import audit
from app.auth.passwords import hash_password
from app.domain import phones
from app.domain.ages import years_before
from app.domain.roles import KIND_FOR_ROLE, CareStatus, Role
from app.domain.safety import TeamKind
from app.extensions import db
from app.models import Allocation, LivingArrangement, User, YoungPersonProfile

DEMO_PASSWORD = "demo-pass-2026"


@dataclass(frozen=True)
class DemoYoungPerson:
    username: str
    full_name: str
    preferred_name: str
    age: int
    days_past_birthday: int
    status: CareStatus
    carer: str | None
    workers: tuple[str, ...]


STAFF = (
    ("alex", "Alex Marsh", Role.CARER),
    ("bea", "Bea Thornton", Role.CARER),
    ("priya", "Priya Natarajan", Role.SOCIAL_WORKER),
    ("omar", "Omar Haddad", Role.SOCIAL_WORKER),
    ("tom", "Tom Ellery", Role.PERSONAL_ADVISER),
    ("lee", "Lee Whitcombe", Role.COMPLAINTS_OFFICER),
    ("kim", "Kim Ashworth", Role.MANAGER),
    ("hana", "Hana Osei", Role.TEAM_MANAGER),
    ("nia", "Nia Brennan", Role.SOCIAL_WORKER),
    ("ezra", "Ezra Quinlan", Role.SOCIAL_WORKER),
)

# Teams: (name, kind, manager, members, phone). Hana manages Priya's and Omar's team; Nia
# is the duty social worker and Ezra the out-of-hours one (app.domain.safety).
TEAMS = (
    ("Children in care team", TeamKind.CASEWORK, "hana", ("priya", "omar", "hana"), None),
    ("Leaving care team", TeamKind.CASEWORK, None, ("tom",), None),
    ("Duty team", TeamKind.DUTY, "hana", ("nia",), "01632 960300"),
    ("Out-of-hours team", TeamKind.OUT_OF_HOURS, None, ("ezra",), "01632 960999"),
)

YOUNG_PEOPLE = (
    DemoYoungPerson("maya", "Maya Fenwick-Adeyemi", "Maya", 13, 120, CareStatus.IN_CARE, "alex", ("priya",)),
    DemoYoungPerson(
        "jordan", "Jordan Blackwood-Reyes", "Jordan", 17, 60, CareStatus.IN_CARE, "alex", ("priya", "tom")
    ),
    DemoYoungPerson("sam", "Sam Okafor-Lindqvist", "Sam", 19, 200, CareStatus.CARE_LEAVER, None, ("tom",)),
    DemoYoungPerson("riley", "Riley Castellano-Nairn", "Riley", 14, 90, CareStatus.IN_CARE, "bea", ("omar",)),
)


def load_demo_data(today: date) -> int:
    """Adds whatever part of the demo authority is missing; returns how many accounts it
    added."""
    with audit.invented_history():
        return _load_demo_data(today)


def _load_demo_data(today: date) -> int:
    existing = {u.username: u for u in db.session.scalars(select(User))}
    password_hash = None
    added = 0

    def account(username: str, full_name: str, role: Role) -> User:
        nonlocal password_hash, added
        if username in existing:
            return existing[username]
        password_hash = password_hash or hash_password(DEMO_PASSWORD)
        user = User(username=username, full_name=full_name, role=role, password_hash=password_hash)
        db.session.add(user)
        existing[username] = user
        added += 1
        return user

    for username, full_name, role in STAFF:
        account(username, full_name, role)
    since = today - timedelta(days=400)
    for person in YOUNG_PEOPLE:
        if person.username in existing:
            continue
        user = account(person.username, person.full_name, Role.YOUNG_PERSON)
        born = years_before(today, person.age) - timedelta(days=person.days_past_birthday)
        profile = YoungPersonProfile(
            user=user,
            preferred_name=person.preferred_name,
            date_of_birth=born,
            care_status=person.status,
        )
        db.session.add(profile)
        if person.carer:
            db.session.add(
                LivingArrangement(young_person=profile, carer=existing[person.carer], starts_on=since)
            )
        for worker_name in person.workers:
            worker = existing[worker_name]
            db.session.add(
                Allocation(
                    young_person=profile, worker=worker, kind=KIND_FOR_ROLE[worker.role], starts_on=since
                )
            )
    db.session.flush()
    _demo_teams(existing)
    _demo_plans_and_reviews(existing, today)
    _demo_passport_and_vote(existing, today)
    _demo_people_and_messages(existing, today)
    _demo_speak_up(existing, today)
    return added


def _demo_teams(accounts: dict[str, User]) -> None:
    from app.models import Team

    if db.session.scalar(select(Team.id).limit(1)) is not None:
        return
    for name, kind, manager, members, phone in TEAMS:
        team = Team(
            name=name,
            kind=kind,
            manager=accounts[manager] if manager else None,
            phone=phones.normalise(phone),
        )
        db.session.add(team)
        db.session.flush()
        for member in members:
            accounts[member].team_id = team.id


# Demo plans, in the words a worker would write for the young person.
CARE_PLAN = {
    "going_well": (
        "You have settled in well with Alex. You are going to school every day and "
        "you have joined the after-school art club.",
        [],
    ),
    "worried": (
        "We are a bit worried that you feel sad after seeing your mum. We want to "
        "make family time feel better for you.",
        [],
    ),
    "needs_to_happen": (
        "",
        [
            ("Set up family time at the family centre every two weeks", "Priya", 14),
            ("Book a dentist check-up", "Alex", 30),
        ],
    ),
    "my_people": (
        "Alex (your carer), Priya (your social worker), your mum, your nan, and "
        "your best friend from school.",
        [],
    ),
}
PATHWAY_PLAN = {
    "education_work": (
        "You want to go to college to study motor vehicle maintenance.",
        [("Apply to Northshire College", "You, with Tom's help", 45)],
    ),
    "money": (
        "You have a bank account. Next is learning to budget for a week.",
        [("Make a weekly budget together", "Tom", 21)],
    ),
    "home": ("You live with Alex for now and want to stay when you are 18 (Staying Put).", []),
    "health": ("You are well. You want to register with a GP near college.", []),
    "family_friends": ("You see your brother every Saturday.", []),
    "identity": (
        "You would like a passport and your birth certificate.",
        [("Apply for a passport", "Tom", 60)],
    ),
    "practical_skills": ("You can cook three meals. You want to learn to use the washing machine.", []),
}


def _demo_plans_and_reviews(accounts: dict[str, User], today: date) -> None:
    """A published plan, a review held and the next one booked, for each demo young person
    who has none yet, so the app shows real content on first run."""
    from app.domain.plans import PlanKind, plan_kind_for, sections_for
    from app.domain.promise import VersionState
    from app.models import PlanAction, PlanSection, PlanVersion, Review
    from app.timeutil import now_utc

    for person in YOUNG_PEOPLE:
        user = accounts[person.username]
        profile = db.session.get_one(YoungPersonProfile, user.id)
        if profile.came_into_care_on is None:
            profile.came_into_care_on = today - timedelta(days=400)
        if db.session.scalar(select(PlanVersion.id).where(PlanVersion.young_person_id == user.id).limit(1)):
            continue
        kind = plan_kind_for(profile.date_of_birth, profile.care_status, today)
        words = PATHWAY_PLAN if kind is PlanKind.PATHWAY_PLAN else CARE_PLAN
        worker = accounts[person.workers[-1]]
        plan = PlanVersion(
            young_person_id=user.id,
            kind=kind,
            state=VersionState.PUBLISHED,
            number=1,
            created_by_id=worker.id,
            published_by_id=worker.id,
            published_at=now_utc() - timedelta(days=60),
        )
        for position, key in enumerate(sections_for(kind), start=1):
            text, actions = words[key]
            plan.sections.append(
                PlanSection(
                    key=key,
                    position=position,
                    text=text,
                    actions=[
                        PlanAction(position=n, what=what, who=who, by_when=today + timedelta(days=days))
                        for n, (what, who, days) in enumerate(actions, start=1)
                    ],
                )
            )
        db.session.add(plan)
        db.session.add(
            Review(
                young_person_id=user.id,
                booked_for=today - timedelta(days=60),
                held_on=today - timedelta(days=60),
                created_by_id=worker.id,
            )
        )
        db.session.add(
            Review(
                young_person_id=user.id,
                booked_for=today + timedelta(days=person.age),
                created_by_id=worker.id,
            )
        )


# Where Maya, Jordan and Sam are with their first skills, and who took each step.
DEMO_PROGRESS = {
    "maya": [("maya", "learning"), ("alex", "practised")],
    "jordan": [("jordan", "learning"), ("alex", "practised"), ("jordan", "can_do")],
    "sam": [("sam", "learning"), ("sam", "can_do"), ("tom", "signed_off")],
}


def _demo_passport_and_vote(accounts: dict[str, User], today: date) -> None:
    """Some passport progress at different steps, and an open vote on the passport's new
    name with a few suggestions, unless the demo already has them."""
    from app.domain.passport import Step
    from app.models import Skill, SkillEvent, SkillProgress, Vote, VoteOption
    from app.timeutil import now_utc

    skills = db.session.scalars(
        select(Skill).where(Skill.starts_at_age <= 11).order_by(Skill.id).limit(3)
    ).all()
    for username, steps in DEMO_PROGRESS.items():
        young_person = accounts[username]
        if db.session.scalar(
            select(SkillProgress.id).where(SkillProgress.young_person_id == young_person.id)
        ):
            continue
        for depth, skill in enumerate(skills):
            current = Step.NOT_STARTED
            for who, step in steps[: len(steps) - depth]:
                actor = accounts[who]
                db.session.add(
                    SkillEvent(
                        young_person_id=young_person.id,
                        skill_id=skill.id,
                        from_step=current,
                        to_step=Step(step),
                        actor_id=actor.id,
                        actor_role=actor.role,
                    )
                )
                current = Step(step)
            if current is not Step.NOT_STARTED:
                db.session.add(
                    SkillProgress(young_person_id=young_person.id, skill_id=skill.id, step=current)
                )
    if db.session.scalar(select(Vote.id).where(Vote.about == "passport_name")) is None:
        vote = Vote(
            question="What should we call the Passport to Independence?",
            about="passport_name",
            voters=["young_people"],
            closes_at=now_utc() + timedelta(days=21),
            created_by_id=accounts["kim"].id,
        )
        vote.options = [
            VoteOption(label=label, suggested_by_id=accounts[who].id)
            for label, who in (
                ("My Life Skills", "maya"),
                ("Ready for Life", "jordan"),
                ("Skills Passport", "sam"),
            )
        ]
        db.session.add(vote)


# Numbers in Ofcom's range for drama, so no real phone rings.
STAFF_CARDS: dict[str, dict[str, Any]] = {
    "priya": dict(
        about_me="I have been a social worker for 8 years. I love board games and my dog, Biscuit.",
        working_hours="Monday to Thursday, 9am to 5pm",
        work_days="0123",
        phone="07700 900101",
        allow_call=True,
        allow_text=True,
    ),
    "omar": dict(
        about_me="I support Northshire Rovers and I make a very good curry.",
        working_hours="Monday to Friday, 8:30am to 4:30pm",
        work_starts=time(8, 30),
        work_ends=time(16, 30),
        phone="01632 960102",
        allow_call=True,
    ),
    "tom": dict(
        about_me="I help young people get ready for college, work and their own home. Ask me anything.",
        working_hours="Tuesday to Saturday, 10am to 6pm",
        work_days="12345",
        work_starts=time(10, 0),
        work_ends=time(18, 0),
        phone="01632 960103",
        email="tom.ellery@northshire.example",
        allow_call=True,
        allow_text=True,
        allow_email=True,
    ),
    "hana": dict(
        about_me="I manage the children in care team and the duty team.",
        working_hours="Monday to Friday, 9am to 5pm",
        phone="07700 900110",
        email="hana.osei@northshire.example",
    ),
    "nia": dict(
        about_me="I am the duty social worker: I pick up urgent things when your own worker is not in.",
        working_hours="Monday to Friday, 9am to 5pm",
        phone="07700 900301",
        email="nia.brennan@northshire.example",
    ),
    "ezra": dict(
        about_me="I work evenings, nights, weekends and bank holidays, for when the office is closed.",
        working_hours="Evenings, nights, weekends and bank holidays",
        work_days="0123456",
        work_starts=time(0, 0),
        work_ends=time(23, 59),
        phone="07700 900999",
        email="ezra.quinlan@northshire.example",
    ),
    # Carers' numbers are for staff (the duty worker ringing about an urgent alert).
    "alex": dict(
        about_me="I have been a foster carer for 12 years. Sunday is pancake day in our house.",
        phone="07700 900201",
    ),
    "bea": dict(about_me="I love gardening and long walks with my two dogs.", phone="07700 900202"),
}


def _demo_people_and_messages(accounts: dict[str, User], today: date) -> None:
    """Cards for the adults, contacts the council arranged, a worker who used to help Sam,
    and a few conversations (one unread, one call-back request), unless already there."""
    from app.contact import service as contact
    from app.domain.messages import CallWay, MessageKind
    from app.domain.roles import AllocationKind, ContactKind
    from app.models import MessageThread, StaffCard, YoungPersonContact
    from app.timeutil import now_utc

    if db.session.scalar(select(StaffCard.user_id).limit(1)) is not None:
        return
    for username, card in STAFF_CARDS.items():
        db.session.add(
            StaffCard(user_id=accounts[username].id, **{**card, "phone": phones.normalise(card.get("phone"))})
        )
    kim = accounts["kim"]
    for username, kind, name, phone in (
        ("maya", ContactKind.INDEPENDENT_REVIEWING_OFFICER, "Grace Oduya", "01632 960201"),
        ("maya", ContactKind.INDEPENDENT_VISITOR, "Dan Whitfield", None),
        ("riley", ContactKind.INDEPENDENT_REVIEWING_OFFICER, "Grace Oduya", "01632 960201"),
        ("jordan", ContactKind.INDEPENDENT_REVIEWING_OFFICER, "Martin Keane", "01632 960202"),
    ):
        db.session.add(
            YoungPersonContact(
                young_person_id=accounts[username].id,
                kind=kind,
                name=name,
                phone=phones.normalise(phone),
                starts_on=today - timedelta(days=300),
                recorded_by_id=kim.id,
            )
        )
    # Sam's social worker until he turned 18: "people who used to help me".
    db.session.add(
        Allocation(
            young_person_id=accounts["sam"].id,
            worker_id=accounts["omar"].id,
            kind=AllocationKind.SOCIAL_WORKER,
            starts_on=today - timedelta(days=1200),
            ends_on=today - timedelta(days=565),
        )
    )

    now = now_utc()

    def thread(young_person: str, participant: str, kind: AllocationKind) -> MessageThread:
        return contact.open_thread(
            accounts[young_person].id, accounts[participant], kind, now - timedelta(days=6)
        )

    def say(row: MessageThread, sender: str, body: str, hours_ago: float, *, read: bool, **extra):
        # Sent through the same rule as in the app, as if at that time.
        at = now - timedelta(hours=hours_ago)
        message = contact.send(row, accounts[sender], body, at, **extra)
        db.session.flush()
        if read:
            message.read_at = at + timedelta(minutes=30)

    maya = thread("maya", "maya", AllocationKind.SOCIAL_WORKER)
    say(maya, "maya", "Can I see my nan at Christmas?", 50, read=True)
    say(
        maya, "priya", "Yes! I am sorting it out with your nan. I will tell you the day soon.", 26, read=False
    )

    jordan = thread("jordan", "jordan", AllocationKind.PERSONAL_ADVISER)
    say(jordan, "jordan", "Can you help me fill in the college form?", 75, read=True)
    say(jordan, "tom", "Of course. Bring it on Thursday and we will do it together.", 70, read=True)
    say(jordan, "jordan", "Thanks. Can we do it after 4? I have football.", 20, read=False)

    sam = thread("sam", "sam", AllocationKind.PERSONAL_ADVISER)
    call_at = (now + timedelta(days=1)).replace(hour=16, minute=0, second=0, microsecond=0)
    say(
        sam,
        "sam",
        "It's about my flat.",
        3,
        read=False,
        kind=MessageKind.CALL_BACK,
        call_way=CallWay.PHONE,
        call_at=call_at,
    )

    alex = thread("maya", "alex", AllocationKind.SOCIAL_WORKER)
    say(
        alex,
        "alex",
        "Maya has a dentist check-up on Friday at 10, so she will miss the start of school.",
        30,
        read=True,
    )
    say(alex, "priya", "Thanks Alex, noted.", 28, read=True)


# Demo complaints, one at each stage (Jordan's Stage 2 is late), and Sam's closed one: each
# step is (days ago, step, who, note, extra working days or stage).
# (what happened, put right, about whom, wants an advocate, steps); a step is
# (days ago, event kind, by whom, note, extra days)
DEMO_COMPLAINTS: dict[str, tuple[str, str, str, bool, list[tuple[int, str, str, str, int | None]]]] = {
    "maya": (
        "Nobody told me my family time was cancelled. I waited at the centre for an hour.",
        "Tell me straight away when family time changes.",
        "",
        True,
        [(3, "received", "maya", "", None), (2, "acknowledged", "lee", "", None)],
    ),
    "jordan": (
        "My pocket money was late three weeks in a row.",
        "Pay it on the same day every week, and pay what I missed.",
        "",
        True,
        [
            (90, "received", "jordan", "", None),
            (89, "acknowledged", "lee", "", None),
            (
                80,
                "response_sent",
                "lee",
                "We are sorry. The missed money is paid and the payment day is fixed.",
                None,
            ),
            (78, "escalation_requested", "jordan", "It was late again this week.", None),
            (76, "escalated", "lee", "Investigation started.", 2),
            (75, "acknowledged", "lee", "", None),
        ],
    ),
    "riley": (
        "I had to move school without anyone asking me.",
        "Ask me before big changes, and help me keep my friends.",
        "",
        False,
        [
            (200, "received", "riley", "", None),
            (190, "response_sent", "lee", "We explained why the move happened.", None),
            (185, "escalation_requested", "riley", "Nobody said sorry.", None),
            (184, "escalated", "lee", "", 2),
            (170, "extended", "lee", "The investigator is waiting to speak to the school.", 10),
            (140, "response_sent", "lee", "The investigation found you should have been asked first.", None),
            (12, "escalation_requested", "riley", "I want a panel to look at it.", None),
            (10, "escalated", "lee", "Review panel booked.", 3),
        ],
    ),
    "sam": (
        "My bus pass for college did not come.",
        "Send the bus pass.",
        "",
        False,
        [
            (40, "received", "sam", "", None),
            (39, "acknowledged", "lee", "", None),
            (33, "response_sent", "lee", "Your bus pass is on its way and the college has a copy.", None),
            (5, "closed", "lee", "Sam said the bus pass came.", None),
        ],
    ),
}
DEMO_THANKS = (
    ("maya", "alex", "", "Thank you for the birthday cake. It was the best one ever."),
    ("sam", "tom", "", "Thanks for helping me with the college forms."),
    ("riley", None, "Northshire Children in Care Council", "Thank you for the fun day out."),
)


def _demo_speak_up(accounts: dict[str, User], today: date) -> None:
    """Complaints at each stage, an advocate referred and allocated for Jordan, and a few
    thank yous, unless the demo already has complaints (or thanks)."""
    from datetime import UTC, datetime, time

    from app.domain.complaints import ComplaintProblem, EventKind
    from app.models import Complaint, Compliment
    from app.timeutil import now_utc
    from app.voice import advocacy, complaints, thanks

    def at(day: date) -> datetime:
        return datetime.combine(day, time(10, 0), tzinfo=UTC)

    if db.session.scalar(select(Complaint.id).limit(1)) is None:
        for username, (happened, put_right, about, advocate, steps) in DEMO_COMPLAINTS.items():
            profile = db.session.get_one(YoungPersonProfile, accounts[username].id)
            complaint: Complaint | None = None
            for days_ago, kind, who, note, extra in steps:
                day = today - timedelta(days=days_ago)
                if kind == "received":
                    complaint = complaints.send(
                        profile,
                        accounts[who],
                        what_happened=happened,
                        put_right=put_right,
                        about_who=about,
                        wants_advocate=advocate,
                        today=day,
                    )
                    complaint.created_at = complaint.events[0].created_at = at(day)
                    continue
                if complaint is None:  # pragma: no cover - the demo is fixed
                    raise RuntimeError(f"demo complaint for {username} does not start with 'received'")
                try:
                    event = complaints.step(
                        complaint,
                        EventKind(kind),
                        accounts[who],
                        day,
                        now_utc(),
                        lock_version=complaint.lock_version,
                        note=note,
                        extra_days=extra or 0,
                        to_stage=extra if kind == "escalated" else None,
                    )
                except ComplaintProblem as problem:  # pragma: no cover - the demo is fixed
                    raise RuntimeError(f"demo complaint for {username}: {problem.reason}") from None
                event.created_at = at(day)
        jordan = advocacy.open_request(accounts["jordan"].id)
        if jordan is not None:
            lee = accounts["lee"].id
            advocacy.refer(
                jordan, lee, jordan.lock_version, advocacy.ADVOCACY_SERVICE, today - timedelta(days=88)
            )
            db.session.flush()
            advocacy.allocate(
                jordan,
                lee,
                jordan.lock_version,
                name="Dana Whitfield",
                phone="01632 960123",
                email="dana.whitfield@example.org",
                today=today - timedelta(days=85),
            )
    if db.session.scalar(select(Compliment.id).limit(1)) is None:
        for sender, to, team, message in DEMO_THANKS:
            thanks.thank(
                accounts[sender].id, to_user_id=accounts[to].id if to else None, to_team=team, message=message
            )
    db.session.flush()


@click.command("demo-data")
@with_appcontext
def demo_data_command() -> None:
    """Load the demo authority and its accounts (refused in production)."""
    if not current_app.config["DEMO_DATA_ALLOWED"]:
        raise click.ClickException("Demo data is not allowed with the production configuration.")
    from app.timeutil import london_today

    added = load_demo_data(london_today())
    db.session.commit()
    click.echo(f"Demo data: {added} accounts added (password for each: {DEMO_PASSWORD}).")
