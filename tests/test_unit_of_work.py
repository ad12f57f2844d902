"""One unit of work per request: a successful answer commits once, anything else changes
nothing, and a refusal is kept in the audit log even when the request's own changes roll
back (app/unit_of_work.py, app/audit.py)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from app import access, audit, unit_of_work
from app.domain.problems import Problem
from app.extensions import db
from app.models import AuditEvent, User

APP = Path(__file__).resolve().parents[1] / "app"


def _routes(app, demo):
    """Views that change the demo young person's name and then end in different ways. They
    are added to the real app, so the real unit of work runs around them."""

    def change() -> User:
        user = db.session.get_one(User, demo["sam"])
        user.full_name = "Changed by the request"
        db.session.flush()  # written to the database, not yet committed
        return user

    @app.get("/_uow/ok")
    def ok():
        change()
        return "ok"

    @app.get("/_uow/redirect")
    def moved():
        change()
        return "", 302, {"Location": "/"}

    @app.get("/_uow/refused")
    def refused():
        change()
        access.refuse("test_refusal", asked_for=demo["sam"])

    @app.get("/_uow/problem")
    def problem():
        change()
        try:
            raise Problem("no")
        except Problem:
            unit_of_work.discard()
        # Anything added after the rule said no is not kept either.
        db.session.get_one(User, demo["sam"]).full_name = "Added after the refusal"
        return "told why", 200

    @app.get("/_uow/error")
    def error():
        change()
        raise RuntimeError("a bug")

    @app.get("/_uow/refused-then-error")
    def refused_then_error():
        change()
        audit.refused("test_refusal", actor_id=None, asked_for=demo["sam"])
        raise RuntimeError("a bug after the refusal")

    @app.get("/_uow/conflict")
    def conflict():
        change()
        return "someone else saved first", 409


def _name(app, demo) -> str:
    with app.app_context():
        return db.session.get_one(User, demo["sam"]).full_name


def _refusals(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.action).where(AuditEvent.outcome == "refused")))


@pytest.fixture
def uow_client(app, demo):
    app.config["PROPAGATE_EXCEPTIONS"] = False  # a bug answers 500, as in production
    _routes(app, demo)
    return app.test_client()


@pytest.mark.parametrize("path", ["/_uow/ok", "/_uow/redirect"])
def test_a_successful_answer_keeps_the_changes(app, demo, uow_client, path):
    uow_client.get(path)
    assert _name(app, demo) == "Changed by the request"


@pytest.mark.parametrize("path", ["/_uow/error", "/_uow/conflict", "/_uow/problem"])
def test_any_other_answer_keeps_nothing(app, demo, uow_client, path):
    before = _name(app, demo)
    response = uow_client.get(path)
    assert response.status_code in (200, 409, 500)
    assert _name(app, demo) == before


def test_a_refusal_is_audited_while_the_requests_changes_roll_back(app, demo, uow_client):
    before = _name(app, demo)
    assert uow_client.get("/_uow/refused").status_code == 404
    assert _name(app, demo) == before
    assert _refusals(app) == ["test_refusal"]


def test_a_refusal_is_kept_even_when_the_request_then_fails(app, demo, uow_client):
    before = _name(app, demo)
    assert uow_client.get("/_uow/refused-then-error").status_code == 500
    assert _name(app, demo) == before
    assert _refusals(app) == ["test_refusal"]


def test_a_request_commits_once(app, demo, uow_client):
    commits: list[int] = []
    listener = lambda session: commits.append(1)  # noqa: E731
    event.listen(Session, "after_commit", listener)
    try:
        uow_client.get("/_uow/ok")
    finally:
        event.remove(Session, "after_commit", listener)
    assert len(commits) == 1


def test_objects_are_read_again_after_a_commit(app, demo):
    # expire_on_commit is back to SQLAlchemy's default: nothing stale survives a commit.
    with app.app_context():
        user = db.session.get_one(User, demo["sam"])
        db.session.commit()
        assert "full_name" not in user.__dict__


# Where a commit may be written: the unit of work, the audit log's own connection, and the
# CLI commands (which have no request to end). Services and views never commit.
MAY_COMMIT = {
    "unit_of_work.py": "the end of every request",
    "audit.py": "a refusal's own connection",
}


def _commits(path: Path) -> list[tuple[int, str]]:
    """(line, enclosing function) of every `.commit(` call and `.commit` passed on."""
    tree = ast.parse(path.read_text())
    found: list[tuple[int, str]] = []

    def visit(node: ast.AST, function: str, commands: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                decorators = ast.unparse(child.decorator_list) if child.decorator_list else ""
                is_command = commands or ".command(" in decorators or "command" in decorators
                visit(child, child.name if not is_command else f"command:{child.name}", is_command)
                continue
            if isinstance(child, ast.Attribute) and child.attr in ("commit", "rollback"):
                found.append((child.lineno, function))
            visit(child, function, commands)

    visit(tree, "<module>", False)
    return found


def test_only_the_unit_of_work_and_the_commands_commit():
    outside = []
    for path in sorted(APP.rglob("*.py")):
        relative = path.relative_to(APP).as_posix()
        if relative in MAY_COMMIT:
            continue
        for line, function in _commits(path):
            in_a_command = function.startswith("command:") or path.name == "commands.py"
            if not in_a_command:
                outside.append(f"app/{relative}:{line} in {function}")
    assert not outside, "commit or rollback outside the unit of work:\n" + "\n".join(outside)


def test_views_leave_the_audit_log_to_the_services_and_the_access_layer():
    # The service that did something knows what it did; a view only translates HTTP.
    writers = [
        f"app/{path.relative_to(APP).as_posix()}"
        for path in sorted(APP.rglob("*views.py")) + sorted(APP.rglob("officer.py"))
        if "audit.record(" in path.read_text()
    ]
    assert not writers, "views writing audit events themselves: " + ", ".join(writers)


def test_a_worker_looking_at_a_passport_is_audited_as_a_look_not_a_sign_off(app, demo, client_for):
    # The policy lets Priya approve Maya's skills; opening the page approves nothing.
    response = client_for("priya").get(f"/care/young-people/{demo['maya']}/passport")
    assert response.status_code == 200
    with app.app_context():
        events = db.session.scalars(
            select(AuditEvent).where(
                AuditEvent.actor_id == demo["priya"], AuditEvent.young_person_id == demo["maya"]
            )
        ).all()
        assert [(e.action, e.detail) for e in events] == [("viewed", {"page": "passport.passport_for"})]


# Where a rule's "no" is caught without throwing the request's changes away, and why.
KEEPS_GOING = {
    "app/auth/views.py": "audit.failed throws them away itself",
    "app/contact/staff_views.py": "the hours and away rules are checked before anything changes",
    "app/passport/views.py": "signing off several skills: each in a savepoint of its own",
}


def test_a_view_that_catches_a_rules_no_throws_the_requests_changes_away():
    missing = []
    for path in sorted(APP.rglob("*.py")):
        relative = f"app/{path.relative_to(APP).as_posix()}"
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.ExceptHandler) or node.type is None:
                continue
            caught = node.type.elts if isinstance(node.type, ast.Tuple) else [node.type]
            if not any(ast.unparse(c).endswith(("Problem", "ConcurrentChange")) for c in caught):
                continue
            body = ast.unparse(node)
            if "discard()" in body or "raise" in body or relative in KEEPS_GOING:
                continue
            missing.append(f"{relative}:{node.lineno}")
    assert not missing, "a rule's no caught with the changes kept:\n" + "\n".join(missing)


def test_a_savepoint_inside_a_request_commits_nothing_on_its_own(app, demo):
    # On SQLite the driver once let a SAVEPOINT begin a transaction that its RELEASE
    # committed, so a savepoint as a request's first write was kept whatever came after.
    with app.app_context():
        with db.session.begin_nested():
            db.session.get_one(User, demo["sam"]).full_name = "Inside a savepoint"
        db.session.rollback()
    assert _name(app, demo) != "Inside a savepoint"
