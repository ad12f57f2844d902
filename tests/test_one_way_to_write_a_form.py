"""One way to write a form (issue 13, part 2): the form macros write every CSRF field, every
POST goes through a form class, and enum labels are written once, in Python."""

from __future__ import annotations

import re
from enum import Enum
from pathlib import Path

import pytest

from app import labels
from app.domain import complaints, messages, passport, reminders, roles, safety
from app.domain.ages import PromiseBand
from app.extensions import db
from app.models import Notification
from tests.conftest import csrf_token, make_app, page_html, signed_in
from tests.page_forms import parse

APP = Path(__file__).resolve().parent.parent / "app"
TEMPLATES = APP / "templates"
FORM_MACROS = TEMPLATES / "_macros" / "forms.html"

# Where reading the request's form body directly is the point: the one place that cleans
# every request's text before any view or form sees it.
MAY_READ_REQUEST_FORM = {APP / "clean_input.py"}


def _templates():
    return sorted(TEMPLATES.rglob("*.html"))


def test_only_the_form_macros_write_a_csrf_field():
    """A hand-written token is how a form came to have none ("Add a right or a promise"
    could never be saved): post_form and button_form write it, nothing else does."""
    written = [
        f"{path.relative_to(TEMPLATES)}:{number}"
        for path in _templates()
        if path != FORM_MACROS
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if 'name="csrf_token"' in line or re.search(r"\.csrf_token\s*\}\}", line)
    ]
    assert not written, f"use post_form or button_form (_macros/forms.html): {written}"


def test_every_post_form_in_a_template_is_written_by_a_macro():
    # The quick-exit form carries no token on purpose (auth.views.leave says why).
    allowed = {"_partials/quick_exit.html"}
    hand_written = [
        str(path.relative_to(TEMPLATES))
        for path in _templates()
        if path != FORM_MACROS and str(path.relative_to(TEMPLATES)) not in allowed
        if re.search(r'<form[^>]*method="post"', path.read_text())
    ]
    assert not hand_written, f"write these forms with post_form or button_form: {hand_written}"


def test_no_view_reads_the_request_form_itself():
    """Every POST goes through a form class: a view that reads request.form skips the
    form's checks (its CSRF token, its field limits, its messages)."""
    readers = [
        f"{path.relative_to(APP.parent)}:{number}"
        for path in sorted(APP.rglob("*.py"))
        if path not in MAY_READ_REQUEST_FORM
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if re.search(r"request\.(form|values)\b", line)
    ]
    assert not readers, f"read these through a form class (app/<feature>/forms.py): {readers}"


def test_no_template_compares_an_enum_by_its_value():
    """`role.value == 'carer'` goes on working when the member is renamed, and quietly
    stops being true: templates compare with the members (`role == Role.CARER`) or ask the
    enum (`status.is_finished`)."""
    comparisons = [
        f"{path.relative_to(TEMPLATES)}:{number}"
        for path in _templates()
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if re.search(r"\.value\s*(==|!=|in\b|not in\b)", line)
    ]
    assert not comparisons, comparisons


def _button_forms(html: str, action_ends: str) -> list[dict]:
    return [f for f in parse(html).forms if f["attrs"].get("action", "").endswith(action_ends)]


def test_a_single_button_form_carries_the_pages_csrf_token(app, demo):
    kim = signed_in(app.test_client(), "kim")
    html = page_html(kim, "/admin/promise")
    token = re.search(r'<meta name="csrf-token" content="([^"]+)"', html).group(1)
    forms = _button_forms(html, "/draft")
    assert len(forms) == 2  # "Start a new draft" for each version of the Promise
    for form in forms:
        assert form["attrs"]["method"] == "post"
        fields = {c.get("name"): c.get("value") for c in form["controls"] if c["tag"] == "input"}
        assert fields == {"csrf_token": token}
        assert next(c for c in form["controls"] if c["tag"] == "button")["type"] == "submit"


def test_the_sign_out_button_keeps_what_app_js_reads(app, demo):
    maya = signed_in(app.test_client(), "maya")
    (form,) = _button_forms(page_html(maya, "/"), "/logout")
    assert "data-sign-out" in form["attrs"]
    assert form["attrs"]["data-owner"] == str(demo["maya"])
    assert form["attrs"]["class"] == "inline-form"
    assert [c["name"] for c in form["controls"] if c["tag"] == "input"] == ["csrf_token"]


def _unread(app, user_id: int) -> int:
    with app.app_context():
        return len(
            db.session.scalars(
                db.select(Notification).where(Notification.user_id == user_id, Notification.read_at.is_(None))
            ).all()
        )


@pytest.mark.parametrize("app_wide_check", [True, False], ids=["csrfprotect-on", "form-class-alone"])
def test_a_button_without_its_token_is_refused_by_its_form_class(app, demo, database_url, app_wide_check):
    """With CSRFProtect's own check turned off, the button's form class (ButtonForm) still
    refuses a post without the token: nothing changes, and the person is told plainly."""
    maya_app = make_app(database_url, WTF_CSRF_CHECK_DEFAULT=app_wide_check)
    maya = signed_in(maya_app.test_client(), "maya")
    with maya_app.app_context():
        db.session.add(
            Notification(
                user_id=demo["maya"], reason=reminders.Reason.TEST, subject="test", dedupe_key="form-test"
            )
        )
        db.session.commit()
    before = _unread(maya_app, demo["maya"])
    assert before >= 1

    refused = maya.post("/notifications/read-all")
    assert refused.status_code == 400
    assert "nothing was saved" in refused.get_data(as_text=True)
    assert _unread(maya_app, demo["maya"]) == before

    sent = maya.post("/notifications/read-all", data={"csrf_token": csrf_token(maya, "/")})
    assert sent.status_code == 302
    assert _unread(maya_app, demo["maya"]) == 0


def test_sign_out_without_its_token_keeps_the_person_signed_in(app, demo, database_url):
    jordan_app = make_app(database_url, WTF_CSRF_CHECK_DEFAULT=False)
    jordan = signed_in(jordan_app.test_client(), "jordan")
    assert jordan.post("/logout").status_code == 400
    assert jordan.get("/account").status_code == 200


# Enums whose words were once written in templates, as Jinja dictionaries or `.value` tests.
MUST_HAVE_LABELS = (
    roles.Role,
    roles.AllocationKind,
    roles.CareStatus,
    complaints.Status,
    complaints.EventKind,
    complaints.Timeliness,
    passport.Step,
    reminders.Reason,
    reminders.Kind,
    messages.CallWay,
    messages.MessageKind,
    safety.TeamKind,
    safety.Because,
    safety.Outcome,
    safety.EventKind,
    PromiseBand,
)


def test_every_member_of_every_labelled_enum_has_a_label(app):
    """A new member without words would show as an empty space (or break the page)."""
    registered = labels.labelled()
    missing_enums = [e.__name__ for e in MUST_HAVE_LABELS if e not in registered]
    assert not missing_enums, f"no labels registered for {missing_enums}"
    missing = [
        f"{enum.__module__}.{enum.__name__}.{member.name}"
        for enum, words in registered.items()
        for member in enum
        if not str(words.get(member, "")).strip()
    ]
    assert not missing, f"members without a label: {missing}"
    extra = [
        f"{enum.__name__}: {key!r}"
        for enum, words in registered.items()
        for key in words
        if not isinstance(key, enum)
    ]
    assert not extra, f"labels for something that is not a member: {extra}"


def test_the_label_filter_says_the_words_in_the_readers_language(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        render = app.jinja_env.from_string("{{ role|label }} / {{ step|label }}").render
        assert render(role=roles.Role.MANAGER, step=passport.Step.CAN_DO) == "Service manager / I can do this"


def test_an_enum_without_labels_fails_loudly():
    class Colour(Enum):
        RED = "red"

    with pytest.raises(KeyError, match="no label for"):
        labels.label(Colour.RED)


def test_labels_moved_out_of_templates_keep_their_arabic(app):
    """The words moved from templates to Python kept their msgids, so the Arabic catalog
    still has them: each of these comes out in Arabic, not in English."""
    moved = (
        roles.Role,
        roles.AllocationKind,
        roles.CareStatus,
        complaints.Status,
        complaints.EventKind,
        complaints.Timeliness,
        messages.CallWay,
        messages.MessageKind,
        PromiseBand,
    )
    english, arabic = {}, {}
    for language, said in (("en", english), ("ar", arabic)):
        with app.test_request_context(headers={"Accept-Language": language}):
            for enum in moved:
                for member in enum:
                    said[member] = str(labels.label(member))
    untranslated = [f"{type(m).__name__}.{m.name}" for m in english if arabic[m] == english[m]]
    assert not untranslated, untranslated
