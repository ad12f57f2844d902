"""Known devices: a browser where someone signed in before is told apart from everyone
else guessing at the same account, so the account's sign-in limit slows guessers without
locking the owner out (DESIGN.md, "throttled, not locked out"; OWASP's device cookies)."""

from __future__ import annotations

import secrets

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeSerializer

COOKIE = "known_device"
MAX_ACCOUNTS = 5  # a shared family tablet, not a list of everyone in a school


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="known-device")


def read() -> dict:
    """The device cookie's contents, or an empty one if missing or tampered with."""
    raw = request.cookies.get(COOKIE)
    if not raw:
        return {}
    try:
        value = _serializer().loads(raw)
    except BadSignature:
        return {}
    return value if isinstance(value, dict) else {}


def device_for(username: str) -> str | None:
    """This browser's device id if `username` signed in on it before."""
    value = read()
    if username and username in value.get("accounts", []):
        return value.get("id")
    return None


def remember(response, username: str) -> None:
    """Adds `username` to this browser's known accounts."""
    value = read()
    accounts = [name for name in value.get("accounts", []) if name != username]
    accounts = [username, *accounts][:MAX_ACCOUNTS]
    token = _serializer().dumps({"id": value.get("id") or secrets.token_urlsafe(16), "accounts": accounts})
    response.set_cookie(
        COOKIE,
        token,
        max_age=int(current_app.config["KNOWN_DEVICE_LIFETIME"].total_seconds()),
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
    )
