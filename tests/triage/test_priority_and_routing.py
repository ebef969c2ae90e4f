"""Priority and due date under an organization's SLA; routing to an officer of the site."""

from datetime import datetime

from sqlalchemy import select

from server.extensions import db
from server.triage.models import Triage
from tests.factories import make_organization, make_site, make_sla_policy, make_user
from tests.triage.helpers import report_pk, triage


def triage_of(item: dict) -> Triage:
    return db.session.scalar(select(Triage).where(Triage.report_pk == report_pk(item["id"])))


def hours_allowed(item: dict) -> float:
    result = triage_of(item)
    return (result.due_at - result.report.received_at).total_seconds() / 3600


def test_due_dates_follow_the_organizations_sla(plant, send):
    make_sla_policy(plant["organization"], p1=4, p2=24, p3=72, p4=240)
    cases = [  # (severity, likelihood, expected priority, hours)
        (5, 5, "P1", 4),
        (4, 3, "P2", 24),
        (2, 3, "P3", 72),
        (1, 2, "P4", 240),
    ]
    for severity, likelihood, priority, hours in cases:
        item = send(plant["worker"], plant["north"], severity=severity, likelihood=likelihood)
        triage(item["id"])
        result = triage_of(item)
        assert result.priority == priority
        assert round(hours_allowed(item)) == hours
        assert "the organization's SLA policy" in result.reasons["due_at"][0]


def test_an_organization_without_a_policy_gets_the_defaults(plant, send):
    other = make_organization()
    make_sla_policy(other, p1=1, p2=2, p3=3, p4=4)
    for severity, likelihood, hours in ((5, 4, 24), (3, 4, 72), (2, 3, 7 * 24), (1, 1, 30 * 24)):
        item = send(plant["worker"], plant["north"], severity=severity, likelihood=likelihood)
        triage(item["id"])
        assert round(hours_allowed(item)) == hours
        assert "the default SLA" in triage_of(item).reasons["due_at"][0]


def test_injuries_are_raised_and_reportable_ones_are_p1(plant, send):
    cut = send(
        plant["worker"],
        plant["north"],
        kind="injury",
        description="Cut finger on a stanley knife, plaster put on",
        severity=None,
        likelihood=None,
    )
    triage(cut["id"])
    result = triage_of(cut)
    assert (result.severity, result.likelihood, result.risk_band) == (2, 4, "medium")
    assert result.priority == "P2" and result.reportable is False
    assert any("someone was hurt" in reason for reason in result.reasons["priority"])

    amputation = send(
        plant["worker"],
        plant["north"],
        kind="injury",
        description="Finger tip amputated in the guillotine",
        severity=2,
        likelihood=1,
    )
    triage(amputation["id"])
    result = triage_of(amputation)
    assert result.reportable is True and result.priority == "P1"
    assert any("amputat" in reason for reason in result.reasons["reportable"])


def test_a_near_miss_without_ratings_gets_explained_defaults(plant, send):
    item = send(
        plant["worker"],
        plant["north"],
        kind="near_miss",
        description="Reversing lorry nearly hit a pedestrian at the gate",
        severity=None,
        likelihood=None,
    )
    triage(item["id"])
    result = triage_of(item)
    assert result.category == "vehicles_traffic"
    assert (result.severity, result.likelihood) == (4, 3)
    assert result.reasons["likelihood"] == ["none reported; 3, the default for a near miss"]
    assert "vehicles and traffic" in result.reasons["severity"][0]


def test_reports_go_to_the_officer_of_their_site(plant, send):
    north = send(plant["worker"], plant["north"])
    south = send(plant["worker"], plant["south"])
    triage(north["id"])
    triage(south["id"])
    assert triage_of(north).assignee_id == plant["north_officer"].id
    assert triage_of(south).assignee_id == plant["south_officer"].id
    assert plant["north"].code in triage_of(north).reasons["assignee_id"][0]


def test_the_least_loaded_officer_gets_the_next_report_and_keeps_it(plant, send):
    roaming = make_user(plant["organization"], role="officer")  # no site limits
    first = send(plant["worker"], plant["north"])
    triage(first["id"])
    assert triage_of(first).assignee_id == plant["north_officer"].id  # lowest id on a tie
    second = send(plant["worker"], plant["north"])
    triage(second["id"])
    assert triage_of(second).assignee_id == roaming.id
    assert triage_of(second).reasons["assignee_id"][0].endswith("the fewest open reports")
    triage(first["id"])  # a re-run does not move work between officers
    assert triage_of(first).assignee_id == plant["north_officer"].id
    assert "stays with" in triage_of(first).reasons["assignee_id"][0]


def test_closed_reports_and_inactive_officers_do_not_count(plant, send):
    first = send(plant["worker"], plant["north"])
    triage(first["id"])
    triage_of(first).report.status = "closed"
    db.session.commit()
    make_user(plant["organization"], role="officer")
    second = send(plant["worker"], plant["north"])
    triage(second["id"])
    assert triage_of(second).assignee_id == plant["north_officer"].id
    plant["north_officer"].active = False
    db.session.commit()
    third = send(plant["worker"], plant["north"])
    triage(third["id"])
    assert triage_of(third).assignee_id != plant["north_officer"].id


def test_no_officer_for_the_site_leaves_it_unassigned_with_a_reason(plant, send):
    lonely = make_site(plant["organization"], "LONELY")
    item = send(plant["admin"], lonely)
    triage(item["id"])
    result = triage_of(item)
    assert result.assignee_id is None
    assert result.reasons["assignee_id"] == [
        "no officer covers site LONELY: left for an admin to assign"
    ]


def test_due_at_is_aware(plant, send):
    item = send(plant["worker"], plant["north"])
    triage(item["id"])
    assert isinstance(triage_of(item).due_at, datetime)
    assert triage_of(item).due_at.tzinfo is not None
