"""Writes safe to repeat (issue 14, part 4): the same form sent twice with its key (a
double tap, a retry after a dropped answer) stores one; the same key with another change
is refused with what was typed kept; another person's key is theirs alone."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from app import sent_once
from app.extensions import db
from app.models import Message, SentOnce
from tests.conftest import csrf_token

KEY = re.compile(r'name="send_key" type="hidden" value="([0-9a-f]{32})"')


def _key(client, path: str) -> str:
    html = client.get(path).get_data(as_text=True)
    match = KEY.search(html)
    assert match, f"no send key on {path}"
    return match.group(1)


def _messages(app, body: str) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Message).where(Message.body == body))


def test_a_message_sent_twice_with_its_key_is_stored_once(app, demo, client_for):
    maya = client_for("maya")
    path = "/messages/social-worker"
    key, token = _key(maya, path), csrf_token(maya, path)
    data = {"csrf_token": token, "send_key": key, "body": "Can we meet on Friday?"}
    first = maya.post(path, data=data)
    again = maya.post(path, data=data)
    assert first.status_code == again.status_code == 302
    assert again.headers["Location"] == first.headers["Location"]  # the same message
    assert _messages(app, "Can we meet on Friday?") == 1


def test_the_same_key_with_other_words_is_refused_and_keeps_them(app, demo, client_for):
    maya = client_for("maya")
    path = "/messages/social-worker"
    key, token = _key(maya, path), csrf_token(maya, path)
    maya.post(path, data={"csrf_token": token, "send_key": key, "body": "First words"})
    response = maya.post(path, data={"csrf_token": token, "send_key": key, "body": "Other words"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "nothing was saved" in html and "Other words" in html
    assert _messages(app, "Other words") == 0
    # The page gives a new key, so sending again from it works.
    new_key = KEY.search(html)
    assert new_key and new_key.group(1) != key
    maya.post(path, data={"csrf_token": token, "send_key": new_key.group(1), "body": "Other words"})
    assert _messages(app, "Other words") == 1


def test_a_key_is_one_persons_own(app, demo, client_for):
    maya, jordan = client_for("maya"), client_for("jordan")
    path = "/messages/social-worker"
    key = _key(maya, path)
    maya.post(path, data={"csrf_token": csrf_token(maya, path), "send_key": key, "body": "Hello from Maya"})
    jordan.post(
        path, data={"csrf_token": csrf_token(jordan, path), "send_key": key, "body": "Hello from Jordan"}
    )
    assert _messages(app, "Hello from Maya") == _messages(app, "Hello from Jordan") == 1


def test_a_workers_reply_sent_twice_is_stored_once(app, demo, client_for):
    with app.app_context():
        thread_id = db.session.scalar(
            select(Message.thread_id).where(Message.sender_id == demo["maya"]).limit(1)
        )
    priya = client_for("priya")
    path = f"/inbox/{thread_id}"
    data = {"csrf_token": csrf_token(priya, path), "send_key": _key(priya, path), "body": "See you then."}
    priya.post(path, data=data)
    priya.post(path, data=data)
    assert _messages(app, "See you then.") == 1


@pytest.mark.parametrize("key", ["", "short", "x" * 65, "not a key!"])
def test_a_key_our_pages_did_not_make_protects_nothing_and_stops_nothing(app, demo, client_for, key):
    maya = client_for("maya")
    path = "/messages/social-worker"
    body = f"Sent with {key!r}"
    response = maya.post(path, data={"csrf_token": csrf_token(maya, path), "send_key": key, "body": body})
    assert response.status_code == 302
    assert _messages(app, body) == 1


def test_a_refused_send_does_not_use_up_its_key(app, demo, client_for):
    maya = client_for("maya")
    path = "/messages/social-worker"
    key, token = _key(maya, path), csrf_token(maya, path)
    # Empty: the rule refuses it, and the key is not kept with the refused send.
    maya.post(path, data={"csrf_token": token, "send_key": key, "body": "   "})
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SentOnce)) == 0
    maya.post(path, data={"csrf_token": token, "send_key": key, "body": "Now with words"})
    assert _messages(app, "Now with words") == 1


def test_change_of_tells_changes_apart():
    assert sent_once.change_of("message", 1, "a") == sent_once.change_of("message", 1, "a")
    assert sent_once.change_of("message", 1, "a") != sent_once.change_of("message", 1, "b")
    assert sent_once.change_of("message", 1, "a") != sent_once.change_of("reply", 1, "a")


def test_i_dont_feel_safe_sent_twice_raises_one_alert_and_another_change_still_goes(app, demo, client_for):
    from app.models import SafetyAlert

    def alerts() -> int:
        with app.app_context():
            return db.session.scalar(select(func.count()).select_from(SafetyAlert))

    before = alerts()
    maya = client_for("maya")
    key, token = _key(maya, "/not-safe"), csrf_token(maya, "/not-safe")
    data = {"csrf_token": token, "send_key": key, "to": "anyone", "place": "", "body": "Help please"}
    assert maya.post("/not-safe", data=data).status_code == 302
    assert maya.post("/not-safe", data=data).status_code == 302
    assert alerts() == before + 1
    # The same key with other words is never refused: an alert always goes.
    assert maya.post("/not-safe", data={**data, "body": "It is worse now"}).status_code == 302
    assert alerts() == before + 2


def test_a_complaint_sent_twice_is_one_complaint(app, demo, client_for):
    from app.models import Complaint

    def complaints() -> int:
        with app.app_context():
            return db.session.scalar(select(func.count()).select_from(Complaint))

    before = complaints()
    maya = client_for("maya")
    path = "/complaints/new"
    data = {
        "csrf_token": csrf_token(maya, path),
        "send_key": _key(maya, path),
        "send": "1",
        "what_happened": "My phone was taken.",
        "put_right": "Give it back.",
        "about_who": "",
        "wants_advocate": "no",
    }
    first, again = maya.post(path, data=data), maya.post(path, data=data)
    assert first.status_code == again.status_code == 302
    assert again.headers["Location"] == first.headers["Location"]
    assert complaints() == before + 1


def test_a_promise_answer_sent_twice_is_kept_once(app, demo, client_for):
    from app.models import PromiseAnswer

    maya = client_for("maya")
    html = maya.get("/promise").get_data(as_text=True)
    match = re.search(r'name="c(\d+)-send_key" type="hidden" value="([0-9a-f]{32})"', html)
    assert match, "no send key on the Promise's answer forms"
    commitment_id, key = match.groups()
    data = {
        "csrf_token": csrf_token(maya, "/promise"),
        f"c{commitment_id}-send_key": key,
        f"c{commitment_id}-answer": "no",
        f"c{commitment_id}-words": "Nobody listens.",
    }
    path = f"/promise/answers/{commitment_id}"
    assert maya.post(path, data=data).status_code == maya.post(path, data=data).status_code == 302
    with app.app_context():
        kept = db.session.scalar(
            select(func.count()).select_from(PromiseAnswer).where(PromiseAnswer.words == "Nobody listens.")
        )
    assert kept == 1


def test_sharing_review_preparation_twice_is_not_changed_meanwhile(app, demo, client_for):
    maya = client_for("maya")
    path = "/review/prepare"
    html = maya.get(path).get_data(as_text=True)
    lock = re.search(r'name="lock_version" type="hidden" value="(\d*)"', html)
    data = {
        "csrf_token": csrf_token(maya, path),
        "send_key": _key(maya, path),
        "lock_version": lock.group(1) if lock else "",
        "share": "1",
        "going_well": "School is good.",
    }
    assert maya.post(path, data=data).status_code == 302
    maya.get(path)  # the first answer's page, as the phone would have shown it
    again = maya.post(path, data=data, follow_redirects=True).get_data(as_text=True)
    assert "changed on another phone" not in again
    assert "School is good." in again
