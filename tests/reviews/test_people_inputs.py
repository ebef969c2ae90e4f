"""A review's inputs from people and documented information: the competence picture at the end of
the period (resources) and the documents approved and acknowledged in it (changes), counted by
hand for 2026 Q3 (North keeps London's clock, South UTC)."""

import uuid
from datetime import date

from server.auth.models import Membership
from server.documents.models import (
    APPROVED,
    DRAFT,
    OBSOLETE,
    Document,
    DocumentAcknowledgement,
    DocumentRevision,
)
from server.extensions import db
from server.people.models import INTERNAL_AUDIT, Competence
from server.reviews.inputs import review_inputs
from tests.reviews.conftest import Q3, at, make_person


def inputs(plant, site_ids=()):
    return review_inputs(plant.organization.id, list(site_ids), *Q3)


def grant(user, organization, module, completed_on, expires_on=None) -> None:
    db.session.add(
        Competence(
            organization_id=organization.id,
            user_id=user.id,
            module=module,
            title=f"{module} course",
            completed_on=completed_on,
            expires_on=expires_on,
        )
    )
    db.session.commit()


def training(plant) -> None:
    """Records as of 30 September 2026 (the quarter's last day): see each line."""
    org = plant.organization
    grant(plant.worker, org, INTERNAL_AUDIT, date(2026, 1, 1), date(2026, 11, 15))  # due in 60
    grant(plant.worker, org, "risk_based_thinking", date(2026, 1, 1), date(2026, 12, 20))  # 90
    grant(plant.worker, org, "document_control", date(2025, 1, 1), date(2026, 5, 1))
    grant(plant.worker, org, "document_control", date(2026, 5, 2))  # the best: never expires
    grant(plant.north_worker, org, "root_cause_analysis", date(2025, 1, 1), date(2026, 9, 1))
    grant(plant.auditor, org, INTERNAL_AUDIT, date(2026, 10, 5))  # after the quarter
    grant(plant.officer, org, INTERNAL_AUDIT, date(2025, 3, 1))
    grant(plant.south_officer, org, INTERNAL_AUDIT, date(2025, 3, 1), date(2027, 3, 1))
    gone = make_person(org, "officer", name="Gone Auditor")
    grant(gone, org, INTERNAL_AUDIT, date(2025, 3, 1))
    membership = db.session.query(Membership).filter_by(user_id=gone.id).one()
    membership.active = False  # an ended membership counts nowhere
    grant(plant.other_officer, plant.other, INTERNAL_AUDIT, date(2025, 3, 1))
    db.session.commit()


def test_the_competence_picture_at_the_end_of_the_period(plant):
    training(plant)
    found = inputs(plant)["resources"]
    assert found["competences"] == {
        "valid": 5,
        "expiring_within_90_days": 2,
        "expired": 1,
        "due_days": 60,
        "expiring_within_due_days": 1,
    }
    # Seven active people: the worker, the officer and South's officer hold a valid record.
    assert found["internal_auditors"] == {"qualified": 3, "not_qualified": 4}


def test_the_picture_follows_the_sites_and_the_organizations_due_days(plant):
    training(plant)
    north = inputs(plant, [plant.north.id])["resources"]
    assert north["competences"]["valid"] == 4  # South's officer is not North's
    assert north["internal_auditors"] == {"qualified": 2, "not_qualified": 4}
    plant.organization.training_due_days = 30
    db.session.commit()
    competences = inputs(plant)["resources"]["competences"]
    assert (competences["due_days"], competences["expiring_within_due_days"]) == (30, 0)
    assert competences["expiring_within_90_days"] == 2


def document(organization, code: str, audience_site_ids=()) -> Document:
    made = Document(
        id=uuid.uuid4(),
        organization_id=organization.id,
        code=code,
        title=f"{code} title",
        kind="procedure",
        audience_roles=[],
        audience_site_ids=list(audience_site_ids),
    )
    db.session.add(made)
    db.session.commit()
    return made


def revision(doc: Document, number: int, status: str, approved_at=None) -> DocumentRevision:
    made = DocumentRevision(
        id=uuid.uuid4(),
        document_pk=doc.pk,
        number=number,
        status=status,
        file_sha256=uuid.uuid4().hex * 2,
        filename="file.pdf",
        approved_at=approved_at,
    )
    db.session.add(made)
    db.session.commit()
    return made


def acknowledge(made: DocumentRevision, user, moment) -> None:
    db.session.add(
        DocumentAcknowledgement(
            id=uuid.uuid4(),
            organization_id=made.document.organization_id,
            revision_pk=made.pk,
            user_id=user.id,
            acknowledged_at=moment,
        )
    )
    db.session.commit()


def documents(plant) -> None:
    """Three approvals and two acknowledgements in Q3 (by London's clock for the whole plant)."""
    policy = document(plant.organization, "POL-1")
    first = revision(policy, 1, OBSOLETE, at("2026-06-30 23:30"))  # 1 July, 00:30 in London
    second = revision(policy, 2, APPROVED, at("2026-08-10 09:00"))
    acknowledge(first, plant.worker, at("2026-07-02 09:00"))
    acknowledge(second, plant.north_worker, at("2026-09-30 23:30"))  # October in London
    yard = document(plant.organization, "SOU-1", [plant.south.id])
    rules = revision(yard, 1, APPROVED, at("2026-08-01 09:00"))
    acknowledge(rules, plant.south_officer, at("2026-08-02 09:00"))
    revision(document(plant.organization, "SOP-9"), 1, DRAFT)  # never approved
    revision(document(plant.organization, "OLD-1"), 1, APPROVED, at("2026-06-30 22:30"))  # Q2
    other = document(plant.other, "POL-1")
    acknowledge(
        revision(other, 1, APPROVED, at("2026-08-01 09:00")),
        plant.other_worker,
        at("2026-08-02 09:00"),
    )


def test_documents_approved_and_acknowledged_in_the_period_are_changes(plant):
    documents(plant)
    changes = inputs(plant)["changes"]
    assert (changes["documents_approved"], changes["acknowledgements"]) == (3, 2)
    assert changes["risks_added"] == 0  # beside the register's changes
    # North: the policy's two approvals, and the worker's acknowledgement (the one after the
    # quarter aside); the South document is not North's.
    north = inputs(plant, [plant.north.id])["changes"]
    assert (north["documents_approved"], north["acknowledgements"]) == (2, 1)
    # South keeps UTC: the first approval (30 June, 23:30) falls in Q2 there, and Nora of North
    # is not a person of South.
    south = inputs(plant, [plant.south.id])["changes"]
    assert (south["documents_approved"], south["acknowledgements"]) == (2, 2)


def test_the_review_view_shows_them(desk, plant):
    training(plant)
    documents(plant)
    view = desk.as_(plant.officer).new_review()
    inputs_shown = view["inputs"]
    assert inputs_shown["resources"]["internal_auditors"] == {"qualified": 3, "not_qualified": 4}
    assert inputs_shown["resources"]["competences"]["expiring_within_due_days"] == 1
    assert inputs_shown["changes"]["documents_approved"] == 3
    assert inputs_shown["changes"]["acknowledgements"] == 2
