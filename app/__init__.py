"""The companion app for children in care and care leavers."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from pathlib import Path

from flask import Flask

from app.config import CONFIGS, ProductionConfig


def create_app(config: str | Mapping | None = None) -> Flask:
    """Builds the app. `config` is a configuration name ("development", "testing",
    "production") or a mapping of settings (its optional "APP_ENV" names the base)."""
    from app import clean_input
    from app.paging import IdConverter

    app = Flask(__name__, instance_relative_config=True)
    # Every request's text is cleaned of control characters where it comes in, and JSON
    # goes only to the views that read it (app/clean_input.py says why).
    clean_input.init_app(app)

    app.url_map.converters["int"] = IdConverter
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    from app.domain import phones

    # Every number is shown one way and rung by its normal form; a stored value that is not
    # a number has no link target, so it can only be shown as text.
    app.jinja_env.filters["phone"] = phones.readable
    app.jinja_env.filters["phone_target"] = phones.link_target
    _load_config(app, config)
    if app.config.get("TRUSTED_PROXIES"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["TRUSTED_PROXIES"]
        # Flask documents this way of adding middleware; its types call wsgi_app a method.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops
        )
    register_extensions(app)
    register_labels(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    return app


def _load_config(app: Flask, config: str | Mapping | None) -> None:
    overrides = dict(config) if isinstance(config, Mapping) else {}
    name = (
        config
        if isinstance(config, str)
        else overrides.pop("APP_ENV", None) or os.environ.get("APP_ENV", "development")
    )
    if name not in CONFIGS:
        raise RuntimeError(f"Unknown APP_ENV {name!r}; use one of {', '.join(CONFIGS)}")
    app.config.from_object(CONFIGS[name])
    if name != "testing":
        if os.environ.get("SECRET_KEY"):
            app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
        if os.environ.get("DATABASE_URL"):
            app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
        if os.environ.get("PUBLIC_URL"):
            app.config["PUBLIC_URL"] = os.environ["PUBLIC_URL"]
        if os.environ.get("REDIS_URL"):
            app.config["REDIS_URL"] = app.config["RATELIMIT_STORAGE_URI"] = os.environ["REDIS_URL"]
        if os.environ.get("WEB_CONCURRENCY"):
            app.config["WEB_CONCURRENCY"] = os.environ["WEB_CONCURRENCY"]
    app.config.update(overrides)

    if name == "production":
        ProductionConfig.check(app.config)
        # Flask answers 400 to any other Host header. TRUSTED_HOSTS (comma-separated) adds
        # others, such as the address a load balancer's health check uses.
        extra = [h.strip() for h in os.environ.get("TRUSTED_HOSTS", "").split(",") if h.strip()]
        if os.environ.get("PUBLIC_URL") and not app.config.get("TRUSTED_HOSTS"):
            from urllib.parse import urlsplit

            app.config["TRUSTED_HOSTS"] = [urlsplit(app.config["PUBLIC_URL"]).hostname, *extra]
    uri = app.config.get("SQLALCHEMY_DATABASE_URI")
    if not uri:
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        uri = f"sqlite:///{Path(app.instance_path) / 'app.db'}"
    # Hosting platforms hand out postgres:// URLs; SQLAlchemy wants a driver named.
    for prefix in ("postgres://", "postgresql://"):
        if uri.startswith(prefix):
            uri = "postgresql+psycopg://" + uri[len(prefix) :]
    app.config["SQLALCHEMY_DATABASE_URI"] = uri
    # Refused accesses are logged as warnings; make sure they reach the server's log.
    app.logger.setLevel(logging.INFO)


def register_extensions(app: Flask) -> None:
    from app import database, i18n, security, static_files, unit_of_work
    from app.auth.sessions import init_login
    from app.extensions import babel, compress, csrf, db, limiter, migrate
    from app.models.base import render_migration_item

    # First: Flask runs after_request hooks last-registered first, so compression runs after
    # every other hook and compresses the body that is finally sent.
    compress.init_app(app)
    db.init_app(app)
    database.init_app(app)
    unit_of_work.init_app(app)
    migrate.init_app(app, db, render_as_batch=True, render_item=render_migration_item)
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    init_login(app)
    security.init_app(app)
    i18n.init_app(app)
    static_files.init_app(app)


# The modules that register enum labels (app/labels.py), imported before any page is shown.
LABELLED_IN = (
    "app.teams.forms",
    "app.contact.words",
    "app.passport.words",
    "app.promise.words",
    "app.push.words",
    "app.safety.words",
    "app.voice.words",
)


def register_labels(app: Flask) -> None:
    """Enum labels reach templates through one filter, `{{ member|label }}` (app/labels.py);
    the enums templates compare with are there by name (`role == Role.CARER`, never
    `role.value == 'carer'`)."""
    import importlib

    # Each of these registers its enums' labels when imported.
    for module in LABELLED_IN:
        importlib.import_module(module)
    from app import labels
    from app.domain.ages import PromiseBand
    from app.domain.messages import CallWay, MessageKind
    from app.domain.plans import PlanKind
    from app.domain.roles import AllocationKind, CareStatus, Role
    from app.domain.safety import AlertState, TeamKind

    app.jinja_env.filters["label"] = labels.label
    app.jinja_env.globals.update(
        Role=Role,
        AllocationKind=AllocationKind,
        CareStatus=CareStatus,
        PromiseBand=PromiseBand,
        PlanKind=PlanKind,
        MessageKind=MessageKind,
        CallWay=CallWay,
        TeamKind=TeamKind,
        AlertState=AlertState,
    )


def register_blueprints(app: Flask) -> None:
    from app.account.blueprint import bp as account_bp
    from app.admin.blueprint import bp as admin_bp
    from app.auth.blueprint import bp as auth_bp
    from app.care.blueprint import bp as care_bp
    from app.contact.blueprint import bp as contact_bp
    from app.home.blueprint import bp as home_bp
    from app.leaving_care.blueprint import bp as leaving_care_bp
    from app.passport.blueprint import bp as passport_bp
    from app.plans.blueprint import bp as plans_bp
    from app.promise.blueprint import bp as promise_bp
    from app.push.blueprint import bp as push_bp
    from app.pwa.blueprint import bp as pwa_bp
    from app.reviews.blueprint import bp as reviews_bp
    from app.safety.blueprint import bp as safety_bp
    from app.teams.blueprint import bp as teams_bp
    from app.voice.blueprint import bp as voice_bp
    from app.votes.blueprint import bp as votes_bp

    blueprints = (
        auth_bp,
        account_bp,
        home_bp,
        care_bp,
        contact_bp,
        admin_bp,
        teams_bp,
        pwa_bp,
        promise_bp,
        plans_bp,
        reviews_bp,
        leaving_care_bp,
        passport_bp,
        votes_bp,
        push_bp,
        voice_bp,
        safety_bp,
    )
    for bp in blueprints:
        app.register_blueprint(bp)


def register_errorhandlers(app: Flask) -> None:
    from app.errors import register

    register(app)


def register_commands(app: Flask) -> None:
    from app.content_loader import content_cli
    from app.demo import demo_data_command
    from app.i18n import translate_cli
    from app.push.commands import push_cli, reminders_cli
    from app.safety.commands import safety_cli

    app.cli.add_command(demo_data_command)
    app.cli.add_command(translate_cli)
    app.cli.add_command(content_cli)
    app.cli.add_command(push_cli)
    app.cli.add_command(reminders_cli)
    app.cli.add_command(safety_cli)
