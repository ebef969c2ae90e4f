"""The transactional outbox: committed rows reach the queue, once, whatever Redis does."""

from rq import Queue
from sqlalchemy import select

from server.extensions import db
from server.jobs.models import OutboxMessage
from server.jobs.queue import QUEUE_NAME, redis_connection
from server.jobs.relay import relay
from tests.factories import PASSWORD, make_organization, make_site, make_user, report_item


def sign_in(client, user):
    client.post("/api/auth/login", json={"email": user.email, "password": PASSWORD})


def test_a_new_report_is_queued_for_triage_right_after_commit(queued_app):
    organization = make_organization()
    site = make_site(organization)
    client = queued_app.test_client()
    sign_in(client, make_user(organization))
    client.post("/api/sync", json={"reports": [report_item(site.id)]})
    [message] = db.session.scalars(select(OutboxMessage)).all()
    assert message.sent_at is not None and message.attempts == 1
    queue = Queue(QUEUE_NAME, connection=redis_connection())
    [job] = queue.get_jobs()
    assert job.id == f"outbox-{message.id}"
    assert job.func_name == "server.triage.jobs.triage_report"
    assert job.kwargs == message.payload


def test_a_claimed_row_is_never_sent_twice(queued_app):
    message = OutboxMessage(job="triage_report", payload={"report_pk": 1})
    db.session.add(message)
    db.session.commit()  # the after-commit relay sends it
    assert relay([message.id]) == 0
    assert relay() == 0
    assert len(Queue(QUEUE_NAME, connection=redis_connection()).get_jobs()) == 1
