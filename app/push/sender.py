"""Sending one push message with pywebpush and VAPID (RFC 8030, 8291, 8292)."""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC
from urllib.parse import urlsplit

import http_ece
import requests
from py_vapid import Vapid
from pywebpush import WebPushException, webpush

from app.clean_input import clean_text

# A VAPID token may live up to 24 hours (RFC 8292, section 2); each send gets a new one.
CLAIMS_LIFETIME = 12 * 60 * 60


@dataclass(frozen=True)
class PushResult:
    """What the push service said. `status` is None when it could not be reached, or when
    the message could not even be made (`permanent`: a subscription whose keys do not
    encrypt, an address that is not one; trying again would fail the same way)."""

    status: int | None
    retry_after: float | None = None
    error: str | None = None
    permanent: bool = False

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def parse_retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait, from a Retry-After header (seconds, or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - now)


# What a message that can never be made raises: bad keys (cryptography says ValueError,
# binascii.Error is one; pywebpush indexes a key that decodes to nothing: IndexError), a
# subscription missing something (KeyError), an ECE failure.
CANNOT_BE_MADE = (ValueError, TypeError, LookupError, http_ece.ECEException)
# requests' errors that mean the address itself is wrong, not that the network failed.
BAD_ADDRESS = (
    requests.exceptions.InvalidURL,
    requests.exceptions.MissingSchema,
    requests.exceptions.InvalidSchema,
    requests.exceptions.URLRequired,
)


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:500]


class WebPushSender:
    """Encrypts a payload for one subscription (aes128gcm) and posts it with a freshly
    signed VAPID token. Never raises for what the push service answers, nor for a
    subscription it cannot encrypt for: the caller decides what a result means."""

    def __init__(
        self,
        private_key: str,
        subject: str,
        *,
        session: requests.Session | None = None,
        timeout: float = 10.0,
        clock: Callable[[], float] = time.time,
    ):
        if not private_key:
            raise ValueError("VAPID_PRIVATE_KEY is not set; make one with `flask push keys`")
        self.vapid = Vapid.from_string(private_key)
        self.subject = subject
        self.session = session or requests.Session()
        self.timeout = timeout
        self.clock = clock

    def claims_for(self, endpoint: str) -> dict:
        parts = urlsplit(endpoint)
        return {
            "sub": self.subject,
            "aud": f"{parts.scheme}://{parts.netloc}",
            "exp": int(self.clock()) + CLAIMS_LIFETIME,
        }

    def send(self, subscription: dict, payload: bytes, *, ttl: int, urgency: str) -> PushResult:
        try:
            webpush(
                subscription,
                data=payload,
                vapid_private_key=self.vapid,
                vapid_claims=self.claims_for(subscription["endpoint"]),
                ttl=ttl,
                headers={"Urgency": urgency},
                requests_session=self.session,
                timeout=self.timeout,
            )
        except WebPushException as error:
            response = error.response
            if response is None:
                # Raised before anything is sent: the subscription's keys are missing or bad.
                return PushResult(None, error=_describe(error), permanent=True)
            return PushResult(
                response.status_code,
                parse_retry_after(response.headers.get("Retry-After"), self.clock()),
                # The push service's own words are stored with the delivery: cleaned like any
                # text from outside (PostgreSQL refuses a NUL).
                clean_text(response.text or response.reason or "")[:500],
            )
        except BAD_ADDRESS as error:
            return PushResult(None, error=_describe(error), permanent=True)
        except requests.RequestException as error:
            return PushResult(None, error=_describe(error))
        except CANNOT_BE_MADE as error:
            return PushResult(None, error=_describe(error), permanent=True)
        return PushResult(201)


def generate_keys() -> tuple[str, str]:
    """A new VAPID key pair: (private key, public key), both base64url as the environment
    and the browser's applicationServerKey want them."""
    from cryptography.hazmat.primitives import serialization
    from py_vapid.utils import b64urlencode

    vapid = Vapid()
    vapid.generate_keys()
    private = vapid.private_key.private_numbers().private_value.to_bytes(32, "big")
    public = vapid.public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return b64urlencode(private), b64urlencode(public)
