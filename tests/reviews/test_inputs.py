"""A review's inputs against records made for the purpose: every count and rate can be checked by
hand. The review is 2026 Q3 (1 July to 30 September); the comparison is Q2. North keeps
Europe/London time (an hour ahead of UTC in summer), South keeps UTC."""

from datetime import date

from server.extensions import db
from server.reminders.models import Reminder
from server.reviews.inputs import review_inputs
from tests.reviews.conftest import (
    Q3,
    answer,
    at,
    make_action,
    make_audit,
    make_nc,
    make_report,
    make_risk,
    make_template,
    rate,
)


def inputs(plant, site_ids=()):
    return review_inputs(plant.organization.id, list(site_ids), *Q3)


def test_incidents_by_kind_and_month_beside_the_quarter_before(plant):
    north, south = plant.north, plant.south
    make_report(north, "injury", at("2026-07-10 09:00"), severity=4)
    make_report(north, "injury", at("2026-09-30 22:30"))  # 23:30 in London: still Q3
    make_report(north, "near_miss", at("2026-09-30 23:30"))  # 00:30 on 1 October in London
    make_report(north, "near_miss", at("2026-06-30 23:30"))  # 00:30 on 1 July in London: Q3
    make_report(south, "near_miss", at("2026-06-30 23:30"))  # South keeps UTC: Q2
    make_report(south, "environmental_incident", at("2026-08-01 12:00"), severity=5)
    make_report(south, "hazard", at("2026-08-02 12:00"), severity=5)  # a hazard is not serious
    make_report(south, "good_practice", at("2026-04-15 12:00"))
    make_report(plant.other_site, "injury", at("2026-07-10 09:00"))  # another organization

    incidents = inputs(plant)["performance"]["incidents"]

    assert incidents["current"] == {
        "hazard": 1,
        "near_miss": 1,
        "environmental_incident": 1,
        "injury": 2,
        "audit_evidence": 0,
        "good_practice": 0,
        "total": 5,
    }
    assert incidents["previous"]["near_miss"] == 1
    assert incidents["previous"]["good_practice"] == 1
    assert incidents["previous"]["total"] == 2
    months = {m["month"]: m for m in incidents["by_month"]}
    assert list(months) == ["2026-07", "2026-08", "2026-09"]
    assert (months["2026-07"]["injury"], months["2026-07"]["near_miss"]) == (1, 1)
    assert months["2026-08"]["environmental_incident"] == 1
    assert (months["2026-09"]["injury"], months["2026-09"]["near_miss"]) == (1, 0)
    assert incidents["serious"] == 2


def test_site_scope_counts_only_its_sites(plant):
    make_report(plant.north, "injury", at("2026-07-10 09:00"))
    make_report(plant.south, "injury", at("2026-07-10 09:00"))
    make_report(plant.south, "injury", at("2026-07-11 09:00"))
    assert inputs(plant, [plant.south.id])["performance"]["incidents"]["current"]["injury"] == 2
    assert inputs(plant, [plant.north.id])["performance"]["incidents"]["current"]["injury"] == 1
    assert inputs(plant)["performance"]["incidents"]["current"]["injury"] == 3


def test_actions_due_done_by_their_day_at_the_site_and_overdue_at_the_end(plant):
    north, south = plant.north, plant.south
    # Q3: four due, three done by their due day as the site's clock reads it.
    make_action(north, date(2026, 8, 10), status="done", done_at=at("2026-08-10 22:30"))
    make_action(south, date(2026, 8, 10), status="done", done_at=at("2026-08-10 23:30"))
    make_action(south, date(2026, 9, 30), status="done", done_at=at("2026-09-01 08:00"))
    late = make_action(north, date(2026, 8, 10), status="done", done_at=at("2026-08-10 23:30"))
    make_action(north, date(2026, 9, 1), status="cancelled")  # not counted at all
    # Q2: two due, both on time; one more due in Q2 and still open (overdue at both ends).
    make_action(south, date(2026, 5, 1), status="done", done_at=at("2026-04-20 08:00"))
    make_action(south, date(2026, 6, 30), status="done", done_at=at("2026-06-30 23:00"))
    make_action(plant.other_site, date(2026, 8, 10))  # another organization

    actions = inputs(plant)["performance"]["actions"]

    assert actions["current"] == {
        "due": 4,
        "done_on_time": 3,
        "on_time_rate": 75.0,
        "overdue_at_end": 0,
    }
    assert actions["previous"] == {
        "due": 2,
        "done_on_time": 2,
        "on_time_rate": 100.0,
        "overdue_at_end": 0,
    }
    assert late.done_at == at("2026-08-10 23:30")  # 00:30 on the 11th in London: late
    open_one = make_action(south, date(2026, 6, 15))
    done_late = make_action(south, date(2026, 9, 29), status="done", done_at=at("2026-10-02 08:00"))
    again = inputs(plant)["performance"]["actions"]
    assert again["previous"]["due"] == 3
    assert again["previous"]["overdue_at_end"] == 1  # open_one
    assert again["current"]["due"] == 5
    assert again["current"]["overdue_at_end"] == 2  # open_one and done_late
    assert open_one.due_on < done_late.due_on


def test_effective_first_time_counts_the_checks_of_the_period(plant):
    north = plant.north
    checked = {"status": "closed", "effective": True, "checks": 1}
    make_nc(north, at("2026-06-01 09:00"), verified_at=at("2026-07-20 10:00"), **checked)
    make_nc(north, at("2026-06-01 09:00"), verified_at=at("2026-08-20 10:00"), **checked)
    make_nc(
        north,
        at("2026-06-01 09:00"),
        status="closed",
        effective=True,
        checks=2,
        verified_at=at("2026-09-01 10:00"),
    )
    make_nc(
        north,
        at("2026-06-01 09:00"),
        status="actions",
        effective=False,
        checks=1,
        verified_at=at("2026-09-02 10:00"),
    )
    make_nc(north, at("2026-03-01 09:00"), verified_at=at("2026-05-01 10:00"), **checked)
    found = inputs(plant)["performance"]["actions"]["effective_first_time"]
    assert found["current"] == {"checked": 4, "effective_first": 2, "rate": 50.0}
    assert found["previous"] == {"checked": 1, "effective_first": 1, "rate": 100.0}


def test_nonconformities_raised_closed_and_open_at_the_end(plant):
    north, south = plant.north, plant.south
    make_nc(north, at("2026-07-02 09:00"), severity="major", source="audit")
    make_nc(
        north,
        at("2026-07-03 09:00"),
        status="closed",
        closed_at=at("2026-08-03 09:00"),
        source="audit",
    )
    make_nc(south, at("2026-08-03 09:00"), source="complaint")
    make_nc(south, at("2026-08-04 09:00"), status="cancelled")  # never counted
    make_nc(
        south,
        at("2026-05-03 09:00"),
        status="closed",
        closed_at=at("2026-07-15 09:00"),
    )
    make_nc(south, at("2026-10-03 09:00"))  # after the period
    found = inputs(plant)["performance"]["nonconformities"]
    assert found["current"] == {
        "raised": 3,
        "major": 1,
        "minor": 2,
        "closed": 2,
        "open_at_end": 2,
        "by_source": {"audit": 2, "complaint": 1},
    }
    assert found["previous"] == {
        "raised": 1,
        "major": 0,
        "minor": 1,
        "closed": 0,
        "open_at_end": 1,
        "by_source": {"report": 1},
    }


def test_audits_by_site_and_clause_the_latest_answer_counting(plant):
    north, south = plant.north, plant.south
    version = make_template(plant.organization)
    first = make_audit(north, version, submitted_at=at("2026-07-20 10:00"), score=90.0)
    make_audit(north, version, submitted_at=at("2026-08-20 10:00"), score=80.0)
    make_audit(south, version, submitted_at=at("2026-05-20 10:00"), score=70.0)
    make_audit(south, version, status="planned", due_on=date(2026, 9, 1))  # overdue at the end
    make_audit(north, version, status="cancelled", due_on=date(2026, 9, 2))
    make_audit(
        north,
        version,
        due_on=date(2026, 8, 1),
        submitted_at=at("2026-08-01 10:00"),
        score=None,
    )
    first_answer = answer(first, "8.1.2", "major_nc", at("2026-07-20 08:00"))
    question = first_answer.question_id
    answer(first, "8.1.2", "minor_nc", at("2026-07-20 09:00"), question_id=question)  # counts
    answer(first, "8.1.2", "observation", at("2026-07-20 09:00"))
    answer(first, "7.2", "minor_nc", at("2026-07-20 09:00"))
    answer(first, "7.2", "conforming", at("2026-07-20 09:00"))

    audits = inputs(plant)["performance"]["audits"]

    assert audits["current"] == {
        "submitted": 3,
        "planned": 2,
        "overdue": 1,
        "average_score": 85.0,
    }
    assert audits["previous"] == {
        "submitted": 1,
        "planned": 0,
        "overdue": 0,
        "average_score": 70.0,
    }
    assert audits["by_site"] == [
        {"site_id": north.id, "name": "North Plant", "submitted": 3, "average_score": 85.0},
        {"site_id": south.id, "name": "South Yard", "submitted": 0, "average_score": None},
    ]
    assert audits["by_clause"] == [
        {"clause": "7.2", "minor_nc": 1, "major_nc": 0, "observation": 0},
        {"clause": "8.1.2", "minor_nc": 1, "major_nc": 0, "observation": 1},
    ]


def test_participation_counts_reports_per_active_person(plant):
    north = plant.north
    for reporter in (plant.worker, plant.worker, plant.north_worker):
        make_report(north, "hazard", at("2026-07-10 09:00"), reporter_id=reporter.id)
    make_report(north, "good_practice", at("2026-07-11 09:00"), reporter_id=plant.worker.id)
    make_report(north, "hazard", at("2026-05-11 09:00"), reporter_id=plant.worker.id)
    found = inputs(plant)["performance"]["participation"]
    # Seven active people of the organization (every role), none of the other organization.
    assert found["current"] == {
        "reports": 4,
        "reporters": 2,
        "people": 7,
        "reports_per_person": 0.57,
        "good_practice": 1,
    }
    assert found["previous"]["reports"] == 1
    south_only = review_inputs(plant.organization.id, [plant.south.id], *Q3)
    # Nora (North only) and the North officer do not cover South.
    assert south_only["performance"]["participation"]["current"]["people"] == 5
    plant.worker.active = False
    db.session.commit()
    assert inputs(plant)["performance"]["participation"]["current"]["people"] == 6


def test_register_changes_monitoring_and_opportunities(plant):
    north = plant.north
    make_risk(north, 1, at("2026-01-10 09:00"))
    raised = make_risk(north, 2, at("2026-01-10 09:00"))
    rate(raised, at("2026-08-01 09:00"), 4, 4)  # low to high in Q3
    lowered = make_risk(north, 3, at("2026-01-10 09:00"), residual_severity=4)
    rate(lowered, at("2026-08-01 09:00"), 1, 1)
    make_risk(north, 4, at("2026-07-15 09:00"), hazard="Oil on the floor")
    make_risk(north, 5, at("2026-07-16 09:00"), kind="opportunity", hazard="Daylight sensors")
    make_risk(north, 6, at("2026-07-17 09:00"), status="archived")
    db.session.commit()
    found = inputs(plant)
    changes = found["changes"]
    assert (changes["risks_added"], changes["risks_raised"]) == (2, 1)
    assert [(e["number"], e["change"]) for e in changes["entries"]] == [
        ("R-4", "added"),
        ("R-6", "added"),
        ("R-2", "band_up"),
    ]
    monitoring = found["performance"]["monitoring"]
    assert monitoring["heat_map"]["total"] == 4  # active risks: 1, 2, 3, 4
    assert {
        (c["severity"], c["likelihood"]): c["count"] for c in monitoring["heat_map"]["cells"]
    } == {
        (2, 2): 2,
        (4, 4): 1,
        (1, 1): 1,
    }
    assert monitoring["bands"] == {"low": 3, "medium": 0, "high": 1, "critical": 0}
    [opportunity] = found["improvement_opportunities"]
    assert (opportunity["number"], opportunity["hazard"], opportunity["residual_band"]) == (
        "O-5",
        "Daylight sensors",
        "low",
    )
    assert not review_inputs(plant.organization.id, [plant.south.id], *Q3)[
        "improvement_opportunities"
    ]


def test_communications_and_template_changes(plant):
    north = plant.north
    action = make_action(north, date(2026, 8, 1), owner=plant.worker)
    for state, moment in (("due_soon", "2026-07-29 06:00"), ("overdue", "2026-08-02 06:00")):
        db.session.add(
            Reminder(
                kind="action",
                record_pk=action.pk,
                state=state,
                due_on=action.due_on,
                created_at=at(moment),
            )
        )
    db.session.add(
        Reminder(
            kind="action",
            record_pk=action.pk,
            state="escalated",
            due_on=action.due_on,
            created_at=at("2026-10-02 06:00"),
        )
    )
    db.session.commit()
    make_report(north, status="closed", closed_at=at("2026-07-05 10:00"), status_note="Fixed")
    make_report(north, status="closed", closed_at=at("2026-07-05 10:00"))
    make_template(plant.organization, "Fire safety", created_at=at("2026-08-05 10:00"))
    found = inputs(plant)
    assert found["communications"] == {"reminders_sent": 2, "reports_closed_with_note": 1}
    assert found["changes"]["template_versions"] == [{"name": "Fire safety", "version": 1}]


def test_another_organization_s_records_are_never_counted(plant):
    other = plant.other_site
    make_report(other, "injury", at("2026-07-10 09:00"))
    make_action(other, date(2026, 8, 10), status="done", done_at=at("2026-08-01 09:00"))
    make_nc(other, at("2026-07-02 09:00"))
    make_risk(other, 1, at("2026-07-10 09:00"))
    make_audit(other, make_template(plant.other), submitted_at=at("2026-07-20 10:00"), score=9.0)
    found = inputs(plant)
    performance = found["performance"]
    assert performance["incidents"]["current"]["total"] == 0
    assert performance["actions"]["current"]["due"] == 0
    assert performance["nonconformities"]["current"]["raised"] == 0
    assert performance["audits"]["current"]["submitted"] == 0
    assert found["changes"]["risks_added"] == 0
    assert performance["monitoring"]["heat_map"]["total"] == 0
    assert {s["site_id"] for s in performance["audits"]["by_site"]} == {
        plant.north.id,
        plant.south.id,
    }
