"""The starter templates: their data files, and seeding them once per organization."""

import json
import threading
import uuid
from importlib import resources

import pytest
from sqlalchemy import event, func, select

from server.audits import templates
from server.audits.models import STANDARDS, AuditTemplate, AuditTemplateVersion
from server.audits.records import TEMPLATE_TYPE
from server.audits.template_schemas import TemplateContentIn
from server.events.models import Event
from server.extensions import db
from tests.factories import make_organization, make_user

CLAUSES = ["4", "5", "6", "7", "8", "9", "10"]
STANDARD_OF = {
    "iso45001": "ISO 45001:2018",
    "iso14001": "ISO 14001:2015",
    "iso9001": "ISO 9001:2015",
}


def starter_files() -> dict[str, dict]:
    folder = resources.files("server.audits.starter")
    return {
        entry.name.removesuffix(".json"): json.loads(entry.read_text("utf-8"))
        for entry in folder.iterdir()
        if entry.name.endswith(".json")
    }


def questions(data: dict) -> list[dict]:
    return [q for section in data["sections"] for q in section["questions"]]


def test_there_is_one_file_per_standard():
    assert sorted(starter_files()) == sorted(templates.STARTER_KEYS) == sorted(STANDARD_OF)


@pytest.mark.parametrize("key", templates.STARTER_KEYS)
def test_a_starter_file_has_clauses_4_to_10_and_at_least_40_questions(key):
    data = starter_files()[key]
    assert data["key"] == key
    assert data["standard"] == STANDARD_OF[key] and data["standard"] in STANDARDS
    assert [section["ref"] for section in data["sections"]] == CLAUSES
    assert all(section["title"].strip() and section["questions"] for section in data["sections"])
    refs = [q["ref"] for q in questions(data)]
    assert 40 <= len(refs) <= 60
    assert len(set(refs)) == len(refs)


@pytest.mark.parametrize("key", templates.STARTER_KEYS)
def test_each_starter_question_is_complete_and_under_its_clause(key):
    data = starter_files()[key]
    for section in data["sections"]:
        for question in section["questions"]:
            assert set(question) == {"ref", "text", "guidance", "weight", "evidence_on_nc"}
            assert templates.clause_of(question["ref"]).split(".")[0] == section["ref"]
            assert question["text"].endswith("?") and len(question["text"]) > 30
            assert len(question["guidance"]) > 20
            assert question["weight"] in (1, 2, 3)
            assert isinstance(question["evidence_on_nc"], bool)
    weights = {q["weight"] for q in questions(data)}
    assert weights == {1, 2, 3}
    # Site conditions a photo proves: some questions, not all.
    photo_questions = [q for q in questions(data) if q["evidence_on_nc"]]
    assert 3 <= len(photo_questions) < len(questions(data)) // 2


@pytest.mark.parametrize("key", templates.STARTER_KEYS)
def test_a_starter_file_is_a_valid_template_body(key):
    data = starter_files()[key]
    loaded = TemplateContentIn().load({k: data[k] for k in ("name", "standard", "sections")})
    assert sum(len(s["questions"]) for s in loaded["sections"]) == len(questions(data))


def test_clause_of_drops_the_letter_that_tells_questions_on_one_clause_apart():
    assert templates.clause_of("6.1.2.1a") == "6.1.2.1"
    assert templates.clause_of("8.2b") == "8.2"
    assert templates.clause_of("9.3") == "9.3"


def _starters(organization_id: int) -> list[AuditTemplate]:
    return list(
        db.session.scalars(
            select(AuditTemplate)
            .where(
                AuditTemplate.organization_id == organization_id,
                AuditTemplate.starter.is_not(None),
            )
            .order_by(AuditTemplate.starter)
        )
    )


def _version_count(organization_id: int) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(AuditTemplateVersion)
        .join(AuditTemplate)
        .where(AuditTemplate.organization_id == organization_id)
    )


def test_seeding_twice_gives_one_copy_of_each_at_version_1(app):
    organization = make_organization()
    templates.ensure_starter_templates(organization.id)
    templates.ensure_starter_templates(organization.id)
    seeded = _starters(organization.id)
    assert [t.starter for t in seeded] == sorted(templates.STARTER_KEYS)
    assert all(t.version == 1 for t in seeded)
    assert _version_count(organization.id) == 3
    created = db.session.scalars(
        select(Event.action).where(
            Event.organization_id == organization.id, Event.entity_type == TEMPLATE_TYPE
        )
    ).all()
    assert created == ["created"] * 3


def test_seeding_copies_the_file_with_ids_stable_per_organization(app):
    organization = make_organization()
    templates.ensure_starter_templates(organization.id)
    template = next(t for t in _starters(organization.id) if t.starter == "iso45001")
    assert template.id == templates.starter_id(organization.id, "iso45001")
    version = templates.newest_version(template)
    data = starter_files()["iso45001"]
    assert (version.name, version.standard) == (data["name"], data["standard"])
    assert version.question_count == len(questions(data))
    for stored, source in zip(
        questions({"sections": version.sections}), questions(data), strict=True
    ):
        assert stored == {"id": str(uuid.uuid5(template.id, source["ref"])), **source}


def test_two_organizations_get_copies_of_their_own(app):
    first, second = make_organization(), make_organization()
    templates.ensure_starter_templates(first.id)
    templates.ensure_starter_templates(second.id)
    mine, theirs = _starters(first.id), _starters(second.id)
    assert {t.id for t in mine}.isdisjoint({t.id for t in theirs})
    my_questions = {
        q["id"] for t in mine for q in questions({"sections": templates.newest_version(t).sections})
    }
    their_questions = {
        q["id"]
        for t in theirs
        for q in questions({"sections": templates.newest_version(t).sections})
    }
    assert len(my_questions) == 54 + 46 + 52 == len(their_questions)
    assert my_questions.isdisjoint(their_questions)


def test_seeders_at_the_same_moment_leave_one_copy(app):
    organization_id = make_organization().id
    # Every seeder has looked for the starter templates and found none before any adds one.
    all_looked = threading.Barrier(3, timeout=20)
    waited = threading.local()

    def wait_before_inserting(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("INSERT INTO AUDIT_TEMPLATE ") and not getattr(
            waited, "done", False
        ):
            waited.done = True
            all_looked.wait()

    errors = []

    def seed():
        with app.app_context():
            try:
                templates.ensure_starter_templates(organization_id)
            except Exception as error:  # pragma: no cover - shown by the assertion below
                errors.append(error)

    event.listen(db.engine, "before_cursor_execute", wait_before_inserting)
    try:
        threads = [threading.Thread(target=seed) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        event.remove(db.engine, "before_cursor_execute", wait_before_inserting)
    assert errors == []
    assert [t.starter for t in _starters(organization_id)] == sorted(templates.STARTER_KEYS)
    assert _version_count(organization_id) == 3


def test_the_list_seeds_the_organization_of_whoever_asks(client, auth, app):
    organization = make_organization()
    auditor = make_user(organization, role="auditor")
    assert auth.login(auditor.email).status_code == 200
    for _ in range(2):
        response = client.get("/api/audit-templates")
        assert response.status_code == 200
    assert sorted(t["starter"] for t in response.json) == sorted(templates.STARTER_KEYS)
    assert sorted(t["question_count"] for t in response.json) == [46, 52, 54]
    assert all(not t["used"] and t["version"] == 1 for t in response.json)
