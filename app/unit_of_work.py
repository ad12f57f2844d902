"""One unit of work per request and per CLI command.

Services and views add and change rows; none of them commits. A request's changes are
committed once, after its view has answered, if the answer is a success (below 400) and
nothing said to throw them away; any other answer, and any exception, rolls them back. A
rule that says no (a `Problem`) rolls the request back where the view catches it, with
`discard()`. CLI commands commit where they choose (each batch of a sender, each step of a
command), since they have no request to end.

Audit events of refusals and failures are written through a connection of their own
(app.audit), so they are kept even when the request's own changes are not.

A read (GET or HEAD) whose database connection dropped while its view ran is run once more,
in a fresh unit of work: nothing of the first try was committed, since a request commits
only after its view has answered. A POST is never run twice; it gets the "try again in a
minute" page (app/errors.py) and the person decides.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, Response, current_app, g, has_request_context, request
from flask.typing import ResponseReturnValue

from app.database import dropped
from app.extensions import db

# Requests that only read, so running their view twice is safe.
READS = frozenset({"GET", "HEAD"})


def init_app(app: Flask) -> None:
    app.after_request(_finish)
    # dispatch_request runs the view alone, after every before_request check has passed: a
    # second try repeats the view, never skips a check.
    app.dispatch_request = _reads_tried_twice(app.dispatch_request)  # type: ignore[method-assign]
    # An exception that escaped every handler: Flask-SQLAlchemy's teardown closes the
    # session, which rolls back whatever was left, so nothing half-done is ever committed.


def discard() -> None:
    """Throws away what this request (or command) has changed so far, and makes sure
    nothing it changes later is committed either: a rule said no."""
    db.session.rollback()
    if has_request_context():
        g.discard_changes = True


def start_again() -> None:
    """Rolls back what this request has written so far and lets it go on in a new
    transaction: for a write that found, before changing anything, that it must not go
    the way it began (app.sent_once: a send that turned out to be a repeat)."""
    db.session.rollback()


def discarded() -> bool:
    return has_request_context() and bool(g.get("discard_changes"))


def _reads_tried_twice(dispatch: Callable[[], ResponseReturnValue]) -> Callable[[], ResponseReturnValue]:
    def dispatch_request() -> ResponseReturnValue:
        try:
            return dispatch()
        except Exception as error:
            if request.method not in READS or not dropped(error):
                raise
            current_app.logger.warning(
                "database connection dropped during %s; trying once more", request.path
            )
            _afresh()
            return dispatch()

    return dispatch_request


def _afresh() -> None:
    """A fresh unit of work on a fresh connection: the first try's changes are gone, and
    the person is loaded again (their row was read on the connection that dropped)."""
    db.session.rollback()
    g.pop("discard_changes", None)
    g.pop("_login_user", None)


def _finish(response: Response) -> Response:
    if response.status_code < 400 and not discarded():
        db.session.commit()
    else:
        db.session.rollback()
    return response
