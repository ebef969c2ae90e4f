"""A report and its photo sent at the same moment: the report never waits for a photo held.

The phone sends the photo and the report from two requests that really run at once, against
the same database, with a little jitter each round so that every interleaving comes up.
"""

import hashlib
import random
import threading
import time
import uuid

from sqlalchemy import select

from server.extensions import db
from server.reports.models import Report
from tests.factories import PASSWORD, make_organization, make_site, make_user, report_item
from tests.media.images import jpeg

ROUNDS = 40
JITTER_S = 0.03


def signed_in(app, user):
    client = app.test_client()
    client.post("/api/auth/login", json={"email": user.email, "password": PASSWORD})
    return client


def at_once(*calls) -> None:
    """Run the calls in threads released together."""
    start = threading.Barrier(len(calls))

    def run(call):
        start.wait()
        call()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def status_of(report_id: str) -> str:
    db.session.expire_all()
    status = db.session.scalar(select(Report.status).where(Report.id == uuid.UUID(report_id)))
    db.session.commit()
    return status


def test_a_photo_uploaded_while_its_report_syncs_completes_the_report(app):
    organization = make_organization()
    site = make_site(organization)
    user = make_user(organization)
    syncing, uploading = signed_in(app, user), signed_in(app, user)
    jitter = random.Random(9)
    stuck, answers = [], []
    for round_number in range(ROUNDS):
        photo = jpeg(size=(96, 72))
        sha = hashlib.sha256(photo).hexdigest()
        item = report_item(site.id, photos=[{"sha256": sha, "content_type": "image/jpeg"}])
        delay = jitter.uniform(0, JITTER_S)

        def sync(item=item, delay=delay):
            time.sleep(delay)
            answers.append(syncing.post("/api/sync", json={"reports": [item]}).json)

        def upload(photo=photo, sha=sha):
            uploading.put(f"/api/photos/{sha}", data=photo, content_type="image/jpeg")

        at_once(sync, upload)
        # Both requests have answered: the photo is held, so the report must be complete.
        if status_of(item["id"]) != "received":
            stuck.append(round_number)
        [resent] = syncing.post("/api/sync", json={"reports": [item]}).json["results"]
        assert resent["status"] == "duplicate", (round_number, resent)
    assert stuck == []
    assert all(a["results"][0]["status"] in ("created", "missing_photos") for a in answers)
