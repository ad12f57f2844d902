"""Every route, every demo account (and nobody signed in): the answer must match the access
policy. A route with no row here fails the suite, so new pages cannot skip the check."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pytest

from app.access import subject_of
from app.domain.policy import Action, Actor, Subject, may
from app.domain.roles import WORKER_ROLES, Role
from app.domain.safety import TeamKind
from app.extensions import db
from app.models import (
    Complaint,
    LivingArrangement,
    MessageThread,
    PlanSection,
    PlanVersion,
    Team,
    User,
    YoungPersonProfile,
)
from app.safety import service as safety
from app.timeutil import london_today, now_utc
from tests.conftest import sign_in

ACCOUNTS = [
    None,
    "maya",
    "jordan",
    "sam",
    "riley",
    "alex",
    "bea",
    "priya",
    "omar",
    "tom",
    "lee",
    "kim",
    "hana",
    "nia",
    "ezra",
]
YOUNG_PEOPLE = ["maya", "jordan", "sam", "riley", "nobody"]
SIGNED_IN = frozenset(Role)
ENDS_SESSION = ("auth.logout", "auth.leave")
STAFF_PROFILE_ROLES = frozenset({Role.CARER, *WORKER_ROLES})


@dataclass
class World:
    users: dict[str, tuple[int, Role]]
    subjects: dict[int, Subject]
    living: dict[int, int] = field(default_factory=dict)
    first_section: tuple[int, int] = (0, 0)  # a plan section's id and its young person
    maya_thread: int = 0  # Maya's own conversation with her social worker
    complaints: dict[int, int] = field(default_factory=dict)  # a demo complaint per young person
    alert: int = 0  # an "I don't feel safe" from Maya
    alert_viewers: frozenset[str] = frozenset()  # who the safety rule lets see it
    duty_team: int = 0  # the demo's duty team
    today: date = field(default_factory=london_today)

    def yp_id(self, name: str) -> int:
        return 999_999 if name == "nobody" else self.users[name][0]

    def complaint_of(self, yp: int) -> int:
        return self.complaints.get(yp, 999_999)


@dataclass(frozen=True)
class Row:
    method: str
    path: object  # a string, or f(world, young_person_id) -> str
    expect: object  # f(world, account, young_person_id) -> status
    per_young_person: bool = False


def public(status_signed_in=200):
    return lambda world, account, yp: 200 if account is None else status_signed_in


def signed_in(status=200, roles=SIGNED_IN):
    def expect(world, account, yp):
        if account is None:
            return 302
        return status if world.users[account][1] in roles else 404

    return expect


def policy(action: Action, roles=SIGNED_IN, allowed=200):
    """Signed in, in one of `roles`, and the policy says yes for this young person."""

    def expect(world, account, yp):
        if account is None:
            return 302
        uid, role = world.users[account]
        if role not in roles:
            return 404
        return allowed if may(Actor(uid, role), action, world.subjects.get(yp), world.today) else 404

    return expect


MANAGER = frozenset({Role.MANAGER})
WORKERS = frozenset(WORKER_ROLES)

YOUNG_PERSON = frozenset({Role.YOUNG_PERSON})

PA = frozenset({Role.PERSONAL_ADVISER})
# Entitlements and the health passport are for young people on a pathway plan (16+).
PATHWAY_AGE = {"jordan", "sam"}


def pathway_young_person(world, account, yp):
    if account is None:
        return 302
    if world.users[account][1] is not Role.YOUNG_PERSON:
        return 404
    return 200 if account in PATHWAY_AGE else 404


CARERS_AND_WORKERS = frozenset({Role.CARER, *WORKER_ROLES})


def passport_staff(world, account, yp):
    """Carers practise skills, workers approve them: each through the policy."""
    if account is None:
        return 302
    uid, role = world.users[account]
    if role not in CARERS_AND_WORKERS:
        return 404
    action = Action.PRACTISE_SKILLS if role is Role.CARER else Action.APPROVE_SKILLS
    return 200 if may(Actor(uid, role), action, world.subjects.get(yp), world.today) else 404


CARERS = frozenset({Role.CARER})
MANAGER_AND_WORKERS = frozenset({Role.MANAGER, *WORKER_ROLES})


def own_social_worker_conversation(world, account, yp):
    """Young people with a social worker (or messages from one) open that conversation."""
    if account is None:
        return 302
    if world.users[account][1] is not Role.YOUNG_PERSON:
        return 404
    return 404 if account == "sam" else 200


def worker_reading_mayas_conversation(world, account, yp):
    if account is None:
        return 302
    return 200 if account == "priya" else 404


OFFICER = frozenset({Role.COMPLAINTS_OFFICER})
THANKED = frozenset(set(Role) - {Role.YOUNG_PERSON})


def complaint_owner(status):
    """Only the young person the complaint is about (or for) reaches it."""
    return lambda w, a, yp: 302 if a is None else status if w.users[a][0] == yp else 404


ALERT_ROLES = frozenset({*WORKER_ROLES, Role.TEAM_MANAGER, Role.MANAGER})


def own_alert(world, account, yp):
    """Maya sees what is happening with her alert; a young person with none is sent to
    "I don't feel safe"."""
    if account is None:
        return 302
    if world.users[account][1] is not Role.YOUNG_PERSON:
        return 404
    return 200 if account == "maya" else 302


def alert_viewer(status):
    return lambda w, a, yp: 302 if a is None else status if a in w.alert_viewers else 404


MATRIX: dict[str, Row] = {
    "contact.my_people": Row("GET", "/people", signed_in(roles=YOUNG_PERSON)),
    "contact.my_messages": Row("GET", "/messages", signed_in(roles=YOUNG_PERSON)),
    "contact.conversation": Row("GET", "/messages/social-worker", own_social_worker_conversation),
    "contact.talk": Row("GET", "/talk", signed_in(roles=YOUNG_PERSON)),
    "safety.not_safe": Row("GET", "/not-safe", signed_in(roles=YOUNG_PERSON)),
    "safety.not_safe_sent": Row("GET", "/not-safe/sent", own_alert),
    "safety.alerts": Row("GET", "/alerts", signed_in(roles=ALERT_ROLES)),
    "safety.alert": Row("GET", lambda w, yp: f"/alerts/{w.alert}", alert_viewer(200)),
    # CSRF is off in this matrix: taking it on works for whoever may see it, an empty note or
    # close comes back with its problem; everyone else gets the same 404.
    "safety.alert_acknowledge": Row(
        "POST", lambda w, yp: f"/alerts/{w.alert}/acknowledge", alert_viewer(302)
    ),
    "safety.alert_write": Row("POST", lambda w, yp: f"/alerts/{w.alert}/write", alert_viewer(200)),
    "safety.alert_note": Row("POST", lambda w, yp: f"/alerts/{w.alert}/note", alert_viewer(200)),
    "safety.alert_close": Row("POST", lambda w, yp: f"/alerts/{w.alert}/close", alert_viewer(200)),
    "contact.carer_conversation": Row(
        "GET",
        lambda w, yp: f"/care/young-people/{yp}/messages/social-worker",
        policy(Action.MESSAGE_WORKER_ABOUT, CARERS),
        per_young_person=True,
    ),
    "contact.inbox": Row("GET", "/inbox", signed_in(roles=WORKERS)),
    "contact.inbox_thread": Row(
        "GET", lambda w, yp: f"/inbox/{w.maya_thread}", worker_reading_mayas_conversation
    ),
    "contact.my_card": Row("GET", "/account/card", signed_in(roles=frozenset({Role.CARER, *WORKER_ROLES}))),
    "contact.contacts": Row(
        "GET",
        lambda w, yp: f"/care/young-people/{yp}/contacts",
        policy(Action.MANAGE_ACCOUNT, MANAGER_AND_WORKERS),
        per_young_person=True,
    ),
    "contact.end_contact": Row(
        "POST",
        lambda w, yp: f"/care/young-people/{yp}/contacts/999999/end",
        policy(Action.MANAGE_ACCOUNT, MANAGER_AND_WORKERS, allowed=404),
        per_young_person=True,
    ),
    "contact.response_times": Row("GET", "/admin/response-times", signed_in(roles=MANAGER)),
    "voice.speak_up": Row("GET", "/speak-up", signed_in(roles=YOUNG_PERSON)),
    "voice.new_complaint": Row("GET", "/complaints/new", signed_in(roles=YOUNG_PERSON)),
    "voice.my_complaint": Row(
        "GET", lambda w, yp: f"/complaints/{w.complaint_of(yp)}", complaint_owner(200), per_young_person=True
    ),
    # No demo complaint is waiting for a young person's answer: each is sent back with why.
    "voice.ask_next_stage": Row(
        "POST",
        lambda w, yp: f"/complaints/{w.complaint_of(yp)}/next-stage",
        complaint_owner(302),
        per_young_person=True,
    ),
    "voice.advocate": Row("GET", "/advocate", signed_in(roles=YOUNG_PERSON)),
    "voice.complain_for": Row(
        "GET",
        lambda w, yp: f"/care/young-people/{yp}/complaint",
        policy(Action.RAISE_COMPLAINT_FOR, CARERS_AND_WORKERS),
        per_young_person=True,
    ),
    "voice.shared_list": Row("GET", "/care/complaints", signed_in(roles=WORKERS)),
    # The demo shares no complaint with a worker, so every worker gets the same 404.
    "voice.shared_complaint": Row(
        "GET",
        lambda w, yp: f"/care/complaints/{w.complaint_of(yp)}",
        signed_in(404, WORKERS),
        per_young_person=True,
    ),
    "voice.new_thanks": Row("GET", "/thanks/new", signed_in()),
    "voice.thanks": Row("GET", "/thanks", signed_in(roles=THANKED)),
    "voice.officer_list": Row("GET", "/officer/complaints", signed_in(roles=OFFICER)),
    "voice.officer_complaint": Row(
        "GET",
        lambda w, yp: f"/officer/complaints/{w.complaint_of(yp)}",
        lambda w, a, yp: signed_in(200 if yp in w.complaints else 404, OFFICER)(w, a, yp),
        per_young_person=True,
    ),
    # An empty form: the step is refused with its reason (409), or there is no complaint.
    "voice.officer_step": Row(
        "POST",
        lambda w, yp: f"/officer/complaints/{w.complaint_of(yp)}/acknowledge",
        lambda w, a, yp: signed_in(409 if yp in w.complaints else 404, OFFICER)(w, a, yp),
        per_young_person=True,
    ),
    "voice.officer_advocacy": Row("GET", "/officer/advocacy", signed_in(roles=OFFICER)),
    "voice.officer_advocacy_step": Row("POST", "/officer/advocacy/999999/refer", signed_in(404, OFFICER)),
    "voice.speak_up_counts": Row("GET", "/admin/speak-up", signed_in(roles=MANAGER)),
    "votes.index": Row("GET", "/votes", signed_in()),
    "votes.vote": Row("GET", "/votes/999999", signed_in(404)),
    "votes.manage": Row("GET", "/admin/votes", signed_in(roles=MANAGER)),
    "votes.results": Row("GET", "/admin/votes/999999", signed_in(404, MANAGER)),
    "passport.my_passport": Row("GET", "/passport", signed_in(roles=YOUNG_PERSON)),
    "passport.my_skill": Row("GET", "/passport/skills/999999", signed_in(404, YOUNG_PERSON)),
    "passport.print_summary": Row("GET", "/passport/print", signed_in(roles=YOUNG_PERSON)),
    "passport.passport_for": Row(
        "GET",
        lambda w, yp: f"/care/young-people/{yp}/passport",
        passport_staff,
        per_young_person=True,
    ),
    "passport.change_for": Row(
        "POST",
        lambda w, yp: f"/care/young-people/{yp}/passport/skills/999999",
        # Allowed people reach the skill lookup, and there is no skill 999999.
        lambda w, a, yp: 404 if a is not None else 302,
        per_young_person=True,
    ),
    "passport.queue": Row("GET", "/care/passport-queue", signed_in(roles=WORKERS)),
    "passport.manage_skills": Row("GET", "/admin/skills", signed_in(roles=MANAGER)),
    # An empty form comes back with its problems.
    "passport.save_skill": Row("POST", "/admin/skills/new", signed_in(roles=MANAGER)),
    "passport.change_skill": Row("POST", "/admin/skills/999999/up", signed_in(404, MANAGER)),
    "plans.my_plan": Row("GET", "/plan", signed_in(roles=YOUNG_PERSON)),
    "plans.my_plan_version": Row("GET", "/plan/versions/1", signed_in(roles=YOUNG_PERSON)),
    # Section 1 is in one young person's plan: only they may add their view to it.
    "plans.add_view": Row(
        "POST",
        lambda w, yp: f"/plan/sections/{w.first_section[0]}/views",
        lambda w, a, yp: 302 if a is None else 200 if w.users[a][0] == w.first_section[1] else 404,
    ),
    "plans.plan_for": Row(
        "GET",
        lambda w, yp: f"/care/young-people/{yp}/plan",
        policy(Action.VIEW_RECORD, WORKERS),
        per_young_person=True,
    ),
    "plans.edit_draft": Row(
        "GET",
        lambda w, yp: f"/care/young-people/{yp}/plan/draft",
        policy(Action.WRITE_PLAN, WORKERS, allowed=302),
        per_young_person=True,
    ),
    "plans.save_section": Row(
        "POST",
        lambda w, yp: f"/care/young-people/{yp}/plan/draft/sections/1",
        # An empty section is allowed; with no draft open the worker is sent to the plan.
        policy(Action.WRITE_PLAN, WORKERS, allowed=302),
        per_young_person=True,
    ),
    "plans.add_action": Row(
        "POST",
        lambda w, yp: f"/care/young-people/{yp}/plan/draft/sections/1/actions",
        policy(Action.WRITE_PLAN, WORKERS, allowed=404),
        per_young_person=True,
    ),
    "plans.remove_action": Row(
        "POST",
        lambda w, yp: f"/care/young-people/{yp}/plan/draft/actions/1/remove",
        policy(Action.WRITE_PLAN, WORKERS, allowed=302),
        per_young_person=True,
    ),
    "plans.rebase": Row(
        "POST",
        lambda w, yp: f"/care/young-people/{yp}/plan/draft/rebase",
        policy(Action.WRITE_PLAN, WORKERS, allowed=302),
        per_young_person=True,
    ),
    "plans.publish": Row(
        "POST",
        lambda w, yp: f"/care/young-people/{yp}/plan/draft/publish",
        policy(Action.WRITE_PLAN, WORKERS, allowed=302),
        per_young_person=True,
    ),
    "reviews.my_review": Row("GET", "/review", signed_in(roles=YOUNG_PERSON)),
    "reviews.prepare": Row("GET", "/review/prepare", signed_in(roles=YOUNG_PERSON)),
    "reviews.book": Row(
        "POST",
        lambda w, yp: f"/care/young-people/{yp}/reviews/book",
        policy(Action.WRITE_PLAN, WORKERS, allowed=302),
        per_young_person=True,
    ),
    "reviews.held": Row(
        "POST",
        lambda w, yp: f"/care/young-people/{yp}/reviews/held",
        policy(Action.WRITE_PLAN, WORKERS, allowed=302),
        per_young_person=True,
    ),
    "leaving_care.entitlements": Row("GET", "/entitlements", pathway_young_person),
    "leaving_care.health_passport": Row("GET", "/health-passport", pathway_young_person),
    "leaving_care.health_passport_print": Row("GET", "/health-passport/print", pathway_young_person),
    "leaving_care.health_passport_for": Row(
        "GET",
        lambda w, yp: f"/care/young-people/{yp}/health-passport",
        policy(Action.EDIT_HEALTH_PASSPORT, PA),
        per_young_person=True,
    ),
    "leaving_care.manage_offer": Row("GET", "/admin/local-offer", signed_in(roles=MANAGER)),
    "leaving_care.save_offer_item": Row("POST", "/admin/local-offer/items", signed_in(roles=MANAGER)),
    "leaving_care.retire_offer_item": Row(
        "POST", "/admin/local-offer/items/999999/retire", signed_in(404, MANAGER)
    ),
    "promise.promise": Row("GET", "/promise", signed_in()),
    "promise.answer": Row("POST", "/promise/answers/1", signed_in(roles=YOUNG_PERSON)),
    "promise.answers_for": Row(
        "GET",
        lambda w, yp: f"/care/young-people/{yp}/promise",
        policy(Action.VIEW_RECORD, WORKERS),
        per_young_person=True,
    ),
    "promise.manage": Row("GET", "/admin/promise", signed_in(roles=MANAGER)),
    # With no draft open, the manager is sent back to the Promise page.
    "promise.edit_draft": Row("GET", "/admin/promise/up_to_15/draft", signed_in(302, MANAGER)),
    "promise.save_draft_text": Row("POST", "/admin/promise/up_to_15/draft/text", signed_in(302, MANAGER)),
    "promise.save_item": Row("POST", "/admin/promise/up_to_15/draft/items/1", signed_in(302, MANAGER)),
    "promise.add_item": Row("POST", "/admin/promise/up_to_15/draft/items", signed_in(302, MANAGER)),
    "promise.change_item": Row("POST", "/admin/promise/up_to_15/draft/items/1/up", signed_in(302, MANAGER)),
    "promise.publish": Row("POST", "/admin/promise/up_to_15/draft/publish", signed_in(302, MANAGER)),
    "auth.login": Row("GET", "/login", public(302)),
    "auth.activate": Row("GET", "/activate", public(302)),
    "auth.signed_out": Row("GET", "/signed-out", public()),
    # Nobody in the demo has a new code they were not told about: straight on home.
    "auth.new_code_notice": Row("GET", "/new-code-notice", signed_in(302)),
    "auth.logout": Row("POST", "/logout", signed_in(303)),
    # Leaving quickly works for everyone, signed in or not, and ends any session.
    "auth.leave": Row("POST", "/leave", lambda w, a, yp: 303),
    "account.settings": Row("GET", "/account", signed_in()),
    "account.change_password": Row("POST", "/account/password", signed_in()),
    "account.change_language": Row("POST", "/account/language", signed_in()),
    "home.index": Row(
        "GET",
        "/",
        lambda w, a, yp: 302 if a is None or w.users[a][1] in WORKER_ROLES else 200,
    ),
    "home.healthz": Row("GET", "/healthz", public()),
    "home.help": Row("GET", "/help", public()),
    "pwa.manifest": Row("GET", "/manifest.webmanifest", public()),
    "pwa.service_worker": Row("GET", "/sw.js", public()),
    "pwa.offline": Row("GET", "/offline", public()),
    "pwa.install": Row("GET", "/install", public()),
    "push.reminders": Row("GET", "/reminders", signed_in()),
    # An empty form saves "no details, nothing muted".
    "push.save_preferences": Row("POST", "/reminders/preferences", signed_in(302)),
    # No subscription in the body.
    "push.subscribe": Row("POST", "/reminders/subscriptions", signed_in(400)),
    "push.remove_device": Row("POST", "/reminders/devices/999999/remove", signed_in(404)),
    # No devices (and no keys in this configuration): back to the settings page.
    "push.send_test": Row("POST", "/reminders/test", signed_in(302)),
    "push.notifications": Row("GET", "/notifications", signed_in()),
    "push.read": Row("POST", "/notifications/999999/read", signed_in(404)),
    "push.read_all": Row("POST", "/notifications/read-all", signed_in(302)),
    "care.caseload": Row("GET", "/care/young-people", signed_in(roles=WORKERS)),
    "care.new_young_person": Row("GET", "/care/young-people/new", signed_in(roles=WORKERS)),
    "care.young_person": Row(
        "GET",
        lambda w, yp: f"/care/young-people/{yp}",
        policy(Action.VIEW_PROFILE, STAFF_PROFILE_ROLES),
        per_young_person=True,
    ),
    "care.new_activation_code": Row(
        "POST",
        lambda w, yp: f"/care/young-people/{yp}/activation-code",
        policy(Action.MANAGE_ACCOUNT, WORKERS),
        per_young_person=True,
    ),
    "admin.people": Row("GET", "/admin/people", signed_in(roles=MANAGER)),
    "admin.new_person": Row("GET", "/admin/people/new", signed_in(roles=MANAGER)),
    "admin.new_young_person": Row("GET", "/admin/young-people/new", signed_in(roles=MANAGER)),
    "admin.person": Row(
        "GET",
        lambda w, yp: f"/admin/people/{yp}",
        policy(Action.MANAGE_ACCOUNT, MANAGER),
        per_young_person=True,
    ),
    "admin.move_in": Row(
        "POST",
        lambda w, yp: f"/admin/people/{yp}/living",
        policy(Action.MANAGE_ACCOUNT, MANAGER),
        per_young_person=True,
    ),
    "admin.allocate": Row(
        "POST",
        lambda w, yp: f"/admin/people/{yp}/allocations",
        policy(Action.MANAGE_ACCOUNT, MANAGER),
        per_young_person=True,
    ),
    "admin.end_relationship": Row(
        "POST",
        lambda w, yp: f"/admin/people/{yp}/living/{w.living.get(yp, 0)}/end",
        # An empty form goes back to the page with a message; a missing row is a 404.
        lambda w, a, yp: (
            404
            if a is not None and w.users[a][1] is Role.MANAGER and yp not in w.living
            else policy(Action.MANAGE_ACCOUNT, MANAGER, allowed=302)(w, a, yp)
        ),
        per_young_person=True,
    ),
    "admin.new_activation_code": Row(
        "POST",
        lambda w, yp: f"/admin/people/{yp}/activation-code",
        policy(Action.MANAGE_ACCOUNT, MANAGER),
        per_young_person=True,
    ),
    # Young people are in no team: the manager is sent back to their page.
    "admin.person_team": Row(
        "POST",
        lambda w, yp: f"/admin/people/{yp}/team",
        policy(Action.MANAGE_ACCOUNT, MANAGER, allowed=302),
        per_young_person=True,
    ),
    "admin.resets": Row("GET", "/admin/resets", signed_in(roles=MANAGER)),
    # No reset has that number: the same 404 for managers as for everyone else.
    "admin.confirm_reset": Row("POST", "/admin/resets/999999/confirm", signed_in(404, roles=MANAGER)),
    "teams.teams": Row("GET", "/admin/teams", signed_in(roles=MANAGER)),
    "teams.new_team": Row("GET", "/admin/teams/new", signed_in(roles=MANAGER)),
    "teams.team": Row("GET", lambda w, yp: f"/admin/teams/{w.duty_team}", signed_in(roles=MANAGER)),
    "teams.safety": Row("GET", "/admin/safety", signed_in(roles=MANAGER)),
}


@pytest.fixture
def app_settings():
    # The matrix is about who may reach what; CSRF has its own tests.
    return {"WTF_CSRF_ENABLED": False}


@pytest.fixture
def world(app, demo) -> World:
    with app.app_context():
        users = {u.username: (u.id, u.role) for u in db.session.scalars(db.select(User))}
        subjects = {p.user_id: subject_of(p) for p in db.session.scalars(db.select(YoungPersonProfile))}
        living = {row.young_person_id: row.id for row in db.session.scalars(db.select(LivingArrangement))}
        first_section = db.session.execute(
            db.select(PlanSection.id, PlanVersion.young_person_id)
            .join(PlanVersion)
            .order_by(PlanSection.id)
            .limit(1)
        ).one()
        maya_thread = db.session.scalar(
            db.select(MessageThread.id).where(MessageThread.participant_id == users["maya"][0])
        )
        complaints = dict(db.session.execute(db.select(Complaint.young_person_id, Complaint.id)).all())
        maya = db.session.get(YoungPersonProfile, users["maya"][0])
        alert, _ = safety.raise_alert(maya, maya.user, "", None, now_utc())
        db.session.commit()
        alert = safety.load(alert.id)
        viewers = frozenset(
            name
            for name, (uid, role) in users.items()
            if role in ALERT_ROLES and safety.may_see(alert, db.session.get(User, uid), london_today())
        )
        duty_team = db.session.scalar(db.select(Team.id).where(Team.kind == TeamKind.DUTY))
    return World(
        users=users,
        subjects=subjects,
        living=living,
        first_section=tuple(first_section),
        maya_thread=maya_thread,
        complaints=complaints,
        alert=alert.id,
        alert_viewers=viewers,
        duty_team=duty_team,
    )


def test_every_route_has_a_row_in_the_matrix(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint != "static"}
    missing = endpoints - set(MATRIX)
    assert not missing, f"routes with no row in the access matrix: {sorted(missing)}"
    assert not set(MATRIX) - endpoints, "matrix rows for routes that no longer exist"


@pytest.mark.parametrize("account", ACCOUNTS, ids=lambda a: a or "anonymous")
def test_route_answers_match_the_policy(app, client, world, account):
    if account:
        assert sign_in(client, account).status_code == 302
    mismatches = []
    # Signing out and leaving quickly end the session, so they go last, in this order.
    rows = sorted(
        MATRIX.items(), key=lambda item: ENDS_SESSION.index(item[0]) + 1 if item[0] in ENDS_SESSION else 0
    )
    for endpoint, row in rows:
        targets = YOUNG_PEOPLE if row.per_young_person else [None]
        for target in targets:
            yp = world.yp_id(target) if target else None
            path = row.path(world, yp) if callable(row.path) else row.path
            response = client.open(path, method=row.method)
            expected = row.expect(world, account, yp)
            if response.status_code != expected:
                mismatches.append(
                    f"{row.method} {path} ({endpoint}): {response.status_code}, expected {expected}"
                )
    assert not mismatches, "\n".join(mismatches)


def test_refusals_are_written_to_the_audit_log(app, client, world):
    from app.models import AuditEvent

    maya = world.yp_id("maya")
    sign_in(client, "riley")  # a young person asking for a carer's page
    assert client.get(f"/care/young-people/{maya}").status_code == 404
    client.post("/logout")
    sign_in(client, "omar")  # a worker asking for a young person not on his caseload
    assert client.get(f"/care/young-people/{maya}").status_code == 404
    with app.app_context():
        events = db.session.scalars(
            db.select(AuditEvent).where(AuditEvent.outcome == "refused").order_by(AuditEvent.id)
        ).all()
    assert [(e.actor_id, e.action, e.target, e.detail["asked_for"]) for e in events] == [
        (world.users["riley"][0], "role_required", f"/care/young-people/{maya}", maya),
        (world.users["omar"][0], "view_profile", f"/care/young-people/{maya}", maya),
    ]
    assert events[1].young_person_id == maya


@pytest.mark.parametrize("account", [a for a in ACCOUNTS if a], ids=lambda a: a)
def test_every_refusal_the_matrix_provokes_is_in_the_audit_log(app, client, world, account):
    from app.models import AuditEvent

    def refusals() -> int:
        with app.app_context():
            return db.session.scalar(
                db.select(db.func.count(AuditEvent.id)).where(AuditEvent.outcome == "refused")
            )

    assert sign_in(client, account).status_code == 302
    unaudited = []
    rows = sorted(MATRIX.items(), key=lambda item: item[0] in ("auth.logout", "auth.leave"))
    for endpoint, row in rows:
        targets = YOUNG_PEOPLE if row.per_young_person else [None]
        for target in targets:
            yp = world.yp_id(target) if target else None
            if row.expect(world, account, yp) != 404:
                continue
            path = row.path(world, yp) if callable(row.path) else row.path
            before = refusals()
            response = client.open(path, method=row.method)
            if response.status_code == 404 and refusals() == before:
                unaudited.append(f"{row.method} {path} ({endpoint})")
    assert not unaudited, "refused without an audit event:\n" + "\n".join(unaudited)
