"""Text limits (issue 12, finding 6): nothing anyone types is ever cut. Every text field
declares its limit one way (forms_common.text_limit); over it the form comes back with
every word and a message saying by how much; exactly the limit is kept whole; and no
field can write more into a String(N) column than the column holds (PostgreSQL refuses
an overlong varchar with an error, SQLite would keep it: the suite runs on both)."""

from __future__ import annotations

import importlib
import pkgutil
import re
import uuid

import pytest
from flask_wtf import FlaskForm
from sqlalchemy import String, func, select
from wtforms import PasswordField, StringField
from wtforms.validators import Length

import app as app_package
from app.extensions import db
from app.forms_common import TextLimit, characters, text_limit, too_long_message
from app.models import (
    AccountReset,
    AdvocacyRequest,
    Complaint,
    ComplaintDraft,
    ComplaintEvent,
    Compliment,
    LocalOfferItem,
    Message,
    MessageThread,
    PlanAction,
    PlanSection,
    PlanVersion,
    PromiseItem,
    PromiseVersion,
    ReviewPreparation,
    Skill,
    SkillEvent,
    SkillProgress,
    StaffCard,
    Team,
    User,
    Vote,
    VoteOption,
    YoungPersonContact,
    YoungPersonProfile,
)
from app.voice.complaints import DRAFT_LIMITS
from tests.conftest import csrf_token

TOO_LONG = "This is too long."


def _forms() -> list[type[FlaskForm]]:
    for module in pkgutil.walk_packages(app_package.__path__, "app."):
        if module.name.rsplit(".", 1)[-1] in ("forms", "people_forms", "forms_common"):
            importlib.import_module(module.name)

    def below(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from below(sub)

    return sorted(set(below(FlaskForm)), key=lambda c: (c.__module__, c.__name__))


def _text_fields():
    """(form, name, validators) for every box a person types words into."""
    for form in _forms():
        for name in dir(form):
            unbound = getattr(form, name, None)
            field_class = getattr(unbound, "field_class", None)
            if field_class is None or not issubclass(field_class, StringField):
                continue
            if issubclass(field_class, PasswordField):
                continue  # app.domain.passwords has its own rule and words
            validators = unbound.kwargs.get("validators") or (
                unbound.args[1] if len(unbound.args) > 1 else []
            )
            yield form, name, list(validators)


def _limit(validators) -> int | None:
    return next((v.max for v in validators if isinstance(v, TextLimit)), None)


# Boxes without a text_limit, and why.
NO_LIMIT = {
    # The "I don't feel safe" alert never refuses (app.domain.safety.alert_words); its staff
    # forms are checked by app.safety.service with their own words.
    ("NotSafeForm", "body"),
    ("NotSafeForm", "place"),
    ("NoteForm", "note"),
    ("WriteForm", "body"),
    ("CloseForm", "note"),
    # A username is 2 to 63 characters by its Regexp (app.people.forms.USERNAME_RULE).
    ("StaffAccountForm", "username"),
    ("YoungPersonForm", "username"),
    # A note on a passport step: app.domain.passport checks its length with its own words,
    # and the page keeps it in its box (tests below).
    ("SkillStepForm", "note"),
    ("QueueForm", "note"),
    # One option a line: each line is checked (app.votes.service, MAX_OPTION_LENGTH).
    ("NewVoteForm", "options"),
}


def test_every_text_box_declares_its_limit_one_way():
    missing, browser_cuts = [], []
    for form, name, validators in _text_fields():
        if getattr(form, name).field_class.__name__ == "HiddenField":
            continue
        if _limit(validators) is None and (form.__name__, name) not in NO_LIMIT:
            missing.append(f"{form.__module__}.{form.__name__}.{name}")
        # WTForms' own Length writes maxlength, and a browser cuts pasted text to it.
        if any(type(v) is Length and v.max != -1 for v in validators):
            browser_cuts.append(f"{form.__name__}.{name}")
    assert not missing, f"text boxes without forms_common.text_limit: {missing}"
    assert not browser_cuts, f"use text_limit, not Length(max=...): {browser_cuts}"


# Which String(N) column each box writes into. A box whose name is also the name of a
# String(N) column must be listed here or in NOT_A_COLUMN, so a new form is not missed.
WRITES = {
    ("NewCodeForm", "reason"): AccountReset.reason,
    ("StaffAccountForm", "full_name"): User.full_name,
    ("YoungPersonForm", "full_name"): User.full_name,
    ("YoungPersonForm", "preferred_name"): YoungPersonProfile.preferred_name,
    ("TeamForm", "name"): Team.name,
    ("TeamForm", "phone"): Team.phone,
    ("ContactForm", "name"): YoungPersonContact.name,
    ("ContactForm", "phone"): YoungPersonContact.phone,
    ("ContactForm", "email"): YoungPersonContact.email,
    ("ContactForm", "about"): YoungPersonContact.about,  # Text: any length fits
    ("StaffCardForm", "working_hours"): StaffCard.working_hours,
    ("StaffCardForm", "phone"): StaffCard.phone,
    ("StaffCardForm", "email"): StaffCard.email,
    ("OfferItemForm", "title"): LocalOfferItem.title,
    ("OfferItemForm", "who_to_ask"): LocalOfferItem.who_to_ask,
    ("SkillForm", "title"): Skill.title,
    ("ActionForm", "what"): PlanAction.what,
    ("ActionForm", "who"): PlanAction.who,
    ("DraftTextForm", "title"): PromiseVersion.title,
    ("DraftTextForm", "not_kept_title"): PromiseVersion.not_kept_title,
    ("ItemForm", "title"): PromiseItem.title,
    ("NewItemForm", "title"): PromiseItem.title,
    ("ComplaintForm", "about_who"): Complaint.about_who,
    ("ForYoungPersonForm", "about_who"): Complaint.about_who,
    ("ReferForm", "service_name"): AdvocacyRequest.referred_to,
    ("AllocateForm", "name"): AdvocacyRequest.advocate_name,
    ("AllocateForm", "phone"): AdvocacyRequest.advocate_phone,
    ("AllocateForm", "email"): AdvocacyRequest.advocate_email,
    ("ThanksForm", "team"): Compliment.to_team,
    ("NewVoteForm", "question"): Vote.question,
    ("SuggestForm", "label"): VoteOption.label,
}
NOT_A_COLUMN = {
    ("LoginForm", "username"),  # looked up, never written
    ("ActivateForm", "username"),
    ("NotSafeForm", "place"),  # app.domain.safety.alert_words moves a long place into the words
    ("SuggestForm", "what"),  # which of the page's forms was sent
    ("ResultsForm", "what"),
    # Made by the page; the service refuses one it did not make ("bad_key") before writing it.
    ("SkillStepForm", "idempotency_key"),
}


def _string_columns() -> dict[str, int]:
    names: dict[str, int] = {}
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if type(column.type) is String and column.type.length:
                names.setdefault(column.name, column.type.length)
    return names


def test_no_box_holds_more_than_the_column_it_is_written_to(app):
    columns = _string_columns()
    unmapped, too_big = [], []
    for form, name, validators in _text_fields():
        key = (form.__name__, name)
        column = WRITES.get(key)
        if column is None:
            if name in columns and key not in NOT_A_COLUMN and key not in NO_LIMIT:
                unmapped.append(key)
            continue
        length = getattr(column.property.columns[0].type, "length", None)
        limit = _limit(validators)
        if limit is None or (length is not None and limit > length):
            too_big.append((key, limit, length))
    # A complaint's draft keeps the same words as the complaint (app.voice.complaints.DRAFT_LIMITS).
    assert ComplaintDraft.about_who.property.columns[0].type.length >= DRAFT_LIMITS["about_who"]
    assert not unmapped, f"say which column these write to (WRITES) or that they write none: {unmapped}"
    assert not too_big, f"limit past the column's length (PostgreSQL would refuse): {too_big}"


def test_the_limit_message_says_the_limit_and_how_far_past_it(app):
    with app.test_request_context():
        assert too_long_message(4000, 4001) == (
            "This is too long. You can write up to 4,000 characters, and this has 1 character "
            "too many. Please make it shorter."
        )
        assert "has 25 characters too many" in too_long_message(200, 225)
    assert characters("é\r\n😀") == 4  # characters, as PostgreSQL counts them, not bytes
    check = text_limit(10)
    assert check.field_flags == {"count_to": 10}  # never maxlength


# Over HTTP: over the limit comes back whole with the words; the limit itself is kept whole.


def _text(n: int, word: str = "Words ") -> str:
    return (word * (n // len(word) + 1))[:n]


def _post(client, path, headers=None, **data):
    return client.post(path, data={"csrf_token": csrf_token(client, "/"), **data}, headers=headers or {})


def _refused_and_kept(response, words: str, over: int):
    html = response.get_data(as_text=True)
    assert response.status_code == 200, response.status_code
    assert TOO_LONG in html
    assert f"has {over} character" in html
    assert words in html.replace("&#39;", "'")
    assert "maxlength" not in html
    return html


def _count(app, statement) -> int:
    with app.app_context():
        return db.session.scalar(statement)


def test_complaint_over_the_limit_comes_back_whole_and_the_limit_is_sent_whole(app, client_for, demo):
    maya = client_for("maya")
    before = _count(app, select(func.count(Complaint.id)))
    form = {"put_right": "Listen to me.", "about_who": "", "wants_advocate": "no", "send": "1"}
    long = _text(4001)
    html = _refused_and_kept(_post(maya, "/complaints/new", what_happened=long, **form), long, 1)
    assert 'data-count-to="4000"' in html
    assert re.search(r'aria-describedby="[^"]*what_happened-count"', html)
    assert _count(app, select(func.count(Complaint.id))) == before
    assert _count(app, select(func.count(ComplaintDraft.id))) == 0
    # "Save for later" keeps a draft, but never a cut one.
    _refused_and_kept(_post(maya, "/complaints/new", what_happened=long, **{**form, "send": "0"}), long, 1)
    assert _count(app, select(func.count(ComplaintDraft.id))) == 0
    who = _text(201, "Priya ")
    _refused_and_kept(
        _post(maya, "/complaints/new", **{**form, "what_happened": "Shouted.", "about_who": who}), who, 1
    )
    assert _count(app, select(func.count(Complaint.id))) == before

    exact, exact_who = _text(4000), _text(200, "Priya ")
    response = _post(maya, "/complaints/new", **{**form, "what_happened": exact, "about_who": exact_who})
    assert response.status_code == 302
    with app.app_context():
        complaint = db.session.scalar(select(Complaint).order_by(Complaint.id.desc()).limit(1))
        assert complaint.what_happened == exact.strip() and len(complaint.what_happened) >= 3999
        assert complaint.about_who == exact_who.strip()


def test_complaint_autosave_refuses_the_whole_draft_when_a_box_is_too_long(app, client_for, demo):
    maya = client_for("maya")
    token = csrf_token(maya, "/complaints/new")
    headers = {"X-Autosave": "1", "X-CSRFToken": token}
    too_long = maya.post(
        "/complaints/new",
        data={"what_happened": "Something happened.", "put_right": _text(4001)},
        headers=headers,
    )
    assert too_long.status_code == 400
    body = too_long.get_json()
    assert body["saved"] is False
    assert "What would make it better?" in body["message"] and "1 character too many" in body["message"]
    # Nothing half saved: not even the box that fitted.
    assert _count(app, select(func.count(ComplaintDraft.id))) == 0

    exact = _text(4000)
    saved = maya.post("/complaints/new", data={"what_happened": exact, "put_right": exact}, headers=headers)
    assert saved.status_code == 200 and saved.get_json()["saved"] is True
    with app.app_context():
        draft = db.session.scalar(select(ComplaintDraft))
        assert draft.what_happened == exact.strip() and draft.put_right == exact.strip()

    # A choice that is not one is not kept (its column holds 8 characters).
    odd = maya.post(
        "/complaints/new",
        data={"what_happened": exact, "wants_advocate": "x" * 50, "lock_version": str(draft.lock_version)},
        headers=headers,
    )
    assert odd.status_code == 200
    with app.app_context():
        assert db.session.scalar(select(ComplaintDraft.wants_advocate)) == ""


def _plan_section(app, worker, yp_id):
    base = f"/care/young-people/{yp_id}/plan"
    assert _post(worker, f"{base}/draft").status_code == 302
    with app.app_context():
        plan = db.session.scalar(
            select(PlanVersion).where(PlanVersion.young_person_id == yp_id, PlanVersion.state == "draft")
        )
        return base, plan.lock_version, plan.sections[0].id


def test_plan_words_over_the_limit_are_not_saved_and_not_called_saved(app, client_for, demo):
    priya = client_for("priya")
    base, lock, sid = _plan_section(app, priya, demo["maya"])
    with app.app_context():
        before = db.session.get(PlanSection, sid).text
    long = _text(4001)
    response = _post(priya, f"{base}/draft/sections/{sid}", **{"lock_version": lock, f"s{sid}-text": long})
    html = _refused_and_kept(response, long, 1)
    assert "Saved." not in html
    with app.app_context():
        assert db.session.get(PlanSection, sid).text == before

    exact = _text(4000)
    response = _post(priya, f"{base}/draft/sections/{sid}", **{"lock_version": lock, f"s{sid}-text": exact})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(PlanSection, sid).text == exact.strip()


def test_plan_action_over_its_column_is_refused_and_kept(app, client_for, demo):
    priya = client_for("priya")
    base, lock, sid = _plan_section(app, priya, demo["maya"])
    what = _text(301, "Find a football club ")
    data = {f"a{sid}-lock_version": lock, f"a{sid}-what": what, f"a{sid}-who": "Priya"}
    _refused_and_kept(_post(priya, f"{base}/draft/sections/{sid}/actions", **data), what, 1)
    exact = _text(300, "Find a football club ")
    data[f"a{sid}-what"] = exact
    assert _post(priya, f"{base}/draft/sections/{sid}/actions", **data).status_code == 302
    with app.app_context():
        assert (
            db.session.scalar(select(func.count(PlanAction.id)).where(PlanAction.what == exact.strip())) == 1
        )
        assert (
            db.session.scalar(select(func.count(PlanAction.id)).where(PlanAction.what.like("Find a%"))) == 1
        )


def test_young_persons_message_over_the_limit_comes_back_whole(app, client_for, demo):
    maya = client_for("maya")
    long = _text(2001)
    response = _post(maya, "/messages/social-worker", body=long, to_worker=str(demo["priya"]))
    html = _refused_and_kept(response, long, 1)
    assert re.search(r'aria-describedby="[^"]*body-count"', html)
    assert _count(app, select(func.count(Message.id)).where(Message.body.like("Words%"))) == 0

    exact = _text(2000)
    response = _post(maya, "/messages/social-worker", body=exact, to_worker=str(demo["priya"]))
    assert response.status_code == 302
    assert _count(app, select(func.count(Message.id)).where(Message.body == exact.strip())) == 1


def test_workers_answer_over_the_limit_comes_back_whole(app, client_for, demo):
    maya = client_for("maya")
    assert (
        _post(maya, "/messages/social-worker", body="Hello", to_worker=str(demo["priya"])).status_code == 302
    )
    thread_id = _count(app, select(MessageThread.id).where(MessageThread.young_person_id == demo["maya"]))
    priya = client_for("priya")
    before = _count(app, select(func.count(Message.id)))
    long = _text(2001, "Thank you ")
    _refused_and_kept(_post(priya, f"/inbox/{thread_id}", body=long), long, 1)
    assert _count(app, select(func.count(Message.id))) == before
    exact = _text(2000, "Thank you ")
    assert _post(priya, f"/inbox/{thread_id}", body=exact).status_code == 302
    assert _count(app, select(func.count(Message.id)).where(Message.body == exact.strip())) == 1


def test_review_preparation_over_the_limit_comes_back_whole_and_autosave_says_why(app, client_for, demo):
    maya = client_for("maya")
    long = _text(4001)
    _refused_and_kept(_post(maya, "/review/prepare", going_well=long), long, 1)
    assert _count(app, select(func.count(ReviewPreparation.id))) == 0

    token = csrf_token(maya, "/review/prepare")
    response = maya.post(
        "/review/prepare",
        data={"going_well": "School", "not_going_well": long},
        headers={"X-Autosave": "1", "X-CSRFToken": token},
    )
    assert response.status_code == 400
    assert "What is not going well?" in response.get_json()["message"]
    assert "1 character too many" in response.get_json()["message"]
    assert _count(app, select(func.count(ReviewPreparation.id))) == 0

    exact = _text(4000)
    assert _post(maya, "/review/prepare", going_well=exact).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(ReviewPreparation.going_well)) == exact.strip()


def test_staff_card_over_the_limits_comes_back_whole(app, client_for, demo):
    alex = client_for("alex")
    about, hours = _text(601, "I like cooking "), _text(201, "Evenings ")
    data = {"phone": "", "email": "", "version": "1"}
    _refused_and_kept(
        _post(alex, "/account/card", about_me=about, working_hours="Evenings", **data), about, 1
    )
    _refused_and_kept(_post(alex, "/account/card", about_me="Hello", working_hours=hours, **data), hours, 1)
    phone = "0" * 41
    _refused_and_kept(
        _post(alex, "/account/card", about_me="Hi", working_hours="", **{**data, "phone": phone}), phone, 1
    )
    with app.app_context():
        assert (
            db.session.scalar(select(StaffCard.about_me).where(StaffCard.user_id == demo["alex"])) or ""
        ) != about

    exact_about, exact_hours = _text(600, "I like cooking "), _text(200, "Evenings ")
    response = _post(alex, "/account/card", about_me=exact_about, working_hours=exact_hours, **data)
    assert response.status_code == 302
    with app.app_context():
        card = db.session.scalar(select(StaffCard).where(StaffCard.user_id == demo["alex"]))
        assert (card.about_me.strip(), card.working_hours.strip()) == (
            exact_about.strip(),
            exact_hours.strip(),
        )


def test_contact_over_the_limits_comes_back_whole(app, client_for, demo):
    priya = client_for("priya")
    before = _count(app, select(func.count(YoungPersonContact.id)))
    path = f"/care/young-people/{demo['maya']}/contacts"
    data = {"kind": "advocate", "phone": "01632 960300", "email": "", "starts_on": ""}
    name = _text(121, "Sam ")
    _refused_and_kept(_post(priya, path, name=name, about="", **data), name, 1)
    about = _text(402, "Helps you ")
    _refused_and_kept(_post(priya, path, name="Sam", about=about, **data), about, 2)
    assert _count(app, select(func.count(YoungPersonContact.id))) == before

    exact_name, exact_about = _text(120, "Sam "), _text(400, "Helps you ")
    assert _post(priya, path, name=exact_name, about=exact_about, **data).status_code == 302
    with app.app_context():
        contact = db.session.scalar(
            select(YoungPersonContact).where(YoungPersonContact.name == exact_name.strip())
        )
        assert (contact.name, contact.about) == (exact_name.strip(), exact_about.strip())


@pytest.mark.parametrize("path", ["/complaints/new", "/review/prepare", "/messages/social-worker"])
def test_limited_boxes_show_their_limit_without_javascript(app, client_for, demo, path):
    maya = client_for("maya")
    html = maya.get(path).get_data(as_text=True)
    assert "You can write up to" in html and 'aria-live="polite"' in html
    assert "maxlength" not in html


def _skill_for_young_people(app) -> int:
    with app.app_context():
        return db.session.scalar(
            select(Skill.id).where(Skill.starts_at_age <= 11).order_by(Skill.id.desc()).limit(1)
        )


def _step(client, path, to_step, expected, note="", json=False):
    return client.post(
        path,
        data={
            "csrf_token": csrf_token(client, "/"),
            "to_step": to_step,
            "expected_step": expected,
            "note": note,
            "idempotency_key": uuid.uuid4().hex,
        },
        headers={"Accept": "application/json"} if json else {},
    )


def test_skill_note_over_the_limit_comes_back_in_its_box_and_the_limit_is_kept_whole(app, client_for, demo):
    skill = _skill_for_young_people(app)
    jordan, alex, tom = (client_for(name) for name in ("jordan", "alex", "tom"))
    yp = demo["jordan"]
    staff_path = f"/care/young-people/{yp}/passport/skills/{skill}"
    assert _step(jordan, f"/passport/skills/{skill}", "learning", "not_started").status_code == 302

    # The carer, without JavaScript: the page comes back with the note in its box.
    long = _text(501, "Well done ")
    response = _step(alex, staff_path, "practised", "learning", long)
    html = _refused_and_kept(response, long, 1)
    assert 'aria-invalid="true"' in html and 'data-count-to="500"' in html
    # With JavaScript (the offline queue), the refusal says the same.
    refused = _step(alex, staff_path, "practised", "learning", long, json=True)
    assert refused.status_code == 409 and "1 character too many" in refused.get_json()["message"]
    with app.app_context():
        assert db.session.scalar(select(func.count(SkillEvent.id)).where(SkillEvent.note == long)) == 0

    exact = _text(500, "Well done ")
    assert _step(alex, staff_path, "practised", "learning", exact).status_code == 302
    with app.app_context():
        assert (
            db.session.scalar(select(func.count(SkillEvent.id)).where(SkillEvent.note == exact.strip())) == 1
        )

    # The worker's queue: the note and the ticks come back; nothing changes.
    assert _step(jordan, f"/passport/skills/{skill}", "can_do", "practised").status_code == 302
    item = f"{yp}:{skill}"
    response = _post(tom, "/care/passport-queue", item=item, decision="send_back", note=long)
    html = _refused_and_kept(response, long, 1)
    assert f'value="{item}" id=' in html and "checked" in html
    with app.app_context():
        assert (
            db.session.scalar(
                select(SkillProgress.step).where(
                    SkillProgress.skill_id == skill, SkillProgress.young_person_id == yp
                )
            ).value
            == "can_do"
        )


def test_officers_note_over_the_limit_comes_back_in_its_box(app, client_for, demo):
    maya = client_for("maya")
    form = {"what_happened": "Shouted.", "put_right": "Sorry.", "wants_advocate": "no", "send": "1"}
    assert _post(maya, "/complaints/new", **form).status_code == 302
    with app.app_context():
        complaint = db.session.scalar(select(Complaint).order_by(Complaint.id.desc()).limit(1))
        complaint_id, lock = complaint.id, complaint.lock_version
    lee = client_for("lee")
    path = f"/officer/complaints/{complaint_id}/withdraw"
    long = _text(4001, "Maya asked ")
    response = _post(lee, path, lock_version=lock, note=long)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert TOO_LONG in html and "has 1 character too many" in html
    assert f">{long}</textarea>" in html.replace("&#39;", "'")
    assert re.search(r'aria-describedby="withdraw-note-error withdraw-note-count"', html)
    with app.app_context():
        assert db.session.get(Complaint, complaint_id).status.value == "open"

    exact = _text(4000, "Maya asked ")
    assert _post(lee, path, lock_version=lock, note=exact).status_code == 302
    with app.app_context():
        assert db.session.get(Complaint, complaint_id).status.value == "withdrawn"
        notes = db.session.scalars(
            select(ComplaintEvent.note).where(ComplaintEvent.complaint_id == complaint_id)
        )
        assert exact.strip() in list(notes)
