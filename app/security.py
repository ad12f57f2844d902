"""Headers every response carries, and the no-store rule for personal pages."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, request

CSP_DIRECTIVES = (
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "manifest-src 'self'",
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
)
REFERRER_POLICY = "same-origin"
PERMISSIONS = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
# Only the app shell may be cached; everything else can hold a young person's details.
CACHEABLE_PREFIXES = ("/static/",)


def content_security_policy(quick_exit_url: str) -> str:
    """The policy for every page. Forms post only here, except that the quick exit form's
    answer sends the browser on to the neutral site, and browsers check a form's redirects
    against form-action too."""
    exit_url = urlsplit(quick_exit_url)
    form_action = "form-action 'self'"
    if exit_url.scheme in ("http", "https") and exit_url.netloc:
        form_action += f" {exit_url.scheme}://{exit_url.netloc}"
    return "; ".join((*CSP_DIRECTIVES, form_action))


def static_headers(app: Flask) -> dict[str, str]:
    """The headers every response carries, whatever it is (app/static_files.py sends them
    with the files it serves before Flask sees the request)."""
    headers = {
        "Content-Security-Policy": content_security_policy(app.config["QUICK_EXIT_URL"]),
        "X-Content-Type-Options": "nosniff",
        # same-origin, not no-referrer: Flask-WTF's strict check (WTF_CSRF_SSL_STRICT) refuses
        # an HTTPS form post without a Referer from this origin, so with no-referrer no form
        # works over HTTPS. same-origin sends the Referer only to our own pages; a link to
        # another site (Childline, the quick exit's neutral page) still gets none.
        "Referrer-Policy": REFERRER_POLICY,
        "Permissions-Policy": PERMISSIONS,
        "X-Frame-Options": "DENY",
        "Cross-Origin-Opener-Policy": "same-origin",
    }
    if app.config.get("HSTS"):
        headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"
    return headers


def init_app(app: Flask) -> None:
    every_response = static_headers(app)

    @app.after_request
    def _headers(response):
        headers = response.headers
        headers.update(every_response)
        # A view that chose its own caching (the service worker script) keeps it.
        if not request.path.startswith(CACHEABLE_PREFIXES) and "Cache-Control" not in headers:
            headers["Cache-Control"] = "no-store"
        return response
