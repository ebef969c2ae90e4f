"""The modules, the training matrix (each cell the best record of a person and module, paged in a
constant number of queries) and who is qualified in a module on a day."""

from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, select

from server.auth.models import Membership
from server.events.models import Event
from server.extensions import db
from server.people.models import INTERNAL_AUDIT, CompetenceModule
from tests.factories import make_site
from tests.people.helpers import grant, make_member

TODAY = datetime.now(UTC).date()
MATRIX = "/api/competences/matrix"
MODULES = "/api/competences/modules"
QUALIFIED = "/api/competences/qualified"
FOUR = ["risk_based_thinking", "document_control", "internal_audit", "root_cause_analysis"]


def day(offset: int):
    return TODAY + timedelta(days=offset)


@contextmanager
def statements():
    """Count the SQL statements sent to the database meanwhile: yields a list that fills up."""
    sent = []

    def count(conn, cursor, statement, *args):
        sent.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield sent
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


# Modules


def test_the_four_modules_then_the_organizations_own(team, as_):
    officer = as_(team.officer)
    listed = officer.get(MODULES)
    assert listed.status_code == 200
    assert [m["slug"] for m in listed.json] == FOUR
    assert listed.json[2] == {"slug": "internal_audit", "label": "Internal auditing", "own": False}

    added = officer.post(MODULES, json={"label": "  Working at   height "})
    assert added.status_code == 201, added.json
    assert added.json == {"slug": "working_at_height", "label": "Working at height", "own": True}
    chosen = officer.post(MODULES, json={"slug": "fork_b2", "label": "Forklift (B2)"})
    assert chosen.json["slug"] == "fork_b2"
    listed = as_(team.worker).get(MODULES).json
    assert listed[4:] == [
        {"slug": "fork_b2", "label": "Forklift (B2)", "own": True},
        {"slug": "working_at_height", "label": "Working at height", "own": True},
    ]
    # Another organization has its own.
    assert len(as_(team.stranger_officer).get(MODULES).json) == 4
    logged = db.session.scalars(select(Event).where(Event.entity_type == "competence_module"))
    assert sorted(e.data["slug"] for e in logged) == ["fork_b2", "working_at_height"]


def test_a_module_that_exists_is_a_conflict(team, as_):
    admin = as_(team.admin)
    assert admin.post(MODULES, json={"label": "Confined spaces"}).status_code == 201
    assert admin.post(MODULES, json={"label": "Confined Spaces!"}).status_code == 409
    assert admin.post(MODULES, json={"slug": "internal_audit", "label": "Audit"}).status_code == 409
    # Made from the label, the slug of one of the four.
    assert admin.post(MODULES, json={"label": "Internal audit"}).status_code == 409
    assert admin.post(MODULES, json={"label": "Internal audit of stores"}).status_code == 201
    other = as_(team.stranger_officer).post(MODULES, json={"label": "Confined spaces"})
    assert other.status_code == 201
    assert db.session.scalar(select(db.func.count(CompetenceModule.id))) == 3


@pytest.mark.parametrize("role", ["worker", "auditor"])
def test_only_officers_and_admins_add_modules(team, as_, role):
    assert as_(getattr(team, role)).post(MODULES, json={"label": "Welding"}).status_code == 403


@pytest.mark.parametrize(
    ("sent", "field"),
    [
        ({"label": ""}, "label"),
        ({"label": "   "}, "label"),
        ({"label": "!!"}, "label"),
        ({"label": "Weld\x00ing"}, "label"),
        ({"label": "Half \ud83d"}, "label"),
        ({"label": "x" * 201}, "label"),
        ({"label": 7}, "label"),
        ({}, "label"),
        ({"slug": "Bad Slug", "label": "Welding"}, "slug"),
        ({"slug": "w", "label": "Welding"}, "slug"),
        ({"slug": "w" * 65, "label": "Welding"}, "slug"),
        ({"slug": "weld\x00", "label": "Welding"}, "slug"),
    ],
)
def test_bad_modules_name_their_field(team, as_, sent, field):
    answer = as_(team.officer).post(MODULES, json=sent)
    assert answer.status_code == 422, answer.json
    assert list(answer.json["errors"]) == [field]


def test_a_long_label_makes_a_slug_of_64_at_most(team, as_):
    answer = as_(team.officer).post(MODULES, json={"label": "Émile's " + "very long " * 15})
    assert answer.status_code == 201, answer.json
    assert answer.json["slug"].startswith("emile_s_very_long")
    assert len(answer.json["slug"]) <= 64 and not answer.json["slug"].endswith("_")


# The matrix


def cell(answer, person, module=INTERNAL_AUDIT) -> dict:
    (row,) = [p for p in answer.json["people"] if p["id"] == person.id]
    return row["cells"][module]


def test_each_cell_is_the_best_record_of_its_person_and_module(team, as_):
    org = team.organization
    # valid beats due, due beats expired, and a record that never expires beats them all.
    grant(team.worker, org, day(-700), day(-1))
    valid = grant(team.worker, org, day(-10), day(300))
    grant(team.worker, org, day(-30), day(20))
    due = grant(team.auditor, org, day(-300), day(60))
    grant(team.auditor, org, day(-800), day(-400))
    expired = grant(team.officer, org, day(-400), day(-1))
    forever = grant(team.admin, org, day(-1000), None)
    grant(team.admin, org, day(-5), day(5))
    grant(team.stranger, team.elsewhere, day(-5), day(500))

    answer = as_(team.officer).get(MATRIX)
    assert answer.status_code == 200, answer.json
    assert answer.json["due_days"] == 60
    assert [m["slug"] for m in answer.json["modules"]] == FOUR
    assert cell(answer, team.worker) == {
        "state": "valid",
        "expires_on": day(300).isoformat(),
        "completed_on": day(-10).isoformat(),
        "record_id": valid.id,
    }
    assert (cell(answer, team.auditor)["state"], cell(answer, team.auditor)["record_id"]) == (
        "due",
        due.id,
    )
    assert cell(answer, team.officer)["record_id"] == expired.id
    assert cell(answer, team.officer)["state"] == "expired"
    assert cell(answer, team.admin)["record_id"] == forever.id
    assert cell(answer, team.admin)["state"] == "valid"
    assert cell(answer, team.other_worker) == {
        "state": "missing",
        "expires_on": None,
        "completed_on": None,
        "record_id": None,
    }
    assert cell(answer, team.worker, "document_control")["state"] == "missing"
    assert team.stranger.id not in [p["id"] for p in answer.json["people"]]
    assert answer.json["total"] == 6


def test_due_follows_the_organizations_training_due_days(team, as_):
    grant(team.worker, team.organization, day(-10), day(20))
    grant(team.auditor, team.organization, day(-10), day(0))
    team.organization.training_due_days = 10
    db.session.commit()
    answer = as_(team.admin).get(MATRIX)
    assert answer.json["due_days"] == 10
    assert cell(answer, team.worker)["state"] == "valid"
    # It expires at the end of its day: due, not expired, on the day itself.
    assert cell(answer, team.auditor)["state"] == "due"


def test_an_own_module_is_a_column_and_module_keeps_only_its_column(team, as_):
    officer = as_(team.officer)
    officer.post(MODULES, json={"label": "Working at height"})
    grant(team.worker, team.organization, day(-1), day(400), module="working_at_height")
    every = officer.get(MATRIX).json
    assert every["modules"][-1] == {"slug": "working_at_height", "label": "Working at height"}
    one = officer.get(MATRIX, query_string={"module": "working_at_height"})
    assert one.json["modules"] == [{"slug": "working_at_height", "label": "Working at height"}]
    assert cell(one, team.worker, "working_at_height")["state"] == "valid"
    assert all(list(p["cells"]) == ["working_at_height"] for p in one.json["people"])
    unknown = officer.get(MATRIX, query_string={"module": "welding"})
    assert unknown.status_code == 422 and list(unknown.json["errors"]) == ["module"]


def test_filters_by_role_site_and_name(team, as_):
    south = make_site(team.organization, "SOUTH")
    make_member(team.organization, sites=[south], name="Sam South")
    northerner = make_member(team.organization, sites=[team.north], name="Nora O'Hara_%")
    officer = as_(team.officer)

    def ids(**query):
        answer = officer.get(MATRIX, query_string=query)
        assert answer.status_code == 200, answer.json
        assert answer.json["total"] == len(answer.json["people"])
        return {p["id"] for p in answer.json["people"]}

    assert ids(role="auditor") == {team.auditor.id}
    north = ids(site_id=team.north.id)
    # Everyone without site limits works at every site; Sam only at the south.
    assert northerner.id in north and team.north_officer.id in north and team.worker.id in north
    assert len(north) == 7
    assert ids(site_id=south.id) == north - {northerner.id, team.north_officer.id} | (
        ids(q="sam south")
    )
    assert ids(q="  NORA ") == {northerner.id}
    assert ids(q="_%") == {northerner.id}
    assert ids(q=team.auditor.email.upper()) == {team.auditor.id}
    other_site = make_site(team.elsewhere)
    assert ids(site_id=other_site.id) == set()
    assert ids(q="nobody by that name") == set()


def test_only_active_members_are_in_the_matrix(team, as_):
    team.worker.active = False
    membership = db.session.scalar(select(Membership).where(Membership.user_id == team.auditor.id))
    membership.active = False
    db.session.commit()
    answer = as_(team.officer).get(MATRIX)
    people = {p["id"] for p in answer.json["people"]}
    assert team.worker.id not in people and team.auditor.id not in people
    assert answer.json["total"] == 4


def test_people_are_paged_by_name(team, as_):
    org = team.organization
    for name in ("Zoe", "anna", "Bert"):
        make_member(org, name=name)
    officer = as_(team.officer)
    first = officer.get(MATRIX, query_string={"per_page": 2}).json
    assert [p["name"] for p in first["people"]] == ["anna", "Bert"]
    assert (first["total"], first["page"], first["per_page"]) == (9, 1, 2)
    later = officer.get(MATRIX, query_string={"per_page": 2, "page": 4}).json
    assert [p["name"] for p in later["people"]] == ["Test User", "Test User"]
    last = officer.get(MATRIX, query_string={"per_page": 2, "page": 5}).json
    assert [p["name"] for p in last["people"]] == ["Zoe"]
    beyond = officer.get(MATRIX, query_string={"per_page": 2, "page": 6}).json
    assert beyond["people"] == [] and beyond["total"] == 9


def test_a_page_takes_the_same_number_of_queries_whatever_its_size_or_number(team, as_):
    org = team.organization
    officer = as_(team.officer)
    officer.post(MODULES, json={"label": "Working at height"})
    people = [make_member(org, name=f"Person {n:02}") for n in range(30)]
    for number, person in enumerate(people):
        for offset in range(number % 4):
            grant(person, org, day(-100 - offset), day(offset * 40 - 20))
        grant(person, org, day(-3), None, module="working_at_height")

    counts = {}
    queries = [
        {"per_page": 1},
        {"per_page": 10},
        {"per_page": 200},
        {"per_page": 10, "page": 3},
        {"per_page": 10, "page": 99},
        {"role": "worker", "q": "person", "site_id": team.north.id},
    ]
    for query in queries:
        with statements() as sent:
            answer = officer.get(MATRIX, query_string=query)
        assert answer.status_code == 200
        counts[str(query)] = len(sent)
    assert len(set(counts.values())) == 1, counts
    # The page itself: the settings, the modules, the count, the people and their records.
    with statements() as bare:
        officer.get("/api/competences/modules")
    assert counts[str({"per_page": 1})] - len(bare) == 4, counts


@pytest.mark.parametrize("role", ["worker", "auditor"])
def test_only_officers_and_admins_read_the_matrix(team, as_, role):
    assert as_(getattr(team, role)).get(MATRIX).status_code == 403


@pytest.mark.parametrize(
    "query",
    [
        {"page": 0},
        {"page": "١"},
        {"page": str(2**63)},
        {"per_page": 0},
        {"per_page": 201},
        {"site_id": str(2**31)},
        {"site_id": "north"},
        {"role": "boss"},
        {"module": "Bad Module"},
        {"q": "x" * 201},
        {"q": "nul\x00"},
    ],
)
def test_bad_matrix_queries_name_their_field(team, as_, query):
    answer = as_(team.officer).get(MATRIX, query_string=query)
    assert answer.status_code == 422, answer.json
    assert list(answer.json["errors"]) == list(query)


# Who is qualified


def test_who_holds_a_valid_record_on_a_day(team, as_):
    org = team.organization
    grant(team.auditor, org, day(-300), day(-1))
    grant(team.officer, org, day(-10), day(100))
    grant(team.worker, org, day(-10), None, module="document_control")
    grant(team.stranger, team.elsewhere, day(-10), day(100))
    officer = as_(team.officer)

    def qualified(**query):
        answer = officer.get(QUALIFIED, query_string={"module": INTERNAL_AUDIT, **query})
        assert answer.status_code == 200, answer.json
        return [person["id"] for person in answer.json]

    # The auditor's record expired yesterday: not qualified today, qualified a week ago.
    assert qualified() == [team.officer.id]
    assert qualified(on=day(-7).isoformat()) == [team.auditor.id, team.officer.id]
    assert qualified(on=day(101).isoformat()) == []
    assert qualified(on=day(-11).isoformat()) == [team.auditor.id]
    assert qualified(on=day(-301).isoformat()) == []
    (person,) = officer.get(QUALIFIED, query_string={"module": INTERNAL_AUDIT}).json
    assert person == {"id": team.officer.id, "name": "Test User", "role": "officer"}

    # A renewal qualifies again.
    grant(team.auditor, org, day(0), day(730))
    assert qualified() == [team.auditor.id, team.officer.id]
    assert qualified(on=day(500).isoformat()) == [team.auditor.id]


def test_qualified_people_at_a_site_and_only_active_ones(team, as_):
    org = team.organization
    south = make_site(org, "SOUTH")
    grant(team.north_officer, org, day(-1), None)
    grant(team.officer, org, day(-1), None)
    grant(team.worker, org, day(-1), None)
    team.worker.active = False
    db.session.commit()
    officer = as_(team.officer)
    at = officer.get(QUALIFIED, query_string={"module": INTERNAL_AUDIT, "site_id": south.id})
    assert [p["id"] for p in at.json] == [team.officer.id]
    every = officer.get(QUALIFIED, query_string={"module": INTERNAL_AUDIT})
    assert {p["id"] for p in every.json} == {team.officer.id, team.north_officer.id}


@pytest.mark.parametrize(
    "query",
    [
        {"module": "Bad"},
        {"module": INTERNAL_AUDIT, "on": "0001-01-01"},
        {"module": INTERNAL_AUDIT, "on": "2026-02-30"},
        {"module": INTERNAL_AUDIT, "site_id": str(2**63)},
    ],
)
def test_bad_qualified_queries_name_their_field(team, as_, query):
    answer = as_(team.officer).get(QUALIFIED, query_string=query)
    assert answer.status_code == 422, answer.json
    assert list(answer.json["errors"]) == [k for k in query if k != "module" or len(query) == 1]


def test_qualified_needs_a_module_and_an_officer(team, as_):
    assert as_(team.officer).get(QUALIFIED).status_code == 422
    asked = as_(team.auditor).get(QUALIFIED, query_string={"module": INTERNAL_AUDIT})
    assert asked.status_code == 403
