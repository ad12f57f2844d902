"""GOV.UK Notify on 127.0.0.1 for the tests: `POST /v2/notifications/sms` and
`/v2/notifications/email`, checking what the real API checks and answering as it does.

Authorisation as Notify's API does it: `Authorization: Bearer <JWT>`, HS256 only, `iss` is
the service id and the signature verifies with the key's secret (a key is
`{name}-{service id}-{secret}`), `iat` within 30 seconds of now either way. Then the body:
valid JSON, a known template of the right type, a UK mobile number or an email address
that looks like one, and a value for each of the template's ((placeholders)).

Accepted messages are answered 201 with Notify's JSON (id, reference, content, uri,
template) and kept in `received` with the time they arrived and the time they were
answered; refusals are answered 400/401/403 with Notify's error JSON
(`{"status_code": 403, "errors": [{"error": "AuthError", "message": "..."}]}`) and kept in
`rejected`. `fail(address, ...)` and `slow(address, ...)` make particular addresses fail or
take their time, as a real service sometimes does.
"""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import jwt

CLOCK_BOUND = 30  # seconds either side of now that Notify accepts in `iat`
SMS_MAX = 918  # characters in a text message, after personalisation
PLACEHOLDER = re.compile(r"\(\(([^()?]+)(?:\?\?[^()]*)?\)\)")
EMAIL = re.compile(r"^[^\s@\"(),:;<>\[\\\]]+@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$", re.I)

ERROR_NAMES = {400: "BadRequestError", 429: "RateLimitError", 500: "Exception", 503: "Exception"}
ERROR_WORDS = {
    400: "Bad request",
    429: "Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds",
    500: "Internal server error",
    503: "Service unavailable",
}


class Refused(Exception):
    def __init__(self, status: int, error: str, message: str):
        super().__init__(message)
        self.status, self.error, self.message = status, error, message

    def body(self) -> dict:
        return {"status_code": self.status, "errors": [{"error": self.error, "message": self.message}]}


@dataclass(frozen=True)
class Template:
    id: str
    kind: str  # "sms" or "email"
    body: str
    subject: str = ""
    version: int = 1

    @property
    def placeholders(self) -> list[str]:
        seen: dict[str, None] = {}
        for text in (self.subject, self.body):
            for name in PLACEHOLDER.findall(text):
                seen.setdefault(name.strip(), None)
        return list(seen)

    def render(self, text: str, values: dict) -> str:
        by_name = {_key(k): v for k, v in values.items()}
        return PLACEHOLDER.sub(lambda m: str(by_name[_key(m.group(1))]), text)


@dataclass
class Message:
    """One accepted message, as the person receives it."""

    id: str
    channel: str
    to: str  # as the app sent it
    template_id: str
    personalisation: dict
    reference: str | None
    body: str
    subject: str | None
    claims: dict
    received_at: float
    answered_at: float | None = None


@dataclass
class _Trouble:
    statuses: list[int] = field(default_factory=list)  # the next answers, then 201
    always: int | None = None
    delay: float = 0.0


def _key(name: str) -> str:
    # Notify matches placeholders without regard to case or spaces.
    return re.sub(r"\s", "", name).lower()


def uk_mobile(number: str) -> str:
    """The number as Notify keeps it (07...), or Refused with Notify's words."""
    digits = re.sub(r"[\s()\-.]", "", number)
    if digits.startswith("+"):
        digits = digits[1:]
    if not digits.isdigit():
        raise Refused(400, "ValidationError", "phone_number Must not contain letters or symbols")
    for prefix in ("0044", "44"):
        if digits.startswith(prefix):
            digits = digits[len(prefix) :]
            break
    digits = digits.removeprefix("0")
    if not digits.startswith("7"):
        raise Refused(400, "ValidationError", "phone_number Not a UK mobile number")
    if len(digits) > 10:
        raise Refused(400, "ValidationError", "phone_number Too many digits")
    if len(digits) < 10:
        raise Refused(400, "ValidationError", "phone_number Not enough digits")
    return "0" + digits


def canonical(address: str) -> str:
    address = address.strip()
    if "@" in address:
        return address.lower()
    try:
        return uk_mobile(address)
    except Refused:
        return address


class FakeNotify:
    def __init__(
        self,
        *,
        service_id: str | None = None,
        secret: str | None = None,
        key_name: str = "care-companion-test",
        clock: Callable[[], float] = time.time,
    ):
        self.service_id = service_id or str(uuid.uuid4())
        self.secret = secret or str(uuid.uuid4())
        self.api_key = f"{key_name}-{self.service_id}-{self.secret}"
        self.clock = clock
        self.sms_template = Template(
            str(uuid.uuid4()), "sms", "Care Companion: ((who)) needs help now. Open ((link))"
        )
        self.email_template = Template(
            str(uuid.uuid4()),
            "email",
            "((who)) has raised an urgent alert in Care Companion.\n\nOpen it: ((link))",
            subject="Urgent alert in Care Companion",
        )
        self.templates = {t.id: t for t in (self.sms_template, self.email_template)}
        self.received: list[Message] = []
        self.rejected: list[tuple[str, int, str]] = []  # (path, status, message)
        self._trouble: dict[str, _Trouble] = {}
        self._lock = threading.Lock()
        self.server = _Server(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    # Test controls -------------------------------------------------------------------------

    def start(self) -> FakeNotify:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def fail(self, address: str, *statuses: int, always: int | None = None) -> None:
        """The next answers for this address (after them: 201), or the same one for ever."""
        trouble = self._trouble.setdefault(canonical(address), _Trouble())
        trouble.statuses.extend(statuses)
        trouble.always = always

    def slow(self, address: str, seconds: float) -> None:
        """Answers for this address only after `seconds` (the message is received at once)."""
        self._trouble.setdefault(canonical(address), _Trouble()).delay = seconds

    def messages(self, address: str | None = None) -> list[Message]:
        with self._lock:
            return [m for m in self.received if address is None or canonical(m.to) == canonical(address)]

    def token(self, **claims) -> str:
        """A token as the official client makes one (for tests that make their own)."""
        return jwt.encode({"iss": self.service_id, "iat": int(self.clock()), **claims}, self.secret, "HS256")

    # Handling a request --------------------------------------------------------------------

    def authorise(self, header: str | None) -> dict:
        """The token's claims, or Refused as Notify's API refuses it."""
        if not header:
            raise Refused(401, "AuthError", "Unauthorized: authentication token must be provided")
        if header[:7].title() != "Bearer ":
            raise Refused(401, "AuthError", "Unauthorized: authentication bearer scheme must be used")
        token = header[7:].strip()
        try:
            head = jwt.get_unverified_header(token)
            unverified = jwt.decode(token, options={"verify_signature": False})
        except jwt.PyJWTError:
            raise Refused(403, "AuthError", "Invalid token: signature, api token is not valid") from None
        if head.get("alg") != "HS256":
            raise Refused(403, "AuthError", "Invalid token: algorithm used is not HS256")
        if "iss" not in unverified:
            raise Refused(403, "AuthError", "Invalid token: iss field not provided")
        try:
            uuid.UUID(str(unverified["iss"]))
        except ValueError:
            raise Refused(403, "AuthError", "Invalid token: service id is not the right data type") from None
        if unverified["iss"] != self.service_id:
            raise Refused(403, "AuthError", "Invalid token: service not found")
        try:
            claims = jwt.decode(
                token, self.secret, algorithms=["HS256"], options={"verify_iat": False, "verify_exp": False}
            )
        except jwt.PyJWTError:
            raise Refused(403, "AuthError", "Invalid token: API key not found") from None
        if "iat" not in claims:
            raise Refused(403, "AuthError", "Invalid token: iat field not provided")
        try:
            iat = int(claims["iat"])
        except (TypeError, ValueError):
            raise Refused(403, "AuthError", "Invalid token: iat field not provided") from None
        if abs(self.clock() - iat) > CLOCK_BOUND:
            raise Refused(403, "AuthError", "Error: Your system clock must be accurate to within 30 seconds")
        return claims

    def check(self, channel: str, data) -> tuple[Template, str, dict]:
        """The template, the recipient and the personalisation, or Refused."""
        if not isinstance(data, dict):
            raise Refused(400, "ValidationError", "Invalid JSON supplied in POST data")
        field_name = "phone_number" if channel == "sms" else "email_address"
        for name in ("template_id", field_name):
            if name not in data:
                raise Refused(400, "ValidationError", f"{name} is a required property")
        try:
            uuid.UUID(str(data["template_id"]))
        except ValueError:
            raise Refused(400, "ValidationError", "template_id is not a valid UUID") from None
        personalisation = data.get("personalisation") or {}
        if not isinstance(personalisation, dict):
            raise Refused(400, "ValidationError", "personalisation is not of type object")
        if data.get("reference") is not None and not isinstance(data["reference"], str):
            raise Refused(400, "ValidationError", "reference is not of type string")
        to = str(data[field_name])
        if channel == "sms":
            uk_mobile(to)
        elif len(to) > 320 or not EMAIL.match(to.strip()):
            raise Refused(400, "ValidationError", "email_address Not a valid email address")
        template = self.templates.get(str(data["template_id"]))
        if template is None:
            raise Refused(400, "BadRequestError", "Template not found")
        if template.kind != channel:
            raise Refused(
                400, "BadRequestError", f"{template.kind} template is not suitable for {channel} notification"
            )
        given = {_key(k) for k in personalisation}
        missing = [name for name in template.placeholders if _key(name) not in given]
        if missing:
            raise Refused(400, "BadRequestError", f"Missing personalisation: {', '.join(missing)}")
        if channel == "sms":
            length = len(template.render(template.body, personalisation))
            if length > SMS_MAX:
                raise Refused(
                    400,
                    "BadRequestError",
                    f"Your message is too long. Text messages cannot be longer than {SMS_MAX} characters. "
                    f"Your message is {length} characters long.",
                )
        return template, to, personalisation

    def handle(self, path: str, headers, body: bytes) -> tuple[int, dict]:
        received_at = time.time()
        try:
            match = re.fullmatch(r"/v2/notifications/(sms|email)", path)
            if match is None:
                raise Refused(404, "BadRequestError", "Resource not found")
            claims = self.authorise(headers.get("Authorization"))
            channel = match.group(1)
            try:
                data = json.loads(body or b"null")
            except ValueError:
                raise Refused(400, "ValidationError", "Invalid JSON supplied in POST data") from None
            template, to, personalisation = self.check(channel, data)
        except Refused as refused:
            with self._lock:
                self.rejected.append((path, refused.status, refused.message))
            return refused.status, refused.body()

        with self._lock:
            trouble = self._trouble.get(canonical(to)) or _Trouble()
            status = trouble.statuses.pop(0) if trouble.statuses else trouble.always or 201
        if trouble.delay:
            time.sleep(trouble.delay)
        if status != 201:
            with self._lock:
                self.rejected.append((path, status, ERROR_WORDS.get(status, "Error")))
            return status, Refused(
                status, ERROR_NAMES.get(status, "BadRequestError"), ERROR_WORDS.get(status, "Error")
            ).body()

        message = Message(
            id=str(uuid.uuid4()),
            channel=channel,
            to=to,
            template_id=template.id,
            personalisation=personalisation,
            reference=data.get("reference"),
            body=template.render(template.body, personalisation),
            subject=template.render(template.subject, personalisation) if channel == "email" else None,
            claims=claims,
            received_at=received_at,
            answered_at=time.time(),
        )
        with self._lock:
            self.received.append(message)
        content: dict = {"body": message.body}
        if channel == "sms":
            content["from_number"] = "Northshire"
        else:
            content.update(
                subject=message.subject,
                from_email="northshire.council@notifications.service.gov.uk",
                one_click_unsubscribe_url=None,
            )
        return 201, {
            "id": message.id,
            "reference": message.reference,
            "content": content,
            "uri": f"{self.url}/v2/notifications/{message.id}",
            "template": {
                "id": template.id,
                "version": template.version,
                "uri": f"{self.url}/services/{self.service_id}/templates/{template.id}",
            },
            "scheduled_for": None,
        }


class _Server(ThreadingHTTPServer):
    # socketserver's default backlog of 5 drops the connections of a burst of sends, and
    # the client's retry a second later would look like a slow Notify.
    request_queue_size = 128


def _handler(service: FakeNotify):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            status, answer = service.handle(urlsplit(self.path).path, self.headers, body)
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format, *args):
            pass

    return Handler
