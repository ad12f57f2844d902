"""Settings for each way the app runs. Values come from the environment so nothing secret
lives in the repository."""

from __future__ import annotations

import os
from datetime import timedelta

# Good enough on a laptop and refused in production, whatever the environment said when
# this module was imported.
DEVELOPMENT_SECRET_KEY = "dev-only-not-secret"
# Long enough that signed cookies cannot be forged by guessing the key.
MIN_SECRET_KEY_LENGTH = 32


def _minutes(name: str, default: int) -> timedelta:
    return timedelta(minutes=int(os.environ.get(name, default)))


def _list(name: str, default: str) -> tuple[str, ...]:
    return tuple(part.strip().lower() for part in os.environ.get(name, default).split(",") if part.strip())


class Config:
    NAME = "development"
    APP_NAME = os.environ.get("APP_NAME", "Northshire Care Companion")
    APP_SHORT_NAME = os.environ.get("APP_SHORT_NAME", "Care Companion")
    COUNCIL_NAME = os.environ.get("COUNCIL_NAME", "Northshire County Council")
    THEME_COLOUR = os.environ.get("THEME_COLOUR", "#0b5563")

    SECRET_KEY = os.environ.get("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")  # default set in create_app
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    HSTS = False

    # Idle sessions end: staff and carers see several children's records; young people
    # get longer so the app is not a chore, but a shared phone still signs itself out.
    IDLE_TIMEOUT_STAFF = _minutes("IDLE_TIMEOUT_STAFF_MINUTES", 30)
    IDLE_TIMEOUT_YOUNG_PEOPLE = _minutes("IDLE_TIMEOUT_YOUNG_PEOPLE_MINUTES", 240)
    # However busy: staff sign in again after a working day; young people, on phones that are
    # theirs, after 30 days (README, "Sessions").
    SESSION_LIFETIME_STAFF = _minutes("SESSION_LIFETIME_STAFF_MINUTES", 12 * 60)
    SESSION_LIFETIME_YOUNG_PEOPLE = _minutes("SESSION_LIFETIME_YOUNG_PEOPLE_MINUTES", 30 * 24 * 60)
    ACTIVATION_CODE_LIFETIME = timedelta(days=7)

    # Argon2id cost. The defaults are argon2-cffi's RFC 9106 "low memory" profile.
    ARGON2_TIME_COST = 3
    ARGON2_MEMORY_COST = 65536
    ARGON2_PARALLELISM = 4

    # Rate-limit counters: shared through Redis when there is more than one process
    # (production refuses to start without it unless WEB_CONCURRENCY is 1; README).
    REDIS_URL = os.environ.get("REDIS_URL")
    RATELIMIT_STORAGE_URI = REDIS_URL or "memory://"
    # How many worker processes gunicorn starts (it reads WEB_CONCURRENCY itself when no
    # --workers is given), so the app can tell one process from several.
    WEB_CONCURRENCY = os.environ.get("WEB_CONCURRENCY")
    # Redis down must never stop anyone signing in: attempts are counted in each process on
    # its own until it answers again (app/ratelimit.py), and a sign-in never waits long for
    # an address that does not answer.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 1}
    # Every limit is checked, so the wait a person is told is the longest one they broke.
    RATELIMIT_FAIL_ON_FIRST_BREACH = False
    RATELIMIT_HEADERS_ENABLED = False
    # Said outright: Flask-Limiter keeps the last app's choice on its one Limiter otherwise,
    # so an app built with limits off (a test) would leave every later app without them.
    RATELIMIT_ENABLED = True
    LOGIN_LIMIT_PER_ACCOUNT = os.environ.get("LOGIN_LIMIT_PER_ACCOUNT", "5 per minute; 20 per hour")
    LOGIN_LIMIT_PER_ADDRESS = os.environ.get("LOGIN_LIMIT_PER_ADDRESS", "20 per minute; 200 per hour")
    # A browser where the person signed in before gets a signed "known device" cookie and
    # its own count, so someone guessing elsewhere cannot lock them out (DESIGN.md).
    KNOWN_DEVICE_LIFETIME = timedelta(days=180)
    # How many proxies (load balancers) stand in front of the app and add X-Forwarded-For;
    # without this every sign-in seems to come from the load balancer's address.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))

    # Responses compressed (Flask-Compress) when the browser asks: Brotli, else gzip. Static
    # files are compressed once, ahead, by app/static_files.py, which sets Content-Encoding
    # so they are not compressed again. Brotli at 4 is about as fast as gzip at 6 and
    # smaller; a streamed response is compressed as it goes. Below 500 bytes the encoding's
    # framing costs about what it saves; PNGs and other binaries are not on the list.
    COMPRESS_ALGORITHM = ["br", "gzip"]
    COMPRESS_ALGORITHM_STREAMING = ["br", "gzip"]
    COMPRESS_BR_LEVEL = 4
    COMPRESS_LEVEL = 6
    COMPRESS_MIN_SIZE = 500
    COMPRESS_MIMETYPES = [
        "text/html",
        "text/css",
        "text/plain",
        "text/javascript",
        "application/javascript",
        "application/json",
        "application/manifest+json",
        "image/svg+xml",
    ]

    BABEL_DEFAULT_LOCALE = "en_GB"
    BABEL_DEFAULT_TIMEZONE = "Europe/London"
    LANGUAGES = {"en_GB": "English", "ar": "العربية"}

    # Where "Leave this site quickly" goes: somewhere ordinary that says nothing about care.
    QUICK_EXIT_URL = os.environ.get("QUICK_EXIT_URL", "https://www.bbc.co.uk/weather")
    OUT_OF_HOURS_PHONE = os.environ.get("OUT_OF_HOURS_PHONE", "0300 123 4567")
    # A link young people follow (nothing is loaded from it): Childline's 1-2-1 chat.
    CHILDLINE_CHAT_URL = "https://www.childline.org.uk/get-support/1-2-1-counsellor-chat/"

    # Web push. `flask --app wsgi push keys` makes a key pair; the subject is how a push
    # service can reach the council (a mailto: or https: address).
    VAPID_PRIVATE_KEY = os.environ.get("VAPID_PRIVATE_KEY")
    VAPID_PUBLIC_KEY = os.environ.get("VAPID_PUBLIC_KEY")
    VAPID_SUBJECT = os.environ.get("VAPID_SUBJECT", "mailto:digital@northshire.example")
    # How long a push service keeps a reminder for a phone that is switched off.
    PUSH_TTL_SECONDS = int(os.environ.get("PUSH_TTL_SECONDS", 24 * 60 * 60))
    # How long one push service may take to answer before it is tried again later, so one
    # that hangs cannot hold up everyone else's reminders for long.
    PUSH_TIMEOUT_SECONDS = float(os.environ.get("PUSH_TIMEOUT_SECONDS", 10))
    # The only hosts a push subscription's endpoint may name, so a browser (or anyone
    # posting to /reminders/subscriptions) cannot make the server call an internal address:
    # comma-separated, each matched exactly, or "*.example.com" for any name under it. The
    # defaults are the browsers' own services: Chrome and Android, Firefox, Edge and
    # Windows, Safari.
    PUSH_SERVICE_HOSTS = _list(
        "PUSH_SERVICE_HOSTS",
        "fcm.googleapis.com,updates.push.services.mozilla.com,*.notify.windows.com,web.push.apple.com",
    )
    # Real push services are all https on port 443; the tests' fake one is plain http on
    # 127.0.0.1 and some port. Never in production.
    PUSH_ALLOW_HTTP = os.environ.get("PUSH_ALLOW_HTTP", "") == "1"

    # "I don't feel safe" (app.domain.safety): an alert nobody has acknowledged goes up one
    # rung (duty or out of hours, team manager, service manager) after this many minutes.
    SAFETY_ESCALATE_AFTER = _minutes("SAFETY_ESCALATE_AFTER_MINUTES", 15)
    # What the young person is told about when they will hear back.
    SAFETY_ANSWER_WITHIN = _minutes("SAFETY_ANSWER_WITHIN_MINUTES", 60)

    # GOV.UK Notify, for SMS and email to staff about urgent alerts. The templates take
    # ((link)) and ((who)) (see README). Off unless the key and a template are set.
    NOTIFY_API_KEY = os.environ.get("NOTIFY_API_KEY")
    NOTIFY_BASE_URL = os.environ.get("NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk")
    NOTIFY_SMS_TEMPLATE_ID = os.environ.get("NOTIFY_SMS_TEMPLATE_ID")
    NOTIFY_EMAIL_TEMPLATE_ID = os.environ.get("NOTIFY_EMAIL_TEMPLATE_ID")
    # The app's public address: links in texts and emails, and the address an activation
    # code tells people to go to (never taken from the request's Host header, which anyone
    # can set). In production it also names the only host the app answers for.
    PUBLIC_URL = os.environ.get("PUBLIC_URL", "http://127.0.0.1:5000")

    # Bodies are refused before they are read: a photo (up to 5 MB) with its form fits;
    # a 50 MB "sign-in" does not. Form fields (all the text of one form) up to 1 MB.
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", 8 * 1024 * 1024))
    MAX_FORM_MEMORY_SIZE = 1024 * 1024

    CASELOAD_PAGE_SIZE = 25
    INBOX_PAGE_SIZE = 30
    DEMO_DATA_ALLOWED = True
    WTF_CSRF_TIME_LIMIT = None  # the session ends anyway; a form left open must not fail
    WTF_CSRF_HEADERS = ["X-CSRFToken"]


class DevelopmentConfig(Config):
    pass


class TestingConfig(Config):
    NAME = "testing"
    TESTING = True
    SECRET_KEY = "testing-only"
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 1024
    ARGON2_PARALLELISM = 1
    RATELIMIT_STORAGE_URI = "memory://"


class ProductionConfig(Config):
    NAME = "production"
    SESSION_COOKIE_SECURE = True
    # __Host-: the browser keeps it only if it came over HTTPS, for this host alone and the
    # whole site, so a neighbouring subdomain can never plant or read one.
    SESSION_COOKIE_NAME = "__Host-session"
    HSTS = True
    DEMO_DATA_ALLOWED = False
    PUSH_ALLOW_HTTP = False

    @classmethod
    def check(cls, settings: dict) -> None:
        """Raises RuntimeError unless the settings production cannot do without are set."""
        missing = [
            name
            for name, value in (
                ("SECRET_KEY", settings.get("SECRET_KEY")),
                ("DATABASE_URL", settings.get("SQLALCHEMY_DATABASE_URI")),
            )
            if not value or value == DEVELOPMENT_SECRET_KEY
        ]
        if missing:
            raise RuntimeError("Production needs these environment variables: " + ", ".join(missing))
        if len(settings["SECRET_KEY"]) < MIN_SECRET_KEY_LENGTH:
            raise RuntimeError(
                f"SECRET_KEY must be at least {MIN_SECRET_KEY_LENGTH} characters (make one with "
                '`python -c "import secrets; print(secrets.token_urlsafe(48))"`)'
            )
        if (
            str(settings.get("RATELIMIT_STORAGE_URI", "")).startswith("memory://")
            and str(settings.get("WEB_CONCURRENCY") or "").strip() != "1"
        ):
            # Each process would count failed sign-ins on its own: four workers would let a
            # guesser try four times as often, and a worker restart would forget them all.
            raise RuntimeError(
                "Production needs REDIS_URL, so that every process and host counts failed "
                "sign-ins together. Running one process on one host? Set WEB_CONCURRENCY=1 "
                "and start gunicorn without --workers."
            )


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
