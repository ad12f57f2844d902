"""One unit of work per request and per CLI command.

Services and views add and change rows; none of them commits. A request's changes are
committed once, after its view has answered, if the answer is a success (below 400) and
nothing said to throw them away; any other answer, and any exception, rolls them back. A
rule that says no (a `Problem`) rolls the request back where the view catches it, with
`discard()`. CLI commands commit where they choose (each batch of a sender, each step of a
command), since they have no request to end.

Audit events of refusals and failures are written through a connection of their own
(app.audit), so they are kept even when the request's own changes are not.
"""

from __future__ import annotations

from flask import Flask, Response, g, has_request_context

from app.extensions import db


def init_app(app: Flask) -> None:
    app.after_request(_finish)
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


def _finish(response: Response) -> Response:
    if response.status_code < 400 and not discarded():
        db.session.commit()
    else:
        db.session.rollback()
    return response
