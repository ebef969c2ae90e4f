"""Linking reports, NCs and audit findings to the register: one entry per record, moved and
unlinked, the same site only, the review each trigger asks for, and who may link what."""

import pytest
from sqlalchemy import select

from server.events.models import Event
from server.extensions import db
from server.risks.links import links_of
from server.risks.models import Risk, RiskLink
from tests.audits.conftest import Phone, make_template
from tests.factories import make_stored_report
from tests.nonconformities.conftest import FIVE_WHYS, action_body, nc_body
from tests.risks.conftest import make_risk


@pytest.fixture
def app(make_app):
    """The app with the effectiveness check allowed at once, as the NC tests have it."""
    app = make_app(VERIFY_WAIT_DAYS=0)
    with app.app_context():
        yield app


def risk_events(risk) -> list[tuple[str, dict]]:
    rows = db.session.scalars(
        select(Event).where(Event.entity_type == "risk", Event.entity_id == str(risk.id))
    )
    return [(e.action, e.data) for e in rows]


def record_events(entity_type: str, record_id) -> list[str]:
    rows = db.session.scalars(
        select(Event.action)
        .where(Event.entity_type == entity_type, Event.entity_id == str(record_id))
        .order_by(Event.id)
    )
    return list(rows)


def fresh(risk) -> Risk:
    db.session.expire_all()
    return db.session.get(Risk, risk.pk)


def link(register, url: str, risk):
    return register.put(url, {"risk_id": str(risk.id) if risk is not None else None})


def test_a_report_is_linked_moved_and_unlinked(plant, register):
    first, second = make_risk(plant.north, plant.officer), make_risk(plant.north, plant.officer)
    report = plant.report
    url = f"/api/reports/{report.id}/risk"
    register.as_(plant.officer)
    assert register.get(url).json == {"risk": None}

    linked = link(register, url, first)
    assert linked.status_code == 200, linked.json
    assert (linked.json["id"], linked.json["links_count"]) == (str(first.id), 1)
    assert register.get(url).json["risk"]["id"] == str(first.id)
    assert [r.risk_pk for r in db.session.scalars(select(RiskLink))] == [first.pk]

    moved = link(register, url, second)
    assert moved.json["id"] == str(second.id)
    assert [r.risk_pk for r in db.session.scalars(select(RiskLink))] == [second.pk]
    assert register.risk(first.id)["links_count"] == 0
    assert links_of(second.pk)[0]["record_id"] == report.id

    unlinked = link(register, url, None)
    assert (unlinked.status_code, unlinked.data) == (204, b"")
    assert db.session.scalars(select(RiskLink)).all() == []
    assert register.get(url).json == {"risk": None}
    assert link(register, url, None).status_code == 204, "unlinking again is harmless"

    named = {"record_type": "report", "record_id": str(report.id)}
    assert risk_events(first) == [("linked", named), ("unlinked", named)]
    assert risk_events(second) == [("linked", named), ("unlinked", named)]
    assert record_events("report", report.id) == ["risk_linked", "risk_linked", "risk_unlinked"]
    db.session.expire_all()
    assert report.change_id == db.session.scalar(select(Event.id).order_by(Event.id.desc()))
    assert fresh(first).review_reason is None, "a hazard report asks for no review"


def test_linking_to_the_same_entry_again_changes_nothing(plant, register):
    risk = make_risk(plant.north, plant.officer)
    url = f"/api/reports/{plant.report.id}/risk"
    register.as_(plant.officer)
    link(register, url, risk)
    again = link(register, url, risk)
    assert again.status_code == 200
    assert again.json["links"] == register.risk(risk.id)["links"]
    assert len(again.json["links"]) == 1
    assert [action for action, _ in risk_events(risk)] == ["linked"]


def test_an_entry_of_another_site_archived_or_unknown_is_refused_naming_risk_id(plant, register):
    south = make_risk(plant.south, plant.officer)
    archived = make_risk(plant.north, plant.officer, status="archived")
    elsewhere = make_risk(plant.other_site, plant.other_officer)
    url = f"/api/reports/{plant.report.id}/risk"
    register.as_(plant.officer)
    for risk, words in ((south, "another site"), (archived, "archived"), (elsewhere, "No such")):
        refused = link(register, url, risk)
        assert refused.status_code == 422, refused.json
        assert words in refused.json["errors"]["risk_id"][0]
    assert db.session.scalars(select(RiskLink)).all() == []
    assert record_events("report", plant.report.id) == []


@pytest.mark.parametrize("kind", ["injury", "environmental_incident"])
def test_linking_an_incident_sends_the_entry_to_review_at_once(plant, register, kind):
    risk = make_risk(plant.north, plant.officer)
    incident = make_stored_report(plant.north, plant.worker, "Driver hurt his back", kind=kind)
    register.as_(plant.officer)
    linked = link(register, f"/api/reports/{incident.id}/risk", risk)
    assert linked.status_code == 200
    assert (linked.json["review_reason"], linked.json["review_due"]) == ("incident", True)
    assert "Driver hurt his back" in linked.json["review_note"]
    assert [action for action, _ in risk_events(risk)] == ["linked", "review_requested"]
    due = register.items(review_due="true")
    assert [entry["id"] for entry in due] == [str(risk.id)]


def test_a_near_miss_or_a_minor_nc_asks_for_no_review(plant, register):
    risk = make_risk(plant.north, plant.officer)
    near_miss = make_stored_report(plant.north, plant.worker, "Nearly hit", kind="near_miss")
    register.as_(plant.officer)
    nc = register.post("/api/nonconformities", nc_body(plant.north, severity="minor")).json
    assert link(register, f"/api/reports/{near_miss.id}/risk", risk).status_code == 200
    assert link(register, f"/api/nonconformities/{nc['id']}/risk", risk).status_code == 200
    entry = register.risk(risk.id)
    assert (entry["review_reason"], entry["review_due"], entry["links_count"]) == (None, False, 2)
    assert record_events("nonconformity", nc["id"])[-1] == "risk_linked"


def test_linking_a_major_nc_sends_the_entry_to_review(plant, register):
    risk = make_risk(plant.north, plant.officer)
    register.as_(plant.officer)
    nc = register.post("/api/nonconformities", nc_body(plant.north, severity="major")).json
    linked = link(register, f"/api/nonconformities/{nc['id']}/risk", risk)
    assert linked.status_code == 200, linked.json
    assert linked.json["review_reason"] == "major_nc"
    assert nc["title"] in linked.json["review_note"]
    assert linked.json["links"][0] | {"linked_at": None} == {
        "record_type": "nonconformity",
        "record_id": nc["id"],
        "title": nc["title"],
        "linked_at": None,
    }


def check_not_effective(register, nc: dict, owner) -> None:
    """Drive an NC to its check through the API and find its action not effective."""
    base = f"/api/nonconformities/{nc['id']}"
    assert register.patch(base, {"root_cause": FIVE_WHYS}).status_code == 200
    action = register.post(f"{base}/actions", action_body(owner)).json
    done = register.patch(f"/api/actions/{action['id']}", {"status": "done", "notes": "Fitted"})
    assert done.status_code == 200, done.json
    checked = register.post(f"{base}/verification", {"effective": False, "notes": "Leaks again"})
    assert checked.status_code == 200, checked.json
    assert checked.json["status"] == "actions"


def test_a_check_not_effective_on_a_linked_nc_sends_the_entry_to_review(plant, register):
    linked, other = make_risk(plant.north, plant.officer), make_risk(plant.north, plant.officer)
    register.as_(plant.officer)
    nc = register.post("/api/nonconformities", nc_body(plant.north, severity="minor")).json
    unlinked_nc = register.post("/api/nonconformities", nc_body(plant.north)).json
    link(register, f"/api/nonconformities/{nc['id']}/risk", linked)
    check_not_effective(register, nc, plant.officer)
    check_not_effective(register, unlinked_nc, plant.officer)
    entry = register.risk(linked.id)
    assert (entry["review_reason"], entry["review_due"]) == ("not_effective", True)
    assert "Leaks again" in entry["review_note"]
    assert register.risk(other.id)["review_reason"] is None


def test_an_nc_raised_from_a_linked_report_counts_as_linked(plant, register):
    risk = make_risk(plant.north, plant.officer)
    register.as_(plant.officer)
    link(register, f"/api/reports/{plant.report.id}/risk", risk)
    raised = register.post(f"/api/reports/{plant.report.id}/nonconformity", {"severity": "minor"})
    assert raised.status_code == 201, raised.json
    assert register.risk(risk.id)["review_reason"] is None
    check_not_effective(register, raised.json, plant.officer)
    assert register.risk(risk.id)["review_reason"] == "not_effective"


def test_an_effective_check_asks_for_no_review(plant, register):
    risk = make_risk(plant.north, plant.officer)
    register.as_(plant.officer)
    nc = register.post("/api/nonconformities", nc_body(plant.north, severity="minor")).json
    link(register, f"/api/nonconformities/{nc['id']}/risk", risk)
    base = f"/api/nonconformities/{nc['id']}"
    register.patch(base, {"root_cause": FIVE_WHYS})
    action = register.post(f"{base}/actions", action_body(plant.officer)).json
    register.patch(f"/api/actions/{action['id']}", {"status": "done", "notes": "Fitted"})
    checked = register.post(f"{base}/verification", {"effective": True, "notes": "Dry for a month"})
    assert checked.json["status"] == "closed"
    assert register.risk(risk.id)["review_reason"] is None


def audit_with(client, auth, plant, results: dict[str, str]) -> dict:
    """An audit at North by the plant's auditor with these answers (the rest conforming)."""
    phone = Phone(client, auth, plant.auditor)
    audit = phone.start(make_template(plant.organization), plant.north)
    phone.answer_all(audit, results)
    return audit


def finding_url(audit: dict, ref: str) -> str:
    question = next(
        q for s in audit["template"]["sections"] for q in s["questions"] if q["ref"] == ref
    )
    return f"/api/audits/{audit['id']}/findings/{question['id']}/risk"


def test_audit_findings_link_and_a_major_nc_sends_the_entry_to_review(
    plant, register, client, auth
):
    observed, major = make_risk(plant.north, plant.officer), make_risk(plant.north, plant.officer)
    audit = audit_with(client, auth, plant, {"4.1": "observation", "7.2": "major_nc"})
    register.as_(plant.officer)
    assert link(register, finding_url(audit, "4.1"), observed).json["review_reason"] is None
    linked = link(register, finding_url(audit, "7.2"), major)
    assert linked.status_code == 200, linked.json
    assert linked.json["review_reason"] == "major_nc"
    shown = links_of(major.pk)[0]
    assert (shown["record_type"], str(shown["audit_id"])) == ("audit_response", audit["id"])
    assert shown["title"] == "Major NC, clause 7: Are people competent?"
    assert register.get(finding_url(audit, "7.2")).json["risk"]["id"] == str(major.id)
    assert record_events("audit", audit["id"])[-1] == "risk_linked"


def test_a_conforming_answer_is_no_finding_to_link(plant, register, client, auth):
    risk = make_risk(plant.north, plant.officer)
    audit = audit_with(client, auth, plant, {})
    register.as_(plant.officer)
    assert link(register, finding_url(audit, "4.1"), risk).status_code == 404


def test_a_finding_answered_again_keeps_one_link(plant, register, client, auth):
    first, second = make_risk(plant.north, plant.officer), make_risk(plant.north, plant.officer)
    phone = Phone(client, auth, plant.auditor)
    audit = phone.start(make_template(plant.organization), plant.north)
    phone.sync(phone.answer(audit, "4.1", "minor_nc", notes="No issues list"))
    register.as_(plant.officer)
    link(register, finding_url(audit, "4.1"), first)
    Phone(client, auth, plant.auditor).sync(
        phone.answer(audit, "4.1", "observation", notes="A list, but old")
    )
    register.as_(plant.officer)
    assert link(register, finding_url(audit, "4.1"), second).status_code == 200
    assert [r.risk_pk for r in db.session.scalars(select(RiskLink))] == [second.pk]


def test_workers_and_auditors_may_not_link(plant, register):
    risk = make_risk(plant.north, plant.officer)
    url = f"/api/reports/{plant.report.id}/risk"
    for person in (plant.worker, plant.auditor):
        register.as_(person)
        assert link(register, url, risk).status_code == 403
        assert register.get(url).status_code == 403
    assert db.session.scalars(select(RiskLink)).all() == []


def test_records_of_another_organization_or_site_are_not_found(plant, register):
    risk = make_risk(plant.north, plant.officer)
    register.as_(plant.officer)
    nc = register.post("/api/nonconformities", nc_body(plant.north)).json
    for person in (plant.other_officer, plant.south_officer):
        register.as_(person)
        for url in (
            f"/api/reports/{plant.report.id}/risk",
            f"/api/nonconformities/{nc['id']}/risk",
        ):
            assert link(register, url, risk).status_code == 404
            assert register.get(url).status_code == 404
    assert db.session.scalars(select(RiskLink)).all() == []
