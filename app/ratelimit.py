"""Sign-in throttling beyond Flask-Limiter's own work: how long someone who tried too often
really has to wait, and whether the shared counters (Redis) can be reached.

When Redis cannot be reached, Flask-Limiter counts in this process instead
(RATELIMIT_IN_MEMORY_FALLBACK_ENABLED) and logs one warning when it starts doing so; it
tries Redis again now and then and goes back to it once it answers. /healthz says so."""

from __future__ import annotations

import math
import time

from flask import current_app
from flask_babel import ngettext

from app.extensions import limiter

# Under two minutes a wait is told in seconds ("wait 75 seconds"), longer in whole minutes,
# rounded up so that nobody is told a shorter wait than the real one.
SECONDS_UP_TO = 120

# What this process last found when it asked Redis (None: not asked yet), so that a fault
# is logged when it starts and when it ends, not at every health check.
_last_state: str | None = None


def seconds_to_wait(now: float | None = None) -> int | None:
    """Seconds until every limit this request broke lets the next attempt through, or None
    when it cannot be known (no limit was broken, or the counters could not be read)."""
    now = time.time() if now is None else now
    try:
        # The window's own end, not RequestLimit.reset_at (which adds a second for headers).
        resets = [limit.window.reset_time for limit in limiter.current_limits if limit.breached]
    except Exception:  # the counters went away between the check and this answer
        current_app.logger.warning("could not read when the sign-in limit resets", exc_info=True)
        return None
    if not resets:
        return None
    return max(1, math.ceil(max(resets) - now))


def rounded_wait(seconds: int) -> tuple[int, str]:
    """The wait as people say it: (75, "seconds") or (3, "minutes") for 121 seconds."""
    if seconds <= SECONDS_UP_TO:
        return seconds, "seconds"
    return math.ceil(seconds / 60), "minutes"


def wait_message(seconds: int | None) -> str:
    """ "Too many tries" with the real wait in plain words (a minute when it is unknown)."""
    amount, unit = (1, "minutes") if seconds is None else rounded_wait(seconds)
    if unit == "seconds":
        return ngettext(
            "Too many tries. Please wait %(num)s second, then try again.",
            "Too many tries. Please wait %(num)s seconds, then try again.",
            amount,
        )
    return ngettext(
        "Too many tries. Please wait %(num)s minute, then try again.",
        "Too many tries. Please wait %(num)s minutes, then try again.",
        amount,
    )


def storage_state() -> str:
    """ "ok" when the counters' storage answers, "unreachable" when it does not (sign-in
    then counts in each process on its own). A change is logged once."""
    global _last_state
    try:
        state = "ok" if limiter.storage.check() else "unreachable"
    except Exception:
        state = "unreachable"
    if state != _last_state:
        if state == "unreachable":
            current_app.logger.warning(
                "rate-limit storage %s is unreachable: sign-in attempts are counted in each "
                "process on its own until it answers",
                _safe_uri(current_app.config.get("RATELIMIT_STORAGE_URI", "")),
            )
        elif _last_state is not None:
            current_app.logger.info("rate-limit storage answers again")
        _last_state = state
    return state


def _safe_uri(uri: str) -> str:
    """The storage address without any password in it, for the log."""
    scheme, _, rest = uri.partition("://")
    return f"{scheme}://{rest.rpartition('@')[2]}" if rest else uri
