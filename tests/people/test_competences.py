"""Competence records: who records and reads them, the rules a record keeps, the list of those to
renew, and the rule that says whether someone holds a module on a day."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from server.events.models import Event
from server.extensions import db
from server.people.models import INTERNAL_AUDIT, Competence
from server.people.services import holds_competence
from tests.factories import make_photo_row
from tests.people.helpers import grant

TODAY = datetime.now(UTC).date()
SHA = "ab" * 32


def body(**fields) -> dict:
    return {
        "module": INTERNAL_AUDIT,
        "title": "ISO 45001 internal auditor course",
        "completed_on": (TODAY - timedelta(days=30)).isoformat(),
        "expires_on": (TODAY + timedelta(days=700)).isoformat(),
        **fields,
    }


def url(user) -> str:
    return f"/api/users/{user.id}/competences"


# Recording and reading


def test_an_officer_records_a_competence_and_its_holder_reads_it(team, as_):
    answer = as_(team.officer).post(url(team.auditor), json=body())
    assert answer.status_code == 201, answer.json
    record = answer.json
    assert record["user"] == {"id": team.auditor.id, "name": "Test User"}
    assert record["module"] == INTERNAL_AUDIT
    assert record["module_label"] == "Internal auditing"
    assert record["title"] == "ISO 45001 internal auditor course"
    assert record["valid"] is True and record["expired"] is False
    assert record["recorded_by"]["id"] == team.officer.id
    assert record["certificate_photo"] is None

    mine = as_(team.auditor).get(url(team.auditor))
    assert mine.status_code == 200
    assert [r["id"] for r in mine.json] == [record["id"]]
    event = db.session.scalar(select(Event).where(Event.entity_type == "competence"))
    assert (event.entity_id, event.action, event.actor_id) == (
        str(record["id"]),
        "recorded",
        team.officer.id,
    )
    assert event.data["user_id"] == team.auditor.id
    assert event.data["module"] == INTERNAL_AUDIT


def test_the_same_record_sent_again_is_the_one_saved(team, as_):
    client = as_(team.admin)
    first = client.post(url(team.auditor), json=body())
    again = client.post(url(team.auditor), json=body(title="  ISO 45001   internal auditor course"))
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json["id"] == first.json["id"]
    other = client.post(url(team.auditor), json=body(expires_on=None))
    assert other.status_code == 201 and other.json["id"] != first.json["id"]
    assert db.session.scalar(select(db.func.count(Competence.id))) == 2


@pytest.mark.parametrize("role", ["worker", "auditor"])
def test_only_officers_and_admins_record(team, as_, role):
    client = as_(getattr(team, role))
    assert client.post(url(team.other_worker), json=body()).status_code == 403
    assert client.post(url(getattr(team, role)), json=body()).status_code == 403
    assert db.session.scalar(select(Competence.id)) is None


def test_people_read_their_own_records_and_officers_everyone(team, as_):
    grant(team.worker, team.organization)
    grant(team.other_worker, team.organization)
    worker = as_(team.worker)
    assert worker.get(url(team.worker)).status_code == 200
    assert worker.get(url(team.other_worker)).status_code == 403
    assert worker.get("/api/competences").status_code == 403
    # Competences belong to the person, not a site: an officer of one site reads them too.
    north_officer = as_(team.north_officer)
    assert len(north_officer.get(url(team.worker)).json) == 1


def test_people_of_another_organization_are_not_found(team, as_):
    grant(team.stranger, team.elsewhere)
    officer = as_(team.officer)
    assert officer.get(url(team.stranger)).status_code == 404
    assert officer.post(url(team.stranger), json=body()).status_code == 404
    assert officer.get("/api/users/999999/competences").status_code == 404
    assert officer.get(f"/api/users/{2**63}/competences").status_code == 404
    assert officer.get(f"/api/users/{2**31}/competences").status_code == 404
    assert officer.get("/api/competences").json == []
    # And the other way round.
    grant(team.worker, team.organization)
    assert as_(team.stranger_officer).get(url(team.worker)).status_code == 404


def test_an_organizations_own_module_is_added_before_its_records(team, as_):
    officer = as_(team.officer)
    unknown = officer.post(url(team.worker), json=body(module="forklift_licence_b2"))
    assert unknown.status_code == 422
    assert list(unknown.json["errors"]) == ["module"]
    added = officer.post("/api/competences/modules", json={"label": "Forklift licence (B2)"})
    assert added.status_code == 201, added.json
    assert added.json == {
        "slug": "forklift_licence_b2",
        "label": "Forklift licence (B2)",
        "own": True,
    }
    answer = officer.post(url(team.worker), json=body(module="forklift_licence_b2"))
    assert answer.status_code == 201, answer.json
    assert answer.json["module_label"] == "Forklift licence (B2)"
    (listed,) = officer.get(url(team.worker)).json
    assert listed["module_label"] == "Forklift licence (B2)"


def test_a_record_that_does_not_expire(team, as_):
    first = as_(team.officer).post(url(team.worker), json=body(expires_on=None))
    assert first.status_code == 201
    assert first.json["expires_on"] is None and first.json["valid"] is True
    # Left out is the same as null: the same record.
    again = as_(team.officer).post(
        url(team.worker), json={k: v for k, v in body().items() if k != "expires_on"}
    )
    assert again.status_code == 200 and again.json["id"] == first.json["id"]


def test_an_expired_record_is_shown_as_expired(team, as_):
    grant(team.worker, team.organization, TODAY - timedelta(days=400), TODAY - timedelta(days=1))
    (record,) = as_(team.worker).get(url(team.worker)).json
    assert record["expired"] is True and record["valid"] is False


def test_a_certificate_photo_must_be_held_by_the_organization(team, as_):
    client = as_(team.officer)
    missing = client.post(url(team.worker), json=body(certificate_photo=SHA))
    assert missing.status_code == 422
    assert list(missing.json["errors"]) == ["certificate_photo"]
    make_photo_row(team.elsewhere, SHA)
    assert client.post(url(team.worker), json=body(certificate_photo=SHA)).status_code == 422
    make_photo_row(team.organization, SHA)
    held = client.post(url(team.worker), json=body(certificate_photo=SHA))
    assert held.status_code == 201 and held.json["certificate_photo"] == SHA


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"module": "Internal Audit"}, "module"),
        ({"module": "x"}, "module"),
        ({"module": "a" * 65}, "module"),
        ({"module": "internal_audit\x00"}, "module"),
        ({"module": 7}, "module"),
        ({"module": None}, "module"),
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "Course\x00"}, "title"),
        ({"title": "Half an emoji \ud83d"}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"completed_on": "0001-01-01"}, "completed_on"),
        ({"completed_on": "2026-02-30"}, "completed_on"),
        ({"completed_on": 20260101}, "completed_on"),
        ({"completed_on": None}, "completed_on"),
        ({"completed_on": (TODAY + timedelta(days=5)).isoformat()}, "completed_on"),
        ({"expires_on": "9999-12-31"}, "expires_on"),
        ({"expires_on": (TODAY - timedelta(days=31)).isoformat()}, "expires_on"),
        ({"certificate_photo": "AB" * 32}, "certificate_photo"),
        ({"certificate_photo": "ab" * 31}, "certificate_photo"),
        ({"certificate_photo": "ab" * 31 + "\x00\x00"}, "certificate_photo"),
    ],
)
def test_bad_input_names_its_field(team, as_, fields, field):
    answer = as_(team.officer).post(url(team.worker), json=body(**fields))
    assert answer.status_code == 422, answer.json
    assert list(answer.json["errors"]) == [field]
    assert db.session.scalar(select(Competence.id)) is None


def test_a_missing_field_is_named(team, as_):
    for field in ("module", "title", "completed_on"):
        sent = {k: v for k, v in body().items() if k != field}
        answer = as_(team.officer).post(url(team.worker), json=sent)
        assert answer.status_code == 422
        assert list(answer.json["errors"]) == [field]


def test_a_record_may_expire_on_its_completion_day(team, as_):
    day = (TODAY - timedelta(days=3)).isoformat()
    answer = as_(team.officer).post(url(team.worker), json=body(completed_on=day, expires_on=day))
    assert answer.status_code == 201 and answer.json["expired"] is True


# The list of what to renew


def test_due_within_lists_what_expires_soon_and_not_renewed(team, as_):
    soon = grant(team.auditor, team.organization, expires_on=TODAY + timedelta(days=10))
    today = grant(team.worker, team.organization, expires_on=TODAY)
    grant(team.officer, team.organization, expires_on=TODAY + timedelta(days=100))
    grant(team.admin, team.organization, expires_on=TODAY - timedelta(days=1))
    grant(team.admin, team.organization, module="document_control")
    # Renewed: a later record of the same module outlasts the one expiring soon.
    renewed = grant(team.other_worker, team.organization, expires_on=TODAY + timedelta(days=5))
    grant(team.other_worker, team.organization, TODAY, expires_on=TODAY + timedelta(days=735))
    grant(team.stranger, team.elsewhere, expires_on=TODAY + timedelta(days=3))

    officer = as_(team.officer)
    due = officer.get("/api/competences", query_string={"due_within": 30})
    assert due.status_code == 200
    assert [r["id"] for r in due.json] == [today.id, soon.id]
    assert renewed.id not in [r["id"] for r in due.json]
    assert officer.get("/api/competences", query_string={"due_within": 0}).json[0]["id"] == (
        today.id
    )
    every = officer.get("/api/competences").json
    assert len(every) == 7
    assert every[-1]["expires_on"] is None
    mine = officer.get(
        "/api/competences", query_string={"user_id": team.auditor.id, "module": INTERNAL_AUDIT}
    )
    assert [r["id"] for r in mine.json] == [soon.id]


@pytest.mark.parametrize(
    "query",
    [
        {"due_within": -1},
        {"due_within": 3661},
        {"due_within": "ten"},
        {"due_within": "١٢"},
        {"due_within": str(2**63)},
        {"user_id": str(2**63)},
        {"user_id": str(2**31)},
        {"module": "Bad Module"},
    ],
)
def test_bad_list_queries_name_their_field(team, as_, query):
    answer = as_(team.officer).get("/api/competences", query_string=query)
    assert answer.status_code == 422
    assert list(answer.json["errors"]) == list(query)


# The rule


def test_holds_competence_on_a_day(team):
    org, user = team.organization, team.auditor
    grant(user, org, date(2026, 3, 1), date(2027, 2, 28))
    assert holds_competence(org.id, user.id, INTERNAL_AUDIT, date(2026, 3, 1))
    assert holds_competence(org.id, user.id, INTERNAL_AUDIT, date(2027, 2, 28))
    assert not holds_competence(org.id, user.id, INTERNAL_AUDIT, date(2026, 2, 28))
    assert not holds_competence(org.id, user.id, INTERNAL_AUDIT, date(2027, 3, 1))
    assert not holds_competence(org.id, user.id, "document_control", date(2026, 6, 1))
    assert not holds_competence(team.elsewhere.id, user.id, INTERNAL_AUDIT, date(2026, 6, 1))
    grant(user, org, date(2027, 2, 1))
    assert holds_competence(org.id, user.id, INTERNAL_AUDIT, date(2040, 1, 1))
