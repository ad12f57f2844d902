"""The suite's own set-up: it compiles the catalog it needs, gives each test process its
own database, and lets the apps of one run share what never changes between tests."""

from __future__ import annotations

import os
import shutil

from babel.messages.mofile import read_mo

from app.extensions import db
from tests.conftest import TRANSLATIONS, compile_catalogs, make_app, worker_database_url


def test_a_fresh_clone_gets_its_catalog_compiled_and_an_up_to_date_one_is_left_alone(tmp_path):
    messages = tmp_path / "ar" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    shutil.copy(TRANSLATIONS / "ar" / "LC_MESSAGES" / "messages.po", messages / "messages.po")
    assert compile_catalogs(tmp_path) == [messages / "messages.mo"]
    with (messages / "messages.mo").open("rb") as compiled:
        catalog = read_mo(compiled)
    assert any(message.string for message in catalog if message.id)
    assert compile_catalogs(tmp_path) == []
    # No temporary file is left beside them.
    assert sorted(p.name for p in messages.iterdir()) == ["messages.mo", "messages.po"]


def test_an_edited_catalog_is_compiled_again(tmp_path):
    messages = tmp_path / "ar" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    shutil.copy(TRANSLATIONS / "ar" / "LC_MESSAGES" / "messages.po", messages / "messages.po")
    compile_catalogs(tmp_path)
    mo_time = (messages / "messages.mo").stat().st_mtime
    os.utime(messages / "messages.po", (mo_time + 10, mo_time + 10))
    assert compile_catalogs(tmp_path) == [messages / "messages.mo"]


def test_each_test_process_has_a_database_of_its_own():
    url = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    assert worker_database_url(url, "gw1") == "postgresql+psycopg://postgres@127.0.0.1:5432/test_gw1"
    assert worker_database_url("postgresql+psycopg://u:secret@db/app", "gw0") == (
        "postgresql+psycopg://u:secret@db/app_gw0"
    )
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        assert worker_database_url(url) == url


def test_apps_of_one_run_share_the_engine_and_the_compiled_templates(database_url):
    first, second = make_app(database_url), make_app(database_url)
    with first.app_context():
        engine = db.engine
    with second.app_context():
        assert db.engine is engine
    assert first.jinja_env.bytecode_cache is second.jinja_env.bytecode_cache is not None


def test_each_test_process_has_an_instance_folder_of_its_own(database_url):
    """`reminders send-due` keeps its SQLite lock there: workers sharing the checkout's
    folder told each other "another send-due is running"."""
    first, second = make_app(database_url), make_app(database_url)
    checkout = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "instance"))
    assert first.instance_path == second.instance_path != checkout
