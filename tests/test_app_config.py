"""Configuration, demo data and the health check."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app import create_app
from app.demo import load_demo_data
from app.domain.ages import age_on
from app.extensions import db
from app.models import Allocation, LivingArrangement, Team, User, YoungPersonProfile
from app.timeutil import london_today

GOOD_PRODUCTION = {
    "APP_ENV": "production",
    "SECRET_KEY": "a-long-random-secret-for-the-tests-only",
    "SQLALCHEMY_DATABASE_URI": "sqlite://",
    "WEB_CONCURRENCY": "1",  # one process: its own sign-in counts are enough
}


@pytest.mark.parametrize("missing", ["SECRET_KEY", "SQLALCHEMY_DATABASE_URI"])
def test_production_refuses_to_start_without_its_settings(monkeypatch, missing):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    settings = {**GOOD_PRODUCTION, missing: None}
    with pytest.raises(RuntimeError, match="Production needs"):
        create_app(settings)


def test_production_reads_its_settings_from_the_environment(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "from-the-environment-and-long-enough-to-sign")
    monkeypatch.setenv("DATABASE_URL", "postgres://user@db.internal/care")
    monkeypatch.setenv("REDIS_URL", "redis://redis.internal:6379/0")
    app = create_app("production")
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://redis.internal:6379/0"
    assert app.config["SECRET_KEY"] == "from-the-environment-and-long-enough-to-sign"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://user@db.internal/care"


def test_production_starts_when_secret_key_was_set_before_the_app_was_imported(monkeypatch):
    """As on a real server: the environment is there before Python starts."""
    import importlib

    import app.config as config_module

    monkeypatch.setenv("SECRET_KEY", "set-before-import-and-long-enough-for-production")
    importlib.reload(config_module)
    try:
        config_module.ProductionConfig.check(
            {"SECRET_KEY": config_module.Config.SECRET_KEY, "SQLALCHEMY_DATABASE_URI": "sqlite://"}
        )
        with pytest.raises(RuntimeError, match="SECRET_KEY"):
            config_module.ProductionConfig.check(
                {"SECRET_KEY": config_module.DEVELOPMENT_SECRET_KEY, "SQLALCHEMY_DATABASE_URI": "sqlite://"}
            )
    finally:
        monkeypatch.delenv("SECRET_KEY")
        importlib.reload(config_module)


def test_production_uses_secure_cookies_and_hsts():
    app = create_app(GOOD_PRODUCTION)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    response = app.test_client().get("/manifest.webmanifest")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_development_has_no_hsts(client):
    assert "Strict-Transport-Security" not in client.get("/login").headers


def test_demo_data_is_refused_in_production():
    app = create_app(GOOD_PRODUCTION)
    result = app.test_cli_runner().invoke(args=["demo-data"])
    assert result.exit_code != 0
    assert "not allowed" in result.output


def test_redis_url_is_used_for_rate_limits(monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    import importlib

    import app.config as config_module

    importlib.reload(config_module)
    try:
        assert config_module.Config.RATELIMIT_STORAGE_URI == "redis://127.0.0.1:6379/0"
    finally:
        monkeypatch.delenv("REDIS_URL")
        importlib.reload(config_module)


def test_demo_data_matches_the_design_and_loads_twice_without_change(app, runner):
    result = runner.invoke(args=["demo-data"])
    assert result.exit_code == 0, result.output
    assert "14 accounts added" in result.output
    with app.app_context():
        today = london_today()
        people = {p.user.username: p for p in db.session.scalars(select(YoungPersonProfile))}
        ages = {name: age_on(p.date_of_birth, today) for name, p in people.items()}
        assert ages == {"maya": 13, "jordan": 17, "sam": 19, "riley": 14}
        assert people["sam"].care_status.value == "care_leaver"
        names = dict(db.session.execute(select(User.username, User.full_name)).all())
        assert names["maya"] == "Maya Fenwick-Adeyemi" and names["kim"] == "Kim Ashworth"
        homes = {
            (a.young_person.user.username, a.carer.username)
            for a in db.session.scalars(select(LivingArrangement))
        }
        assert homes == {("maya", "alex"), ("jordan", "alex"), ("riley", "bea")}
        allocations = {
            (a.young_person.user.username, a.worker.username, a.kind.value)
            for a in db.session.scalars(select(Allocation).where(Allocation.ends_on.is_(None)))
        }
        # Sam's social worker until he was 18, for "people who used to help me".
        ended = db.session.scalars(select(Allocation).where(Allocation.ends_on.is_not(None))).all()
        assert [(a.young_person.user.username, a.worker.username) for a in ended] == [("sam", "omar")]
        assert allocations == {
            ("maya", "priya", "social_worker"),
            ("jordan", "priya", "social_worker"),
            ("jordan", "tom", "personal_adviser"),
            ("sam", "tom", "personal_adviser"),
            ("riley", "omar", "social_worker"),
        }
        teams = {t.name: t for t in db.session.scalars(select(Team))}
        members = {
            u.username: teams_by_id for u in db.session.scalars(select(User)) if (teams_by_id := u.team_id)
        }
        names_of = {t.id: t.name for t in teams.values()}
        assert {u: names_of[t] for u, t in members.items()} == {
            "priya": "Children in care team",
            "omar": "Children in care team",
            "hana": "Children in care team",
            "tom": "Leaving care team",
            "nia": "Duty team",
            "ezra": "Out-of-hours team",
        }
        assert teams["Children in care team"].manager.username == "hana"
        assert (
            teams["Duty team"].kind.value == "duty"
            and teams["Out-of-hours team"].kind.value == "out_of_hours"
        )
        before = [
            db.session.scalar(select(func.count()).select_from(t))
            for t in (User, LivingArrangement, Allocation)
        ]
    again = runner.invoke(args=["demo-data"])
    assert "0 accounts added" in again.output
    with app.app_context():
        after = [
            db.session.scalar(select(func.count()).select_from(t))
            for t in (User, LivingArrangement, Allocation)
        ]
    assert before == after


def test_demo_ages_hold_on_any_day():
    from datetime import date

    from app.demo import YOUNG_PEOPLE
    from app.domain.ages import years_before

    for day in (date(2027, 2, 28), date(2028, 2, 29), date(2031, 12, 31)):
        for person in YOUNG_PEOPLE:
            from datetime import timedelta

            born = years_before(day, person.age) - timedelta(days=person.days_past_birthday)
            assert age_on(born, day) == person.age


def test_healthz_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_answers_503_when_the_database_does_not(tmp_path):
    app = create_app(
        {"APP_ENV": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/missing/dir/x.db"}
    )
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "error"


def test_demo_loader_is_idempotent_on_its_own(app):
    with app.app_context():
        assert load_demo_data(london_today()) == 14
        db.session.commit()
        assert load_demo_data(london_today()) == 0
