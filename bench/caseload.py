"""How long the busiest pages take with a realistic council's data.

Builds a throwaway SQLite database (or uses BENCH_DATABASE_URL) with 1,000 young people,
one worker holding 500 of them, then times sign-in and the caseload, young person and home
pages through the WSGI app. Prints a table; writes bench/results/caseload.json.

    make bench
"""

from __future__ import annotations

import json
import os
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import flask_migrate
from sqlalchemy import event

from app import create_app
from app.demo import DEMO_PASSWORD, load_demo_data
from app.domain.roles import AllocationKind, CareStatus, Role
from app.extensions import db
from app.models import Allocation, User, YoungPersonProfile
from app.timeutil import london_today

ROOT = Path(__file__).resolve().parent.parent
YOUNG_PEOPLE = 1000
ON_ONE_CASELOAD = 500
ROUNDS = 200


def build(app) -> None:
    with app.app_context():
        flask_migrate.upgrade(directory=str(ROOT / "migrations"))
        today = london_today()
        load_demo_data(today)
        db.session.commit()
        omar = db.session.scalar(db.select(User).where(User.username == "omar"))
        priya = db.session.scalar(db.select(User).where(User.username == "priya"))
        for n in range(YOUNG_PEOPLE):
            user = User(username=f"bench{n}", full_name=f"Bench Person {n}", role=Role.YOUNG_PERSON)
            profile = YoungPersonProfile(
                user=user,
                preferred_name=f"Person {n:04d}",
                date_of_birth=date(2009, 1, 1) + timedelta(days=n % 2500),
                care_status=CareStatus.IN_CARE,
            )
            worker = omar if n < ON_ONE_CASELOAD else priya
            db.session.add_all([user, profile])
            db.session.add(
                Allocation(
                    young_person=profile,
                    worker_id=worker.id,
                    kind=AllocationKind.SOCIAL_WORKER,
                    starts_on=today - timedelta(days=30),
                )
            )
        db.session.commit()


def sign_in(client, username):
    html = client.get("/login").get_data(as_text=True)
    token = html.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]
    started = time.perf_counter()
    response = client.post(
        "/login", data={"username": username, "password": DEMO_PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302, response.status_code
    return time.perf_counter() - started


def time_page(app, client, path):
    statements = []

    def count(*_args):
        statements.append(1)

    with app.app_context():
        engine = db.engine
    timings = []
    for _ in range(ROUNDS):
        statements.clear()
        event.listen(engine, "before_cursor_execute", count)
        started = time.perf_counter()
        response = client.get(path)
        timings.append(time.perf_counter() - started)
        event.remove(engine, "before_cursor_execute", count)
        assert response.status_code == 200, (path, response.status_code)
    timings.sort()
    return {
        "path": path,
        "median_ms": round(statistics.median(timings) * 1000, 2),
        "p95_ms": round(timings[int(len(timings) * 0.95) - 1] * 1000, 2),
        "statements": len(statements),
    }


def main() -> None:
    url = os.environ.get("BENCH_DATABASE_URL")
    workdir = tempfile.mkdtemp()
    url = url or f"sqlite:///{workdir}/bench.db"
    # Production's password cost, so the sign-in time is the real one.
    app = create_app({"APP_ENV": "development", "SQLALCHEMY_DATABASE_URI": url})
    build(app)
    results = {"database": url.split(":", 1)[0], "young_people": YOUNG_PEOPLE, "rounds": ROUNDS}

    omar = app.test_client()
    results["sign_in_ms"] = round(sign_in(omar, "omar") * 1000, 1)
    with app.app_context():
        first = db.session.scalar(db.select(User.id).where(User.username == "bench0"))
    pages = [
        time_page(app, omar, "/care/young-people"),
        time_page(app, omar, "/care/young-people?page=20"),
        time_page(app, omar, f"/care/young-people/{first}"),
    ]
    maya = app.test_client()
    sign_in(maya, "maya")
    pages.append(time_page(app, maya, "/"))
    results["pages"] = pages

    print(f"sign-in (Argon2id, production cost): {results['sign_in_ms']} ms")
    print(f"{'page':40} {'median ms':>10} {'p95 ms':>8} {'SQL':>5}")
    for row in pages:
        print(f"{row['path']:40} {row['median_ms']:>10} {row['p95_ms']:>8} {row['statements']:>5}")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "caseload.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
