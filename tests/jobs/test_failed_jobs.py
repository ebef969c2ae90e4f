"""A job that fails after its retries is listed for officers and can be run again."""

from rq import Queue
from rq.job import Job, JobStatus

from server.jobs.queue import QUEUE_NAME, redis_connection
from server.jobs.registry import JobKind, register_job
from tests.factories import PASSWORD, make_organization, make_site, make_user, report_item
from tests.jobs.conftest import wait_until


def sign_in(client, user):
    client.post("/api/auth/login", json={"email": user.email, "password": PASSWORD})


def test_failed_jobs_are_listed_and_retried(queued_app, worker_process, tmp_path):
    organization = make_organization()
    site = make_site(organization)
    worker, officer = make_user(organization), make_user(organization, role="officer")
    client = queued_app.test_client()
    sign_in(client, worker)
    item = report_item(site.id)
    client.post("/api/sync", json={"reports": [item]})
    from server.reports.services import find_report

    report = find_report(organization.id, __import__("uuid").UUID(item["id"]))
    flag = tmp_path / "allowed"
    # A job kind about reports, as a feature registers one: listed for those who may open them.
    register_job(
        JobKind("explode_until", "tests.jobs.failing.explode_until", "report", "report_pk")
    )
    queue = Queue(QUEUE_NAME, connection=redis_connection())
    queue.empty()
    job = queue.enqueue(
        "tests.jobs.failing.explode_until",
        kwargs={"report_pk": report.pk, "flag_file": str(flag)},
        meta={"job": "explode_until"},
    )
    worker_process()
    wait_until(
        lambda: Job.fetch(job.id, connection=queue.connection).get_status() == JobStatus.FAILED
    )

    assert client.get("/api/jobs/failed").status_code == 403
    sign_in(client, officer)
    [failed] = client.get("/api/jobs/failed").json
    assert failed["id"] == job.id and failed["report_id"] == item["id"]
    assert "flag file missing" in failed["error"]

    outsider = queued_app.test_client()
    sign_in(outsider, make_user(make_organization(), role="officer"))
    assert outsider.get("/api/jobs/failed").json == []
    assert outsider.post(f"/api/jobs/{job.id}/retry").status_code == 404

    flag.touch()
    assert client.post(f"/api/jobs/{job.id}/retry").status_code == 202
    wait_until(
        lambda: Job.fetch(job.id, connection=queue.connection).get_status() == JobStatus.FINISHED
    )
    assert client.get("/api/jobs/failed").json == []


def test_without_a_queue_the_jobs_api_says_so(client, auth):
    auth.login(make_user(make_organization(), role="officer").email)
    response = client.get("/api/jobs/failed")
    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
