"""How the app talks to its database when things are not going well.

SQLite (the embedded default) runs in write-ahead-log mode with a busy timeout, so pages go
on being read while someone writes, and a writer waits a moment for another instead of
failing at once. `unavailable()` says whether an error means "the database cannot be
reached right now" (the page says "try again in a minute", 503) rather than a bug (500).
Dropped pooled connections are replaced before use by the engine's `pool_pre_ping`
(app/config.py); a read whose connection drops during the request is tried once more by
the unit of work (app/unit_of_work.py)."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from app.extensions import db

# How long a SQLite writer waits for another to finish before giving up (milliseconds).
SQLITE_BUSY_TIMEOUT_MS = 5000


def init_app(app: Flask) -> None:
    with app.app_context():
        engine = db.engine
    if engine.url.get_backend_name() == "sqlite" and not event.contains(engine, "begin", _sqlite_begin):
        # Python's sqlite3 driver begins a transaction only before a write and lets a
        # SAVEPOINT start one of its own, which its RELEASE then commits: a savepoint inside
        # a request would commit half of it. SQLAlchemy's recipe: the driver leaves
        # transactions alone and SQLAlchemy begins each one itself.
        event.listen(engine, "connect", _sqlite_driver_hands_off)
        event.listen(engine, "begin", _sqlite_begin)
    if is_sqlite_file(engine.url) and not event.contains(engine, "connect", _sqlite_pragmas):
        event.listen(engine, "connect", _sqlite_pragmas)


def is_sqlite_file(url: URL) -> bool:
    """A SQLite database kept in a file (an in-memory one has no journal to change)."""
    if url.get_backend_name() != "sqlite":
        return False
    name = url.database or ""
    return name not in ("", ":memory:") and "mode=memory" not in name and url.query.get("mode") != "memory"


def _sqlite_driver_hands_off(dbapi_connection, connection_record) -> None:
    dbapi_connection.isolation_level = None


def _sqlite_begin(connection) -> None:
    connection.exec_driver_sql("BEGIN")


def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    cursor = dbapi_connection.cursor()
    try:
        # The timeout first, so that switching the journal waits for a writer too.
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        # Readers no longer wait for a writer, nor a writer for readers. Kept in the file, so
        # this is a no-op once the database is in WAL mode. `synchronous` stays FULL (the
        # default): a message the app said it saved survives a power cut, not only a crash.
        cursor.execute("PRAGMA journal_mode = WAL")
    finally:
        cursor.close()


def unavailable(error: BaseException | None) -> bool:
    """Whether `error` means the database could not be reached or is too busy just now:
    a connection that dropped, one that could not be made, or SQLite still locked after
    its busy timeout. Anything else (a missing table, a broken constraint) is a bug."""
    if not isinstance(error, DBAPIError):
        return False
    if error.connection_invalidated or isinstance(error, InterfaceError):
        return True
    if isinstance(error, OperationalError):
        # No statement: the error came while connecting (refused, timed out, no such file).
        return error.statement is None or "database is locked" in str(error.orig)
    return False


def dropped(error: BaseException) -> bool:
    """A connection that was working dropped: a fresh one may well work at once."""
    return isinstance(error, DBAPIError) and error.connection_invalidated
