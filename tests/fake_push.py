"""A push service on 127.0.0.1 for the tests and the benchmark: it does what a real one
checks, with real cryptography, and can be told what to answer.

For every message it verifies the VAPID token (RFC 8292: an ES256 JWT signed with the
private half of the key in `Authorization: vapid t=...,k=...`; aud is this service's
origin; exp in the future and within 24 hours; a sub), checks TTL, Urgency and
Content-Encoding, and decrypts the body (RFC 8291, aes128gcm) with the subscription's
private key using http_ece. A message that fails any check is answered 400 and kept in
`problems`.

Each subscription's keys are derived from its token, so a service in another process (the
benchmark's) can decrypt for subscriptions made here.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

URGENCIES = {"very-low", "low", "normal", "high"}
SEED = os.environ.get("FAKE_PUSH_SEED", "fake-push").encode()
_CURVE_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def keys_for(token: str) -> tuple[ec.EllipticCurvePrivateKey, bytes]:
    """The browser's side of a subscription: its private key and auth secret."""
    digest = hashlib.sha256(SEED + b"/key/" + token.encode()).digest()
    private = ec.derive_private_key(int.from_bytes(digest, "big") % (_CURVE_ORDER - 1) + 1, ec.SECP256R1())
    auth = hashlib.sha256(SEED + b"/auth/" + token.encode()).digest()[:16]
    return private, auth


def subscription_for(base_url: str, token: str) -> dict:
    """What a browser would hand the app: endpoint and keys (PushSubscription.toJSON())."""
    private, auth = keys_for(token)
    public = private.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return {"endpoint": f"{base_url}/push/{token}", "keys": {"p256dh": b64url(public), "auth": b64url(auth)}}


def verify_vapid(header: str, audience: str, now: float, expected_key: str | None = None) -> dict:
    """The claims of a valid `vapid t=...,k=...` header; raises ValueError otherwise."""
    scheme, _, params = header.partition(" ")
    if scheme.lower() != "vapid":
        raise ValueError(f"not a vapid authorization: {scheme!r}")
    parts = dict(p.strip().split("=", 1) for p in params.split(","))
    token, key = parts["t"], parts["k"]
    if expected_key and key.rstrip("=") != expected_key.rstrip("="):
        raise ValueError("signed with another key")
    head_b64, claims_b64, signature_b64 = token.split(".")
    head = json.loads(b64url_decode(head_b64))
    if head.get("alg") != "ES256":
        raise ValueError(f"alg {head.get('alg')!r}")
    signature = b64url_decode(signature_b64)
    if len(signature) != 64:
        raise ValueError("signature is not 64 bytes")
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64url_decode(key))
    der = encode_dss_signature(int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big"))
    try:
        public.verify(der, f"{head_b64}.{claims_b64}".encode(), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        raise ValueError("bad signature") from None
    claims = json.loads(b64url_decode(claims_b64))
    if claims.get("aud") != audience:
        raise ValueError(f"aud {claims.get('aud')!r} is not {audience!r}")
    exp = int(claims.get("exp", 0))
    if not now < exp <= now + 24 * 60 * 60:
        raise ValueError(f"exp {exp} is not within 24 hours of {int(now)}")
    if not str(claims.get("sub", "")).startswith(("mailto:", "https:")):
        raise ValueError("no sub")
    return claims


@dataclass(frozen=True)
class Received:
    token: str
    payload: dict
    claims: dict
    ttl: int
    urgency: str
    status: int
    at: float


class FakePushService:
    def __init__(self, expected_key: str | None = None, record: bool = True, delay: float = 0.0):
        self.expected_key = expected_key
        self.delay = delay  # seconds to think before answering, like a real service
        self.record = record
        self.received: list[Received] = []
        self.problems: list[str] = []
        self.count = 0
        self._scripts: dict[str, deque] = defaultdict(deque)
        self._gone: set[str] = set()
        self._keys: dict[str, tuple] = {}
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self._thread: threading.Thread | None = None

    # Test controls -----------------------------------------------------------------------

    def start(self) -> FakePushService:
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    @staticmethod
    def keys_sample() -> dict:
        return subscription_for("http://unused", "sample")["keys"]

    def subscription(self, token: str | None = None) -> dict:
        return subscription_for(self.url, token or b64url(os.urandom(9)))

    def answer(self, endpoint: str, *statuses: int, retry_after: str | None = None) -> None:
        """The next answers for this endpoint (after them: 201)."""
        token = endpoint.rsplit("/", 1)[1]
        for status in statuses:
            self._scripts[token].append((status, retry_after))

    def gone(self, endpoint: str) -> None:
        """From now on this subscription no longer exists (410)."""
        self._gone.add(endpoint.rsplit("/", 1)[1])

    def delivered(self, endpoint: str | None = None) -> list[Received]:
        with self._lock:
            return [
                r
                for r in self.received
                if 200 <= r.status < 300 and (endpoint is None or endpoint.endswith("/" + r.token))
            ]

    # Handling a message ---------------------------------------------------------------------

    def _keys_for(self, token):
        keys = self._keys.get(token)
        if keys is None:
            keys = self._keys[token] = keys_for(token)
        return keys

    def handle(self, path: str, headers, body: bytes) -> tuple[int, dict]:
        token = path.rsplit("/", 1)[1]
        try:
            claims = verify_vapid(headers.get("Authorization", ""), self.url, time.time(), self.expected_key)
            ttl = int(headers["TTL"])
            urgency = headers.get("Urgency", "normal")
            if urgency not in URGENCIES:
                raise ValueError(f"urgency {urgency!r}")
            if headers.get("Content-Encoding") != "aes128gcm":
                raise ValueError(f"content-encoding {headers.get('Content-Encoding')!r}")
            private, auth = self._keys_for(token)
            payload = json.loads(
                http_ece.decrypt(body, private_key=private, auth_secret=auth, version="aes128gcm")
            )
        except Exception as problem:  # every problem is the test's business
            with self._lock:
                self.problems.append(f"{token}: {type(problem).__name__}: {problem}")
            return 400, {}
        with self._lock:
            script = self._scripts.get(token)
            status, retry_after = script.popleft() if script else (201, None)
            if token in self._gone:
                status = 410
            self.count += 1
            if self.record:
                self.received.append(Received(token, payload, claims, ttl, urgency, status, time.time()))
        if self.delay:
            time.sleep(self.delay)
        extra = {"Retry-After": retry_after} if retry_after else {}
        if status == 201:
            extra["Location"] = f"{self.url}/messages/{self.count}"
        return status, extra


def _handler(service: FakePushService):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            status, extra = service.handle(urlsplit(self.path).path, self.headers, body)
            self.send_response(status)
            for name, value in extra.items():
                self.send_header(name, value)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_GET(self):
            body = json.dumps({"count": service.count, "problems": service.problems[:20]}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format, *args):
            pass

    return Handler
