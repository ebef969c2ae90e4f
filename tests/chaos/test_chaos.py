"""Chaos: phones syncing through broken requests while the web server, Redis and the worker fail.

Devices send reports with photos to gunicorn over HTTP, resend batches, abort uploads half way and
drop answers; meanwhile the web server is restarted, Redis is stopped and started (losing every
queued job, as it keeps nothing on disk) and the worker is killed. At the end every report is on
the server once, every photo downloads with the bytes its hash names, and every report is triaged.
"""

import hashlib
import random
import threading
import time
import uuid

from sqlalchemy import func, select

from server.extensions import db
from server.reports.models import Report
from server.triage.models import Triage
from tests.chaos.device import Device, PhotoFile
from tests.factories import make_organization, make_site, make_user
from tests.jobs.conftest import wait_until
from tests.live_server import GunicornServer, app_environment
from tests.media.images import encode, photo
from tests.redis_server import RedisServer
from tests.workers import WorkerProcess

DEVICES = 6
REPORTS_PER_DEVICE = 12
DEADLINE_S = 120


def _photos(count: int, seed: int) -> list[PhotoFile]:
    """Small distinct JPEGs, as a phone sends them after downsizing."""
    files = []
    for number in range(count):
        data = encode(photo((320, 240), grain=seed * 31 + number), "JPEG", quality=80)
        files.append(PhotoFile(hashlib.sha256(data).hexdigest(), data))
    return files


def _items(site_id: int, device: int) -> list[tuple[dict, list[PhotoFile]]]:
    """Each device's reports: most with one or two photos, one photo shared by two reports."""
    rng = random.Random(device)
    pool = _photos(REPORTS_PER_DEVICE, seed=device + 1)
    items = []
    for number in range(REPORTS_PER_DEVICE):
        photos = rng.sample(pool, rng.choice((0, 1, 1, 2)))
        items.append(
            (
                {
                    "id": str(uuid.uuid4()),
                    "kind": rng.choice(("hazard", "near_miss", "environmental_incident")),
                    "site_id": site_id,
                    "observed_at": "2026-11-20T09:30:00+01:00",
                    "description": f"Device {device} report {number}: oil leak near press {number}",
                    "location": None,
                    "severity": rng.randint(1, 5),
                    "likelihood": rng.randint(1, 5),
                    "photos": [
                        {"sha256": p.sha256, "content_type": "image/jpeg", "width": 320}
                        | {"height": 240}
                        for p in photos
                    ],
                },
                photos,
            )
        )
    return items


def _disrupt(web: GunicornServer, redis_server: RedisServer, workers: list, start_worker) -> list:
    """Restart the web server, stop and start Redis, kill the worker: what happened, in order."""
    log = []
    time.sleep(1.5)
    web.stop()
    log.append("web server stopped")
    time.sleep(1.0)
    web.start()
    log.append("web server started")
    time.sleep(1.5)
    redis_server.stop()
    log.append("Redis stopped")
    time.sleep(2.5)
    redis_server.start()
    log.append("Redis started (empty)")
    time.sleep(1.0)
    workers[-1].kill()
    log.append("worker killed (SIGKILL)")
    time.sleep(1.0)
    workers.append(start_worker())
    log.append("worker started")
    return log


def test_every_report_arrives_once_verified_and_triaged(make_app, tmp_path):
    redis_server = RedisServer().start()
    app = make_app(REDIS_URL=redis_server.url)
    with app.app_context():
        organization = make_organization()
        site = make_site(organization)
        users = [make_user(organization, email=f"device{n}@example.test") for n in range(DEVICES)]
        emails = [user.email for user in users]
        site_id = site.id
        db.session.remove()

    settings = {"JOB_RESCUE_AFTER": "3", "SWEEP_INTERVAL": "0.5"}
    web = GunicornServer(app_environment(app), log_path=tmp_path / "gunicorn.log").start()
    workers = [WorkerProcess(app, redis_server.url, **settings).start()]
    try:
        devices = [Device(web.url, emails[n], _items(site_id, n), seed=n) for n in range(DEVICES)]
        threads = [threading.Thread(target=d.run, args=(DEADLINE_S,)) for d in devices]
        for thread in threads:
            thread.start()
        events = _disrupt(
            web,
            redis_server,
            workers,
            lambda: WorkerProcess(app, redis_server.url, **settings).start(),
        )
        for thread in threads:
            thread.join(DEADLINE_S + 10)
        unsent = sum(len(d.outbox) for d in devices)
        assert unsent == 0, f"{unsent} reports still in the phones' outboxes"

        expected = {item["id"] for d in devices for item, _ in d.items}
        with app.app_context():
            stored = db.session.scalars(select(Report.id)).all()
            assert sorted(str(i) for i in stored) == sorted(expected)

            def all_triaged():
                db.session.remove()
                return db.session.scalar(select(func.count(Triage.id))) == len(expected)

            wait_until(all_triaged, timeout=90, interval=0.5)
            db.session.remove()

        verified = sum(d.verify_photos() for d in devices)
        photos_sent = len({p.sha256 for d in devices for _, ps in d.items for p in ps})
        assert verified == photos_sent
        counters = {key: sum(d.counters[key] for d in devices) for key in devices[0].counters}
        print(
            f"\nchaos: {DEVICES} devices, {len(expected)} reports, {photos_sent} photos; "
            + ", ".join(f"{key} {value}" for key, value in counters.items())
            + f"\nchaos: {'; '.join(events)}"
            + f"\nchaos: {len(stored)} reports on the server (each once), "
            f"{verified} photos hash-verified, {len(expected)} triaged"
        )
    finally:
        for worker in workers:
            worker.stop()
        web.stop()
        redis_server.stop()
