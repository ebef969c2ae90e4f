"""POST and GET /api/reports/{id}/analysis: asking for an analysis, and who may see it."""

from sqlalchemy import func, select

from server.events.models import Event
from server.extensions import db
from server.ishikawa.cues import CATEGORIES
from server.ishikawa.jobs import build_analysis
from server.ishikawa.models import Analysis, AnalysisRevision
from server.ishikawa.services import BUILD_ANALYSIS
from server.jobs.models import OutboxMessage
from tests.factories import make_organization, make_site, make_stored_report, make_user
from tests.ishikawa.helpers import analysis_url, edit


def build_jobs(report) -> list[OutboxMessage]:
    stmt = select(OutboxMessage).where(OutboxMessage.job == BUILD_ANALYSIS)
    return [m for m in db.session.scalars(stmt) if m.payload == {"report_pk": report.pk}]


def test_an_officer_asks_for_an_analysis_and_a_job_is_queued(client, plant, officer):
    response = client.post(analysis_url(plant.report))
    assert response.status_code == 202
    body = response.json
    assert (body["status"], body["version"]) == ("requested", 1)
    assert body["report_id"] == str(plant.report.id)
    assert body["effect"].startswith("Hazard at North Plant: New starter not trained")
    assert [c["name"] for c in body["categories"]] == list(CATEGORIES)
    assert all(c["causes"] == [] for c in body["categories"])
    assert body["updated_by"]["id"] == officer.id
    assert len(build_jobs(plant.report)) == 1
    event = db.session.scalar(select(Event).where(Event.action == "analysis_requested"))
    assert (event.entity_type, event.entity_id) == ("report", str(plant.report.id))
    assert client.get(analysis_url(plant.report)).json == body


def test_asking_again_queues_a_rebuild_of_the_one_analysis(client, plant, officer):
    client.post(analysis_url(plant.report))
    assert client.post(analysis_url(plant.report)).json["version"] == 1
    build_analysis(plant.report.pk)
    again = client.post(analysis_url(plant.report)).json
    assert (again["status"], again["version"]) == ("requested", 3)
    assert len(build_jobs(plant.report)) == 3
    assert db.session.scalar(select(func.count()).select_from(Analysis)) == 1
    changes = db.session.scalars(select(AnalysisRevision.change).order_by(AnalysisRevision.version))
    assert list(changes) == ["requested", "built", "requested"]


def test_no_analysis_until_one_is_requested(client, plant, officer):
    response = client.get(analysis_url(plant.report))
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert client.get(analysis_url(plant.report, "/diagram.svg")).status_code == 404
    assert edit(client, plant.report, 1, {"op": "add_why", "text": "Why?"}).status_code == 404


def test_workers_may_read_their_own_reports_analysis_but_not_ask_or_edit(client, auth, plant):
    auth.login(plant.worker.email)
    assert client.post(analysis_url(plant.report)).status_code == 403
    auth.login(plant.officer.email)
    client.post(analysis_url(plant.report))
    auth.login(plant.worker.email)
    assert client.get(analysis_url(plant.report)).status_code == 200
    assert client.get(analysis_url(plant.report, "/diagram.png")).status_code == 200
    response = edit(client, plant.report, 1, {"op": "add_why", "text": "Why?"})
    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"
    assert db.session.scalar(select(Analysis.version)) == 1


def test_other_workers_and_other_organizations_get_404(client, auth, plant):
    auth.login(plant.officer.email)
    client.post(analysis_url(plant.report))
    auth.login(make_user(plant.organization).email)
    assert client.get(analysis_url(plant.report)).status_code == 404
    assert client.get(analysis_url(plant.report, "/diagram.svg")).status_code == 404
    auth.login(make_user(make_organization(), role="admin").email)
    for response in (
        client.post(analysis_url(plant.report)),
        client.get(analysis_url(plant.report)),
        edit(client, plant.report, 1, {"op": "add_why", "text": "Why?"}),
        client.get(analysis_url(plant.report, "/diagram.svg")),
        client.get(analysis_url(plant.report, "/diagram.png")),
    ):
        assert response.status_code == 404
    assert len(build_jobs(plant.report)) == 1


def test_an_officer_limited_to_other_sites_gets_404(client, auth, plant):
    south_officer = make_user(plant.organization, role="officer", sites=[plant.south])
    auth.login(south_officer.email)
    assert client.post(analysis_url(plant.report)).status_code == 404
    south_report = make_stored_report(plant.south, plant.worker, "Ice on the path")
    assert client.post(analysis_url(south_report)).status_code == 202


def test_signed_out_is_401(client, plant):
    assert client.post(analysis_url(plant.report)).status_code == 401
    assert client.get(analysis_url(plant.report)).status_code == 401


def test_analysis_of_another_site_is_not_mixed_up(client, plant, officer):
    other = make_stored_report(make_site(plant.organization), plant.worker, "Wet floor")
    client.post(analysis_url(plant.report))
    assert client.get(analysis_url(other)).status_code == 404
