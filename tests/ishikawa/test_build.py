"""The build_analysis job: causes from the report's words and related reports; whys stay whys."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from server.events.models import Event
from server.extensions import db
from server.ishikawa import services
from server.ishikawa.jobs import build_analysis
from server.ishikawa.mining import make_cause
from server.ishikawa.models import Analysis, AnalysisRevision
from server.triage.models import Triage
from tests.factories import make_site, make_stored_report
from tests.ishikawa.helpers import analysis_url, category_of, causes_by_id, edit

REPORT_CAUSES = {
    "report-new-starter": "People",
    "report-training": "People",
    "report-guard": "Machines",
    "report-pump": "Machines",
    "report-moving-plant": "Machines",
    "report-oil": "Materials",
    "report-lighting": "Environment",
}


def build(client, report) -> dict:
    """Run the job as the worker would, and read the analysis back through the API."""
    build_analysis(report.pk)
    return client.get(analysis_url(report)).json


def test_the_reports_wording_gives_causes_in_their_categories(client, plant, officer):
    client.post(analysis_url(plant.report))
    analysis = build(client, plant.report)
    assert (analysis["status"], analysis["version"]) == ("ready", 2)
    causes = causes_by_id(analysis)
    assert {i: c["category"] for i, c in causes.items()} == REPORT_CAUSES
    guard = causes["report-guard"]
    assert guard["text"] == "Machine guard or interlock missing, damaged or bypassed"
    assert (guard["source"], guard["count"]) == ("report", 1)
    assert guard["report_ids"] == [str(plant.report.id)]
    assert analysis["built_at"] and analysis["updated_by"] is None
    people = next(c for c in analysis["categories"] if c["name"] == "People")
    assert [c["id"] for c in people["causes"]] == ["report-new-starter", "report-training"]


def test_the_job_builds_an_analysis_nobody_requested_and_returns_plain_values(plant):
    result = build_analysis(plant.report.pk)
    assert result == {"report_pk": plant.report.pk, "version": 1, "causes": len(REPORT_CAUSES)}
    assert build_analysis(10**9) is None


def test_whys_stay_whys_and_never_become_causes(client, plant, officer):
    client.post(analysis_url(plant.report))
    analysis = build(client, plant.report)
    whys = [
        "Because the operator was fatigued after a double shift",
        "Because no permit to work was issued",
    ]
    response = edit(
        client,
        plant.report,
        analysis["version"],
        *({"op": "add_why", "text": why} for why in whys),
        {"op": "edit_why", "index": 1, "text": "Because nobody issued a permit"},
    )
    assert response.status_code == 200
    assert response.json["whys"] == [whys[0], "Because nobody issued a permit"]
    assert causes_by_id(response.json).keys() == REPORT_CAUSES.keys()
    rebuilt = build(client, plant.report)
    assert causes_by_id(rebuilt).keys() == REPORT_CAUSES.keys()
    assert rebuilt["whys"] == response.json["whys"]


def test_causes_once_made_from_whys_go_at_the_next_build_unless_an_officer_kept_them(
    client, plant, officer
):
    client.post(analysis_url(plant.report))
    analysis = build(client, plant.report)
    whys = ["Rushed job", "No permit", "Nobody checked"]
    # As an analysis was saved while each why was also a cause.
    old = [
        make_cause("why-1", "People", whys[0], "why"),
        {**make_cause("why-2", "People", "No permit issued for the job", "why"), "edited": True},
        make_cause("why-3", "Measurement", whys[2], "why"),
    ]
    db.session.execute(
        update(Analysis).values(
            version=Analysis.version + 1,
            whys=whys,
            causes=db.session.scalar(select(Analysis.causes)) + old,
            root_cause_id="why-3",
        )
    )
    db.session.commit()
    before = causes_by_id(client.get(analysis_url(plant.report)).json)
    assert {"why-1", "why-2", "why-3"} <= before.keys()
    rebuilt = build(client, plant.report)
    causes = causes_by_id(rebuilt)
    assert rebuilt["version"] == analysis["version"] + 2
    assert "why-1" not in causes
    assert (causes["why-2"]["text"], causes["why-2"]["category"]) == (
        "No permit issued for the job",
        "People",
    )
    # The root cause an officer chose stays, as an edited cause does.
    assert rebuilt["root_cause_id"] == "why-3" and causes["why-3"]["text"] == "Nobody checked"
    assert rebuilt["whys"] == whys
    assert causes.keys() - {"why-2", "why-3"} == REPORT_CAUSES.keys()


def _related(plant, description: str, **kwargs):
    return make_stored_report(kwargs.pop("site", plant.north), plant.worker, description, **kwargs)


def test_recurring_causes_in_related_reports_carry_counts_and_links(client, plant, officer):
    now = datetime.now(UTC)
    elsewhere = make_site(plant.organization)
    guards = [_related(plant, f"Guard off the saw, day {n}") for n in range(3)]
    ice = [
        _related(plant, "Ice on the path to the gatehouse", observed_at=now - timedelta(days=d))
        for d in (1, 170)
    ]
    forklifts = [_related(plant, "Forklift too fast", site=elsewhere) for _ in range(2)]
    _related(plant, "Forklift too fast", site=elsewhere, kind="environmental_incident")
    _related(plant, "Ice again", observed_at=now - timedelta(days=200))
    _related(plant, "Noise from the compressor")
    _related(plant, "Noise checks done, ear defenders worn", kind="good_practice")
    client.post(analysis_url(plant.report))
    causes = causes_by_id(build(client, plant.report))
    guard = causes["report-guard"]
    assert guard["count"] == 4
    assert guard["report_ids"][0] == str(plant.report.id)
    assert set(guard["report_ids"]) == {str(r.id) for r in [plant.report, *guards]}
    assert causes["related-ice"]["category"] == "Environment"
    assert causes["related-ice"]["source"] == "related"
    assert causes["related-ice"]["count"] == 2
    assert causes["related-ice"]["report_ids"] == [str(r.id) for r in ice]
    assert causes["related-forklift"]["count"] == 2
    assert set(causes["related-forklift"]["report_ids"]) == {str(r.id) for r in forklifts}
    assert "related-noise" not in causes


def test_workers_see_links_and_counts_only_of_reports_they_may_open(client, auth, plant, officer):
    mine = _related(plant, "Guard missing again")
    theirs = make_stored_report(plant.north, plant.officer, "Guard still missing")
    client.post(analysis_url(plant.report))
    build_analysis(plant.report.pk)
    guard = causes_by_id(client.get(analysis_url(plant.report)).json)["report-guard"]
    assert set(guard["report_ids"]) == {str(plant.report.id), str(mine.id), str(theirs.id)}
    auth.login(plant.worker.email)
    guard = causes_by_id(client.get(analysis_url(plant.report)).json)["report-guard"]
    assert guard["count"] == 2
    assert set(guard["report_ids"]) == {str(plant.report.id), str(mine.id)}


def test_a_rebuild_keeps_officer_edits_and_refreshes_generated_causes(client, plant, officer):
    client.post(analysis_url(plant.report))
    analysis = build(client, plant.report)
    edited = edit(
        client,
        plant.report,
        analysis["version"],
        {"op": "add_cause", "category": "Methods", "text": "Cleaning done with the press live"},
        {"op": "edit_cause", "id": "report-guard", "text": "Guard taken off for cleaning"},
        {"op": "move_cause", "id": "report-oil", "category": "Machines"},
        {"op": "remove_cause", "id": "report-lighting"},
        {"op": "set_root_cause", "id": "report-guard"},
        {"op": "set_effect", "text": "Press 4 run without its guard"},
    ).json
    added = next(i for i in causes_by_id(edited) if i.startswith("officer-"))
    for description in ("Poor lighting and noise", "Noise, guard loose", "Lighting out"):
        _related(plant, description)
    rebuilt = build(client, plant.report)
    causes = causes_by_id(rebuilt)
    assert rebuilt["version"] == edited["version"] + 1
    assert causes[added]["text"] == "Cleaning done with the press live"
    assert causes["report-guard"]["text"] == "Guard taken off for cleaning"
    assert causes["report-guard"]["edited"] and causes["report-guard"]["count"] == 2
    assert category_of(rebuilt, "report-oil") == "Machines"
    # Removed stays removed, though lighting now recurs in related reports.
    assert not {"report-lighting", "related-lighting"} & set(causes)
    assert causes["related-noise"]["count"] == 2
    assert rebuilt["root_cause_id"] == "report-guard"
    assert rebuilt["effect"] == "Press 4 run without its guard"
    assert db.session.scalar(select(func.count()).select_from(Analysis)) == 1


def test_running_twice_without_news_keeps_the_version(client, plant, officer):
    client.post(analysis_url(plant.report))
    first = build(client, plant.report)
    assert build(client, plant.report) == first
    revisions = db.session.scalar(select(func.count()).select_from(AnalysisRevision))
    assert revisions == first["version"] == 2
    built = select(func.count()).select_from(Event).where(Event.action == "analysis_built")
    assert db.session.scalar(built) == 1


def test_every_version_is_kept_as_a_revision(client, plant, officer):
    client.post(analysis_url(plant.report))
    analysis = build(client, plant.report)
    edit(client, plant.report, analysis["version"], {"op": "add_why", "text": "Rushed job"})
    rows = db.session.execute(
        select(
            AnalysisRevision.version, AnalysisRevision.change, AnalysisRevision.created_by
        ).order_by(AnalysisRevision.version)
    ).all()
    assert rows == [(1, "requested", officer.id), (2, "built", None), (3, "edited", officer.id)]
    last = db.session.scalar(select(AnalysisRevision).where(AnalysisRevision.version == 3))
    assert last.data["whys"] == ["Rushed job"]
    assert {c["id"] for c in last.data["causes"]} == REPORT_CAUSES.keys()


def test_a_build_racing_an_officers_edit_builds_on_their_version(plant, monkeypatch):
    build_analysis(plant.report.pk)
    real_merge, seen = services.merge_generated, []

    def officer_saves_meanwhile(data, generated, sources):
        seen.append(data["whys"])
        if len(seen) == 1:
            with db.engine.begin() as connection:
                connection.execute(
                    update(Analysis).values(version=Analysis.version + 1, whys=["Night shift"])
                )
        return real_merge(data, generated, sources)

    monkeypatch.setattr(services, "merge_generated", officer_saves_meanwhile)
    _related(plant, "Ice on the step")
    _related(plant, "Ice again")
    result = build_analysis(plant.report.pk)
    assert seen == [[], ["Night shift"]]
    analysis = db.session.scalar(select(Analysis))
    assert result["version"] == analysis.version == 3
    assert analysis.whys == ["Night shift"]
    assert "related-ice" in {c["id"] for c in analysis.causes}


def test_a_failed_build_is_recorded_and_raised(client, plant, officer, monkeypatch):
    client.post(analysis_url(plant.report))

    def broken(report):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "related_reports", broken)
    with pytest.raises(RuntimeError):
        build_analysis(plant.report.pk)
    analysis = client.get(analysis_url(plant.report)).json
    assert (analysis["status"], analysis["version"]) == ("failed", 2)
    monkeypatch.undo()
    assert build(client, plant.report)["status"] == "ready"


def test_with_a_triage_category_related_means_same_site_or_same_category(client, plant, officer):
    elsewhere = make_site(plant.organization)
    alike = [
        make_stored_report(elsewhere, plant.worker, "Ice by the door", kind="near_miss")
        for _ in range(2)
    ]
    unlike = [make_stored_report(elsewhere, plant.worker, "Ice on the ramp") for _ in range(2)]
    for report, category in (
        [(plant.report, "slips_trips")]
        + [(r, "slips_trips") for r in alike]
        + [(r, "machinery") for r in unlike]
    ):
        db.session.add(Triage(report_pk=report.pk, category=category))
    db.session.commit()
    client.post(analysis_url(plant.report))
    ice = causes_by_id(build(client, plant.report))["related-ice"]
    assert set(ice["report_ids"]) == {str(r.id) for r in alike}
