"""How fast `flask reminders send-due` pushes: 10,000 due reminders to a fake push service.

Builds a throwaway SQLite database (or uses BENCH_DATABASE_URL) with 2,000 people, one
subscribed phone each and 5 due reminders each, then runs the whole of send-due (collect,
record once, deliver) with the real sender: pywebpush encrypting every payload and signing
a fresh VAPID token for every send. The push service runs in its own process on 127.0.0.1
and checks every signature and decrypts every payload, as in the tests. Prints sends per
second and the runner's peak memory; writes bench/results/push.json.

    make bench          # or: .venv/bin/python -m bench.push
"""

from __future__ import annotations

import json
import multiprocessing
import os
import resource
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.request import urlopen

import flask_migrate
from sqlalchemy import insert

from app import create_app
from app.domain.reminders import LONDON, Candidate, Reason
from app.domain.roles import Role
from app.extensions import db
from app.models import PushSubscription, User
from app.push import delivery
from app.push.sender import WebPushSender, generate_keys
from tests.fake_push import FakePushService, subscription_for

ROOT = Path(__file__).resolve().parent.parent
PEOPLE = 2000
REMINDERS_EACH = 5
TARGET_PER_SECOND = 200


def serve_push(public_key: str, ready) -> None:
    fake = FakePushService(expected_key=public_key, record=False)
    ready.put(fake.url)
    fake.server.serve_forever()


def build(app, push_url: str) -> list[int]:
    with app.app_context():
        flask_migrate.upgrade(directory=str(ROOT / "migrations"))
        now = datetime.now(UTC)
        result = db.session.execute(
            insert(User).returning(User.id),
            [
                {
                    "username": f"bench{n}",
                    "full_name": f"Bench Carer {n}",
                    "role": Role.CARER.value,
                    "is_active": True,
                    "created_at": now,
                }
                for n in range(PEOPLE)
            ],
        )
        ids = [row[0] for row in result]
        rows = []
        for n, user_id in enumerate(ids):
            info = subscription_for(push_url, f"bench{n}")
            rows.append(
                {
                    "user_id": user_id,
                    "endpoint": info["endpoint"],
                    "p256dh": info["keys"]["p256dh"],
                    "auth": info["keys"]["auth"],
                    "device_label": "Bench",
                    "created_at": now,
                    "last_seen_at": now,
                }
            )
        db.session.execute(insert(PushSubscription), rows)
        db.session.commit()
        return ids


def peak_memory_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    private, public = generate_keys()
    ready: multiprocessing.Queue[str] = multiprocessing.Queue()
    server = multiprocessing.Process(target=serve_push, args=(public, ready), daemon=True)
    server.start()
    push_url = ready.get(timeout=30)

    tmp = tempfile.TemporaryDirectory()
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tmp.name}/bench.db"
    app = create_app(
        {
            "APP_ENV": "testing",
            "SQLALCHEMY_DATABASE_URI": url,
            "VAPID_PRIVATE_KEY": private,
            "VAPID_PUBLIC_KEY": public,
            "PUSH_ALLOW_HTTP": True,
            "PUSH_SERVICE_HOSTS": ["127.0.0.1"],
        }
    )
    try:
        ids = build(app, push_url)
        candidates = [
            Candidate(user_id, Reason.PRACTISE_SKILLS, f"bench:{n}", None)
            for user_id in ids
            for n in range(REMINDERS_EACH)
        ]
        today = datetime.now(LONDON).date()
        clock_start = datetime(today.year, today.month, today.day, 12, tzinfo=LONDON).astimezone(UTC)
        memory_before = peak_memory_mb()
        with app.app_context():
            started = time.perf_counter()
            now = clock_start
            _, created = delivery.remind(candidates, now)
            db.session.commit()  # as `flask reminders send-due` does
            recorded = time.perf_counter()
            report = delivery.deliver(
                end_batch=db.session.commit,
                sender=WebPushSender(private, "mailto:bench@example.com"),
                clock=lambda: clock_start + timedelta(seconds=time.perf_counter() - started),
                max_wait=0,
                app_name=app.config["APP_NAME"],
            )
            finished = time.perf_counter()
        stats = json.loads(urlopen(push_url + "/stats").read())  # noqa: S310 (our own 127.0.0.1)
    finally:
        server.terminate()
        with app.app_context():
            db.engine.dispose()
        tmp.cleanup()

    sending = finished - recorded
    results = {
        "database": url.split(":", 1)[0],
        "cpus": os.cpu_count(),
        "reminders": len(candidates),
        "recorded": len(created),
        "sent": report.sent,
        "push_service_received": stats["count"],
        "push_service_problems": len(stats["problems"]),
        "record_seconds": round(recorded - started, 2),
        "send_seconds": round(sending, 2),
        "sends_per_second": round(report.sent / sending, 1),
        "end_to_end_per_second": round(report.sent / (finished - started), 1),
        "peak_memory_mb": round(peak_memory_mb(), 1),
        "memory_before_mb": round(memory_before, 1),
        "target_per_second": TARGET_PER_SECOND,
    }
    print(f"push: {results['sent']} of {results['reminders']} reminders sent ({results['database']})")
    print(f"  recording: {results['record_seconds']} s; sending: {results['send_seconds']} s")
    print(
        f"  {results['sends_per_second']} sends/s ({results['end_to_end_per_second']} end to end); "
        f"target {TARGET_PER_SECOND}/s"
    )
    print(f"  peak memory (runner): {results['peak_memory_mb']} MB")
    if stats["problems"]:
        print("  push service problems:", stats["problems"][:3])
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "push.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
