"""A database that fails on purpose, for the tests of failing well: every statement (or the
first few) is refused before it reaches the database, as a dropped connection or as an
error of the database's own, the same on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import event

from app.extensions import db


@dataclass
class Failures:
    """What the database was asked while it was failing."""

    on: bool = True
    times: int | None = None  # fail this many statements, then work again; None: all
    attempts: list[str] = field(default_factory=list)


@contextmanager
def database_fails(app, *, dropped: bool, times: int | None = None, on: bool = True) -> Iterator[Failures]:
    """Every statement sent while `failures.on` (or only the first `times`) fails before it
    reaches the database: as a dropped connection when `dropped` (SQLAlchemy invalidates
    it, as when a server restarts), or as an error of the database's own. The same on
    SQLite and PostgreSQL."""
    with app.app_context():
        engine = db.engine
    failures = Failures(on=on, times=times)
    dbapi_error = engine.dialect.loaded_dbapi.OperationalError
    Failed = type("Failed", (dbapi_error,), {})

    def refuse(conn, cursor, statement, parameters, context, executemany):
        if not failures.on:
            return
        failures.attempts.append(statement)
        if failures.times is not None and len(failures.attempts) > failures.times:
            return
        raise Failed("the connection dropped (a test)" if dropped else "the database failed (a test)")

    def as_a_disconnect(context):
        if dropped and isinstance(context.original_exception, Failed):
            context.is_disconnect = True

    app.extensions["database_fails"] = failures
    event.listen(engine, "before_cursor_execute", refuse)
    event.listen(engine, "handle_error", as_a_disconnect)
    try:
        yield failures
    finally:
        event.remove(engine, "before_cursor_execute", refuse)
        event.remove(engine, "handle_error", as_a_disconnect)
