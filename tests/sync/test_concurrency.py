"""The same report sent by several requests at the same moment gives exactly one row."""

import threading

from sqlalchemy import func, select

from server.events.models import Event
from server.extensions import db
from server.jobs.models import OutboxMessage
from server.reports.models import Report
from tests.factories import PASSWORD, make_organization, make_site, make_user, report_item

CLIENTS = 6


def test_simultaneous_sends_of_one_report_make_one_row(app):
    organization = make_organization()
    site = make_site(organization)
    user = make_user(organization)
    item = report_item(site.id)
    clients = [app.test_client() for _ in range(CLIENTS)]
    for client in clients:
        client.post("/api/auth/login", json={"email": user.email, "password": PASSWORD})
    start = threading.Barrier(CLIENTS)
    statuses = []

    def send(client):
        start.wait()
        response = client.post("/api/sync", json={"reports": [item]})
        statuses.append((response.status_code, response.json["results"][0]["status"]))

    threads = [threading.Thread(target=send, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == [(200, "created")] + [(200, "duplicate")] * (CLIENTS - 1)
    db.session.expire_all()
    for model in (Report, Event, OutboxMessage):
        assert db.session.scalar(select(func.count()).select_from(model)) == 1
