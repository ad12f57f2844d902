"""Records for tests, made through the app's own services so they never disagree with it.

Each factory makes only what it is asked for and returns the model. Call them inside an
app context; `records(app)` is one that commits at the end:

    with records(app):
        alex, priya = create_carer("alex"), create_worker("priya")
        maya = create_young_person("maya", age=13, carer=alex, worker=priya)
        ids = {"maya": maya.user_id, "priya": priya.id}
    client_for("maya")  # every person made here has the demo password

Take the ids you need inside the block: after the commit the models belong to no session.
The whole demo council (the `demo` fixture) is for journeys and the access matrix."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta

from app import audit
from app.auth.passwords import hash_password
from app.demo import DEMO_PASSWORD
from app.domain.ages import years_before
from app.domain.complaints import EventKind
from app.domain.roles import AllocationKind, CareStatus, Role
from app.extensions import db
from app.models import (
    Allocation,
    Complaint,
    Message,
    MessageThread,
    PlanVersion,
    Skill,
    User,
    YoungPersonProfile,
)
from app.people import relationships
from app.people import service as people
from app.timeutil import london_today, now_utc

# How long the people made here have lived with their carer and known their workers, as in
# the demo council: long enough that nobody is "new".
SINCE_DAYS = 400
_numbers = itertools.count(1)
_password_hashes: dict[tuple, str] = {}


@contextmanager
def records(app) -> Iterator[None]:
    """An app context that commits what was made in it. What a test sets up was not done
    by anyone, so it is not in the audit log (as for the demo council)."""
    with app.app_context(), audit.invented_history():
        yield
        db.session.commit()
        db.session.remove()


def _password_hash() -> str:
    # One hash per Argon2 cost (the testing config's is cheap, but not free).
    from flask import current_app

    config = current_app.config
    cost = (config["ARGON2_TIME_COST"], config["ARGON2_MEMORY_COST"], config["ARGON2_PARALLELISM"])
    if cost not in _password_hashes:
        _password_hashes[cost] = hash_password(DEMO_PASSWORD)
    return _password_hashes[cost]


def _username(prefix: str) -> str:
    return f"{prefix}{next(_numbers)}"


def create_person(username: str | None, role: Role, full_name: str | None = None) -> User:
    """An active account of that role, with the demo password."""
    username = username or _username(role.value.split("_")[0])
    user = people.create_user(username, full_name or username.title(), role)
    user.password_hash = _password_hash()
    db.session.flush()
    return user


def create_carer(username: str | None = None, full_name: str | None = None) -> User:
    return create_person(username, Role.CARER, full_name)


def create_worker(
    username: str | None = None, full_name: str | None = None, role: Role = Role.SOCIAL_WORKER
) -> User:
    """A social worker (or, with `role`, a personal adviser)."""
    return create_person(username, role, full_name)


def create_personal_adviser(username: str | None = None, full_name: str | None = None) -> User:
    return create_person(username, Role.PERSONAL_ADVISER, full_name)


def create_manager(username: str | None = None, full_name: str | None = None) -> User:
    return create_person(username, Role.MANAGER, full_name)


def create_team_manager(username: str | None = None, full_name: str | None = None) -> User:
    return create_person(username, Role.TEAM_MANAGER, full_name)


def create_officer(username: str | None = None, full_name: str | None = None) -> User:
    """The complaints and advocacy officer."""
    return create_person(username, Role.COMPLAINTS_OFFICER, full_name)


def create_young_person(
    username: str | None = None,
    *,
    age: int = 13,
    days_past_birthday: int = 30,
    care_status: CareStatus | None = None,
    carer: User | None = None,
    worker: User | None = None,
    pa: User | None = None,
    full_name: str | None = None,
    preferred_name: str | None = None,
    since: date | None = None,
) -> YoungPersonProfile:
    """A young person of `age` (in care under 18, a care leaver from 18 unless told),
    living with `carer` and allocated `worker` (social worker) and `pa` since `since`
    (400 days ago unless told; a personal adviser from their 16th birthday if that is later).
    Returns the profile: its `user_id` is the account's id."""
    today = london_today()
    username = username or _username("yp")
    preferred_name = preferred_name or username.title()
    if care_status is None:
        care_status = CareStatus.IN_CARE if age < 18 else CareStatus.CARE_LEAVER
    born = years_before(today, age) - timedelta(days=days_past_birthday)
    profile = people.create_young_person(
        username, full_name or f"{preferred_name} Testperson", preferred_name, born, care_status
    )
    profile.user.password_hash = _password_hash()
    since = since or today - timedelta(days=SINCE_DAYS)
    if carer is not None:
        relationships.move_in(profile, carer, since, today, by_id=carer.id)
    if worker is not None:
        relationships.allocate(profile, worker, since, today, by_id=worker.id)
    if pa is not None:  # a personal adviser from 16 at the earliest
        relationships.allocate(profile, pa, max(since, _sixteenth_birthday(born)), today, by_id=pa.id)
    db.session.flush()
    return profile


def _sixteenth_birthday(born: date) -> date:
    try:
        return born.replace(year=born.year + 16)
    except ValueError:  # born on 29 February
        return date(born.year + 16, 3, 1)


def add_young_people(worker_id: int, how_many: int, start: int = 0, prefix: str = "yp") -> list[User]:
    """Many young people allocated to the worker (as social worker) since ten days ago,
    named "Person 000" onwards: for tests of how a page's cost grows. Written straight
    to the tables (no password, no services), as a council's import would be."""
    users = []
    for n in range(start, start + how_many):
        user = User(
            username=f"{prefix}{worker_id}-{n}", full_name=f"Young Person {n}", role=Role.YOUNG_PERSON
        )
        profile = YoungPersonProfile(
            user=user,
            preferred_name=f"Person {n:03d}",
            date_of_birth=date(2012, 1, 1) + timedelta(days=n),
            care_status=CareStatus.IN_CARE,
        )
        allocation = Allocation(
            young_person=profile,
            worker_id=worker_id,
            kind=AllocationKind.SOCIAL_WORKER,
            starts_on=london_today() - timedelta(days=10),
        )
        db.session.add_all([user, profile, allocation])
        users.append(user)
    db.session.flush()
    return users


# The passport ------------------------------------------------------------------------------


def create_skill(
    title: str = "Make a cup of tea",
    *,
    area: str = "food_cooking",
    starts_at_age: int = 10,
    description: str = "Boil the kettle, and pour with care.",
    tip: str = "Ask someone to watch the first time.",
    by: User | None = None,
) -> Skill:
    """A skill at the end of its area, as a manager adds one."""
    from app.passport.service import save_skill

    skill = save_skill(
        None,
        area=area,
        title=title,
        description=description,
        tip=tip,
        starts_at_age=starts_at_age,
        user_id=by.id if by else None,  # type: ignore[arg-type]
        now=now_utc(),
    )
    db.session.flush()
    return skill


def record_step(
    young_person: YoungPersonProfile, skill: Skill, step: str, *, by: User, note: str | None = None
):
    """Moves the skill to `step` for the young person, as `by` would on the page (the
    passport's rules apply: a young person ticks, a worker signs off). Returns the event."""
    from app.passport.service import change_step

    outcome = change_step(
        young_person,
        skill,
        step,
        actor=by,
        note=note,
        expected_step=None,
        idempotency_key=None,
        today=london_today(),
    )
    db.session.flush()
    return outcome.event


# Complaints ----------------------------------------------------------------------------------


def create_complaint(
    young_person: YoungPersonProfile,
    *,
    by: User | None = None,
    stage: int = 1,
    officer: User | None = None,
    what_happened: str = "My phone was taken away.",
    put_right: str = "Give it back.",
    wants_advocate: bool = False,
) -> Complaint:
    """A complaint sent today by the young person (or `by` on their behalf), moved on to
    `stage` by `officer` (answered, then escalated, as the officer would)."""
    from app.voice import complaints as service

    today, now = london_today(), now_utc()
    complaint = service.send(
        young_person,
        by or young_person.user,
        what_happened=what_happened,
        put_right=put_right,
        about_who="",
        wants_advocate=wants_advocate,
        today=today,
    )
    db.session.flush()
    if stage > 1 and officer is None:
        raise ValueError("a complaint past stage 1 needs the officer who moved it on")
    while complaint.stage < stage:
        assert officer is not None
        for kind, extra in ((EventKind.RESPONSE_SENT, {"note": "Our answer."}), (EventKind.ESCALATED, {})):
            service.step(complaint, kind, officer, today, now, lock_version=complaint.lock_version, **extra)
    return complaint


# Messages ------------------------------------------------------------------------------------


def create_thread(
    young_person: YoungPersonProfile, participant: User, kind: AllocationKind = AllocationKind.SOCIAL_WORKER
) -> MessageThread:
    """The conversation between `participant` (the young person or their carer) and the
    young person's worker of `kind`."""
    from app.contact.service import open_thread

    thread = open_thread(young_person.user_id, participant, kind, now_utc())
    db.session.flush()
    return thread


def send_message(
    thread: MessageThread, sender: User, body: str = "Hello", at: datetime | None = None
) -> Message:
    from app.contact.service import send

    message = send(thread, sender, body, at or now_utc())
    db.session.flush()
    return message


# Plans ---------------------------------------------------------------------------------------


def create_plan(
    young_person: YoungPersonProfile, worker: User, *, text: str = "What we agreed.", publish: bool = True
) -> PlanVersion:
    """A plan with `text` in its first section, published by `worker` unless told."""
    from app.plans.service import publish as publish_plan
    from app.plans.service import start_draft

    plan = start_draft(young_person, worker.id, london_today())
    plan.sections[0].text = text
    db.session.flush()
    if publish:
        publish_plan(plan, plan.lock_version, worker.id, now_utc())
        db.session.flush()
    return plan
