"""What the chain tests share: a plant with people, events written the ways the app writes them,
raw SQL behind the app's back, and `flask events verify` run in-process or as a real process."""

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from server.events.models import Event
from server.events.services import record_event
from server.extensions import db
from tests.factories import make_organization, make_site, make_user, report_item

ROOT = Path(__file__).resolve().parents[2]
FLASK = ROOT / ".venv" / "bin" / "flask"
# Data as people and jobs write it: floats, unicode beyond the BMP, NUL, big integers, nesting.
ODD_DATA = {
    "score": 0.1 + 0.2,
    "ratio": 1e-7,
    "whole": 3.0,
    "negative_zero": -0.0,
    "big": 2**63 + 5,
    "text": 'Ölfleck – Halle 4 ☢ 🦺 \u0000 «quotes» "and" \\ back\tslash',
    "nested": {"z": [1, 2.5, None, True], "a": {"é": "x"}},
    "unsorted": {"b": 1, "a": 2, "10": 3, "9": 4},
}


@dataclass(frozen=True)
class Plant:
    """Plain values: the raw SQL helpers end the session, and its objects with it."""

    organization_id: int
    site_id: int
    worker: str
    officer: str


def make_plant() -> Plant:
    """An organization with a site, a worker and an officer (their emails)."""
    organization = make_organization()
    site = make_site(organization)
    worker = make_user(organization, sites=[site])
    officer = make_user(organization, role="officer")
    return Plant(organization.id, site.id, worker.email, officer.email)


def use_the_app(client, auth, plant: Plant, reports: int = 3) -> list[str]:
    """Reports synced in one batch (bulk events), one moved by the officer (a single event),
    and a few events written directly with odd data; the synced reports' ids."""
    auth.login(plant.worker)
    items = [report_item(plant.site_id) for _ in range(reports)]
    answer = client.post("/api/sync", json={"reports": items})
    assert {result["status"] for result in answer.json["results"]} == {"created"}
    auth.login(plant.officer)
    moved = client.patch(f"/api/reports/{items[0]['id']}/status", json={"status": "in_progress"})
    assert moved.status_code == 200, moved.json
    auth.logout()
    for number in range(3):
        record_event(plant.organization_id, None, "note", f"n{number}", "noted", **ODD_DATA)
    db.session.commit()
    return [item["id"] for item in items]


def events_of(organization_id: int) -> list[Event]:
    """An organization's events by seq, as the database holds them now."""
    db.session.expire_all()
    stmt = select_events(organization_id)
    return list(db.session.scalars(stmt))


def select_events(organization_id: int):
    return sa.select(Event).where(Event.organization_id == organization_id).order_by(Event.seq)


def raw(sql: str, **params) -> int:
    """Run SQL on the database behind the app's back, committed; the rows it touched."""
    db.session.remove()
    with db.engine.begin() as connection:
        return connection.execute(sa.text(sql), params).rowcount


def verify_in_process(app, *args: str):
    """`flask events verify` through Flask's CLI runner."""
    db.session.remove()
    return app.test_cli_runner().invoke(args=["events", "verify", *args])


def verify_as_process(app, *args: str) -> subprocess.CompletedProcess:
    """`.venv/bin/flask events verify` as a real process, on the app's database."""
    db.session.remove()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("REDIS_URL", "RATELIMIT_STORAGE_URI")
    }
    env.update(
        FLASK_APP="server",
        DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
        SECRET_KEY="verify-test",
        MEDIA_ROOT=app.config["MEDIA_ROOT"],
    )
    return subprocess.run(
        [str(FLASK), "events", "verify", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
