"""After a version conflict (someone else saved first), the page shows what is saved now and
the person's own words, and carries the new version so the next save works (issue 12,
finding 19). The plan and Promise drafts have theirs in tests/test_plans.py and
tests/test_promise.py; these are the other forms with a lock_version."""

from __future__ import annotations

import pytest

from tests.page_forms import parse, submit


def _form(html: str, *, has: str) -> dict:
    """The form with that field, as sent by its "Save" button (the complaint's first button
    sends it; "Save for later" keeps it a draft)."""
    form = next(f for f in parse(html).forms if any(c.get("name") == has for c in f["controls"]))
    buttons = [c for c in form["controls"] if c["tag"] == "button"]
    save = next((b for b in buttons if b.get("value") == "0"), None)
    if save is not None:
        form["controls"] = [save, *(c for c in form["controls"] if c not in buttons)]
    return form


def _set(form: dict, name: str, value: str) -> None:
    next(c for c in form["controls"] if c.get("name") == name)["value"] = value


CASES = [
    # (account, page, the field typed in)
    pytest.param("maya", "/review/prepare", "going_well", id="review preparation"),
    pytest.param("sam", "/health-passport", "gp", id="health passport"),
    pytest.param("maya", "/complaints/new", "what_happened", id="complaint draft"),
]


@pytest.mark.parametrize(("username", "page", "name"), CASES)
def test_after_a_conflict_both_versions_show_and_saving_again_works(
    app, client_for, demo, username, page, name
):
    mine, theirs = client_for(username), client_for(username)
    # A first save, so both pages show a record with a version.
    first = _form(mine.get(page).get_data(as_text=True), has=name)
    _set(first, name, "Words saved first.")
    assert submit(mine, page, first)[2].status_code == 302

    my_form = _form(mine.get(page).get_data(as_text=True), has=name)
    their_form = _form(theirs.get(page).get_data(as_text=True), has=name)
    _set(their_form, name, "Their words, saved meanwhile.")
    assert submit(theirs, page, their_form)[2].status_code == 302

    _set(my_form, name, "My own words.")
    response = submit(mine, page, my_form)[2]
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "data-saved-meanwhile" in html and "Their words, saved meanwhile." in html
    assert "My own words." in html

    again = _form(html, has=name)
    assert submit(mine, page, again)[2].status_code == 302
    saved = _form(mine.get(page).get_data(as_text=True), has=name)
    assert next(c for c in saved["controls"] if c.get("name") == name)["value"].strip() == "My own words."
