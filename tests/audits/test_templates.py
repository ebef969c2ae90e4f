"""Audit templates through the API: making, copying, editing and versions, validation and roles."""

import copy
import threading
import uuid

import pytest
from sqlalchemy import event, func, select

from server.audits import templates
from server.audits.models import Audit, AuditTemplate, AuditTemplateVersion
from server.audits.records import TEMPLATE_TYPE
from server.auth.access import actor_for
from server.events.models import Event
from server.exceptions import NotAllowed, NotFound
from server.extensions import db
from tests.factories import PASSWORD, make_organization, make_user

URL = "/api/audit-templates"
GIVEN_ID = "0f6c3a52-6a53-4c1f-9b0e-5a4a3bd1c001"


def template_body(**fields) -> dict:
    """A valid POST body: two clauses, three questions, one with its id given."""
    return {
        "id": str(uuid.uuid4()),
        "name": "Warehouse safety walk",
        "standard": "ISO 45001:2018",
        "sections": [
            {
                "ref": "6",
                "title": "Planning",
                "questions": [
                    {
                        "id": GIVEN_ID,
                        "ref": "6.1.2",
                        "text": "Are racking hazards on the register?",
                        "guidance": "Walk aisles 1-4 with the shift lead.",
                        "weight": 3,
                        "evidence_on_nc": True,
                    },
                    {"ref": "6.1.3", "text": "Is the legal register current?"},
                ],
            },
            {
                "ref": "8",
                "title": "Operation",
                "questions": [{"ref": "8.2", "text": "Are fire exits clear?", "weight": 2}],
            },
        ],
        **fields,
    }


class Desk:
    """The API as one signed-in person uses it."""

    def __init__(self, client, user):
        self.client = client
        response = client.post("/api/auth/login", json={"email": user.email, "password": PASSWORD})
        assert response.status_code == 200

    def post(self, body: dict):
        return self.client.post(URL, json=body)

    def put(self, template_id, body: dict):
        return self.client.put(f"{URL}/{template_id}", json=body)

    def get(self, template_id=None, **params):
        url = URL if template_id is None else f"{URL}/{template_id}"
        return self.client.get(url, query_string=params)

    def made(self, **fields) -> dict:
        response = self.post(template_body(**fields))
        assert response.status_code == 201, response.json
        return response.json


@pytest.fixture
def desk(client):
    """desk(user): the API as that person, signed in."""
    return lambda user: Desk(client, user)


def content(view: dict, **changes) -> dict:
    """A PUT body from a template view, changed."""
    body = {name: copy.deepcopy(view[name]) for name in ("name", "standard", "sections")}
    return body | changes


def run_audit_on(template_id, site) -> Audit:
    """An audit row on the template's newest version, as the core makes one."""
    template = db.session.scalar(
        select(AuditTemplate).where(AuditTemplate.id == uuid.UUID(str(template_id)))
    )
    audit = Audit(
        id=uuid.uuid4(),
        organization_id=template.organization_id,
        site_id=site.id,
        template_version_pk=templates.newest_version(template).pk,
        status="in_progress",
    )
    db.session.add(audit)
    db.session.commit()
    return audit


def template_events(template_id) -> list[tuple[str, dict]]:
    rows = db.session.execute(
        select(Event.action, Event.data)
        .where(Event.entity_type == TEMPLATE_TYPE, Event.entity_id == str(template_id))
        .order_by(Event.id)
    )
    return [(action, data) for action, data in rows]


def versions_of(template_id) -> list[AuditTemplateVersion]:
    return list(
        db.session.scalars(
            select(AuditTemplateVersion)
            .join(AuditTemplate)
            .where(AuditTemplate.id == uuid.UUID(str(template_id)))
            .order_by(AuditTemplateVersion.version)
        )
    )


def all_questions(view: dict) -> list[dict]:
    return [q for section in view["sections"] for q in section["questions"]]


# Making -----------------------------------------------------------------------------------


def test_a_new_template_keeps_given_question_ids_and_makes_the_others(desk, plant):
    body = template_body()
    response = desk(plant.officer).post(body)
    assert response.status_code == 201, response.json
    view = response.json
    assert (view["id"], view["name"], view["version"], view["used"]) == (
        body["id"],
        "Warehouse safety walk",
        1,
        False,
    )
    assert (view["starter"], view["archived"], view["question_count"]) == (None, False, 3)
    given, second, third = all_questions(view)
    assert given["id"] == GIVEN_ID
    assert given | {"id": None} == body["sections"][0]["questions"][0] | {"id": None}
    assert second == {
        "id": second["id"],
        "ref": "6.1.3",
        "text": "Is the legal register current?",
        "guidance": "",
        "weight": 1,
        "evidence_on_nc": False,
    }
    assert len({GIVEN_ID, uuid.UUID(second["id"]), uuid.UUID(third["id"])}) == 3
    assert desk(plant.officer).get(body["id"]).json == view
    assert [action for action, _ in template_events(body["id"])] == ["created"]


def test_sending_the_same_template_again_gives_it_back_and_other_content_is_a_conflict(desk, plant):
    officer = desk(plant.officer)
    body = template_body()
    first = officer.post(body)
    again = officer.post(body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json == first.json
    other = officer.post(body | {"name": "Another walk"})
    assert other.status_code == 409
    assert other.json["errors"] == {"id": ["Taken by another audit template."]}
    assert officer.get(body["id"]).json["name"] == "Warehouse safety walk"
    assert len(versions_of(body["id"])) == 1
    assert [action for action, _ in template_events(body["id"])] == ["created"]


def test_a_starter_template_id_cannot_be_taken_by_a_new_template(desk, plant):
    officer = desk(plant.officer)
    starter = next(t for t in officer.get().json if t["starter"] == "iso9001")
    response = officer.post(template_body(id=starter["id"]))
    assert response.status_code == 409


def test_two_sends_of_one_template_at_the_same_moment_make_one(app, plant):
    body = template_body()
    clients = [app.test_client(), app.test_client()]
    for client in clients:
        login = {"email": plant.officer.email, "password": PASSWORD}
        assert client.post("/api/auth/login", json=login).status_code == 200
    # Both requests have looked for the id and found nothing before either adds it.
    both_looked = threading.Barrier(2, timeout=20)
    waited = threading.local()

    def wait_before_inserting(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("INSERT INTO AUDIT_TEMPLATE ") and not getattr(
            waited, "done", False
        ):
            waited.done = True
            both_looked.wait()

    statuses = []

    def send(client):
        statuses.append(client.post(URL, json=body).status_code)

    event.listen(db.engine, "before_cursor_execute", wait_before_inserting)
    try:
        threads = [threading.Thread(target=send, args=(client,)) for client in clients]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        event.remove(db.engine, "before_cursor_execute", wait_before_inserting)
    assert sorted(statuses) == [200, 201]
    count = (
        select(func.count())
        .select_from(AuditTemplate)
        .where(AuditTemplate.id == uuid.UUID(body["id"]))
    )
    assert db.session.scalar(count) == 1


def test_a_copy_takes_the_newest_version_with_fresh_question_ids(desk, plant):
    officer = desk(plant.officer)
    source = officer.made()
    changed = content(source)
    changed["sections"][1]["questions"][0]["text"] = "Are fire exits and routes clear?"
    assert officer.put(source["id"], changed).status_code == 200
    body = {"id": str(uuid.uuid4()), "copy_of": source["id"], "name": "  North walk  "}
    response = officer.post(body)
    assert response.status_code == 201, response.json
    made = response.json
    assert (made["name"], made["standard"], made["version"]) == (
        "North walk",
        "ISO 45001:2018",
        1,
    )
    without_ids = [{**q, "id": None} for q in all_questions(made)]
    assert without_ids == [{**q, "id": None} for q in all_questions(officer.get(source["id"]).json)]
    assert {q["id"] for q in all_questions(made)}.isdisjoint(
        {q["id"] for q in all_questions(source)}
    )
    assert officer.post(body).status_code == 200
    assert template_events(made["id"])[0][0] == "created"
    assert template_events(made["id"])[0][1]["copy_of"] == source["id"]


def test_a_starter_template_can_be_copied_and_the_copy_is_not_a_starter(desk, plant):
    officer = desk(plant.officer)
    starter = next(t for t in officer.get().json if t["starter"] == "iso14001")
    made = officer.post({"copy_of": starter["id"], "name": "Yard environmental walk"}).json
    assert (made["starter"], made["standard"], made["question_count"]) == (
        None,
        "ISO 14001:2015",
        starter["question_count"],
    )
    assert uuid.UUID(made["id"]) != uuid.UUID(starter["id"])


def test_copying_needs_a_template_of_ones_own_organization(desk, plant):
    stranger = make_user(make_organization(), role="officer")
    theirs = desk(stranger).made()
    officer = desk(plant.officer)
    response = officer.post({"id": str(uuid.uuid4()), "copy_of": theirs["id"], "name": "Mine"})
    assert response.status_code == 422
    assert response.json["errors"] == {"copy_of": ["No such audit template."]}


def test_a_copy_takes_no_content_of_its_own(desk, plant):
    body = template_body(copy_of=str(plant.template.id))
    response = desk(plant.officer).post(body)
    assert response.status_code == 422
    assert response.json["errors"] == {
        "standard": ["Not with copy_of."],
        "sections": ["Not with copy_of."],
    }


def test_a_new_template_without_copy_of_needs_its_id_standard_and_sections(desk, plant):
    response = desk(plant.officer).post({"name": "Bare"})
    assert response.status_code == 422
    missing = ["Missing data for required field."]
    assert response.json["errors"] == {"id": missing, "standard": missing, "sections": missing}


# Editing and versions ---------------------------------------------------------------------


def test_an_edit_before_any_audit_changes_the_version_in_place(desk, plant):
    officer = desk(plant.officer)
    made = officer.made()
    (row,) = versions_of(made["id"])
    changed = content(made, name="Warehouse walk")
    changed["sections"][0]["questions"][1] = {"ref": "6.1.3", "text": "Is the register dated?"}
    response = officer.put(made["id"], changed)
    assert response.status_code == 200, response.json
    view = response.json
    assert (view["version"], view["name"], view["used"]) == (1, "Warehouse walk", False)
    assert all_questions(view)[0] == all_questions(made)[0]
    assert all_questions(view)[1]["text"] == "Is the register dated?"
    assert all_questions(view)[1]["id"] != all_questions(made)[1]["id"]
    db.session.expire_all()
    (same_row,) = versions_of(made["id"])
    assert same_row.pk == row.pk and same_row.sections == view["sections"]
    assert same_row.name == "Warehouse walk"
    assert template_events(made["id"])[-1] == ("edited", {"version": 1})


def test_an_edit_after_an_audit_ran_the_version_makes_the_next_one(desk, plant):
    officer = desk(plant.officer)
    made = officer.made()
    audit = run_audit_on(made["id"], plant.north)
    assert officer.get(made["id"]).json["used"] is True
    before = copy.deepcopy(versions_of(made["id"])[0].sections)
    changed = content(made)
    changed["sections"][0]["questions"][0]["weight"] = 2
    changed["sections"].append(
        {
            "ref": "10",
            "title": "Improvement",
            "questions": [{"ref": "10.2", "text": "Are NCs closed?"}],
        }
    )
    response = officer.put(made["id"], changed)
    assert response.status_code == 200, response.json
    view = response.json
    assert (view["version"], view["used"], view["question_count"]) == (2, False, 4)
    assert all_questions(view)[0]["id"] == GIVEN_ID and all_questions(view)[0]["weight"] == 2
    db.session.expire_all()
    old, new = versions_of(made["id"])
    assert (old.version, old.sections, old.question_count) == (1, before, 3)
    assert (new.version, new.sections) == (2, view["sections"])
    assert db.session.get(Audit, audit.pk).template_version_pk == old.pk
    template = db.session.scalar(
        select(AuditTemplate).where(AuditTemplate.id == uuid.UUID(made["id"]))
    )
    assert templates.get_version(template.organization_id, template.pk, 1).sections == before
    with pytest.raises(NotFound):
        templates.get_version(template.organization_id, template.pk, 3)
    assert template_events(made["id"])[-1] == ("versioned", {"version": 2})
    # Version 2 has not been run: the next edit changes it in place.
    again = officer.put(made["id"], content(view, name="Warehouse walk v2"))
    assert (again.json["version"], again.json["name"]) == (2, "Warehouse walk v2")
    assert len(versions_of(made["id"])) == 2
    assert template_events(made["id"])[-1] == ("edited", {"version": 2})


def test_an_edit_of_a_starter_template_someone_audited_with_keeps_the_old_version(desk, plant):
    officer = desk(plant.officer)
    starter = next(t for t in officer.get().json if t["starter"] == "iso45001")
    run_audit_on(starter["id"], plant.south)
    changed = content(starter)
    del changed["sections"][6]["questions"][0]
    view = officer.put(starter["id"], changed).json
    assert (view["version"], view["starter"], view["question_count"]) == (2, "iso45001", 53)
    listed = next(t for t in officer.get().json if t["id"] == starter["id"])
    assert listed["version"] == 2
    assert sum(1 for t in officer.get().json if t["starter"] == "iso45001") == 1
    assert versions_of(starter["id"])[0].question_count == 54


def test_the_same_content_again_changes_nothing_even_once_audited(desk, plant):
    officer = desk(plant.officer)
    made = officer.made()
    run_audit_on(made["id"], plant.north)
    events = template_events(made["id"])
    # Sent back as read, and with the question ids left out: both say what version 1 says.
    as_read = content(made)
    without_ids = copy.deepcopy(as_read)
    for section in without_ids["sections"]:
        for question in section["questions"]:
            del question["id"]
    for body in (as_read, without_ids):
        response = officer.put(made["id"], body)
        assert response.status_code == 200
        assert response.json["version"] == 1
    assert len(versions_of(made["id"])) == 1
    assert template_events(made["id"]) == events


def test_archiving_hides_a_template_from_the_list_unless_asked(desk, plant):
    officer = desk(plant.officer)
    made = officer.made()
    response = officer.put(made["id"], content(made, archived=True))
    assert (response.status_code, response.json["archived"], response.json["version"]) == (
        200,
        True,
        1,
    )
    assert made["id"] not in [t["id"] for t in officer.get().json]
    assert made["id"] in [t["id"] for t in officer.get(include_archived="true").json]
    assert template_events(made["id"])[-1] == ("archived", {"version": 1})
    officer.put(made["id"], content(made, archived=False))
    assert made["id"] in [t["id"] for t in officer.get().json]
    assert template_events(made["id"])[-1] == ("restored", {"version": 1})


def test_the_list_tells_which_templates_an_audit_ran(desk, plant):
    officer = desk(plant.officer)
    used, unused = officer.made(name="A walk"), officer.made(name="B walk")
    run_audit_on(used["id"], plant.north)
    listed = {t["id"]: t for t in officer.get().json}
    assert (listed[used["id"]]["used"], listed[unused["id"]]["used"]) == (True, False)
    assert listed[used["id"]]["sections"] == used["sections"]
    names = [t["name"] for t in officer.get().json]
    assert names == sorted(names)


# Organizations and roles ------------------------------------------------------------------


def test_another_organizations_templates_are_not_found(desk, plant):
    stranger = make_user(make_organization(), role="admin")
    theirs = desk(stranger).made()
    their_starters = [t["id"] for t in desk(stranger).get().json if t["starter"]]
    officer = desk(plant.officer)
    mine = officer.get().json
    assert not {t["id"] for t in mine} & {theirs["id"], *their_starters}
    for template_id in (theirs["id"], their_starters[0]):
        assert officer.get(template_id).status_code == 404
        assert officer.put(template_id, content(theirs)).status_code == 404
    assert officer.get(uuid.uuid4()).status_code == 404


def test_auditors_read_templates_but_change_none(desk, plant):
    auditor = desk(plant.auditor)
    listed = auditor.get()
    assert listed.status_code == 200 and len(listed.json) == 4
    one = auditor.get(plant.template.id)
    assert one.status_code == 200 and one.json["name"] == "Plant audit"
    assert auditor.post(template_body()).status_code == 403
    assert auditor.post({"copy_of": str(plant.template.id), "name": "Mine"}).status_code == 403
    assert auditor.put(plant.template.id, content(one.json, name="Mine")).status_code == 403
    assert desk(plant.officer).get(plant.template.id).json["name"] == "Plant audit"


def test_workers_may_not_see_templates(desk, plant):
    worker = desk(plant.worker)
    assert worker.get().status_code == 403
    assert worker.get(plant.template.id).status_code == 403
    assert worker.post(template_body()).status_code == 403


def test_admins_and_site_limited_officers_make_and_edit_templates(desk, plant):
    admin = desk(make_user(plant.organization, role="admin"))
    made = admin.made()
    south_officer = desk(plant.south_officer)
    response = south_officer.put(made["id"], content(made, name="Edited in the south"))
    assert response.status_code == 200 and response.json["name"] == "Edited in the south"


def test_signing_in_is_needed(client, plant):
    assert client.get(URL).status_code == 401
    assert client.post(URL, json=template_body()).status_code == 401


# Validation -------------------------------------------------------------------------------


def _question(body: dict, section: int = 0, index: int = 0) -> dict:
    return body["sections"][section]["questions"][index]


def _set(path: str, value):
    """A change to template_body(): set the value at a dotted path."""

    def change(body: dict) -> None:
        *parents, last = path.split(".")
        target = body
        for name in parents:
            target = target[int(name)] if name.isdigit() else target[name]
        target[int(last) if last.isdigit() else last] = value

    return change


def _duplicate_section_ref(body):
    body["sections"][1]["ref"] = " 6 "


def _duplicate_question_ref(body):
    _question(body, 1)["ref"] = "6.1.3"


def _duplicate_question_id(body):
    _question(body, 1)["id"] = GIVEN_ID


def _no_questions(body):
    for section in body["sections"]:
        section["questions"] = []


INVALID = [
    ("NUL", _set("sections.0.questions.1.text", "Is it\x00 safe?"), "sections.0.questions.1.text"),
    (
        "surrogate",
        _set("sections.1.questions.0.text", "Exit \ud83d clear?"),
        "sections.1.questions.0.text",
    ),
    (
        "NUL guidance",
        _set("sections.0.questions.0.guidance", "\x00"),
        "sections.0.questions.0.guidance",
    ),
    ("weight 0", _set("sections.1.questions.0.weight", 0), "sections.1.questions.0.weight"),
    ("weight 11", _set("sections.1.questions.0.weight", 11), "sections.1.questions.0.weight"),
    ("weight 2**63", _set("sections.0.questions.0.weight", 2**63), "sections.0.questions.0.weight"),
    ("weight 1.5", _set("sections.0.questions.0.weight", 1.5), "sections.0.questions.0.weight"),
    ("weight text", _set("sections.0.questions.0.weight", "3"), "sections.0.questions.0.weight"),
    ("blank text", _set("sections.0.questions.1.text", "   "), "sections.0.questions.1.text"),
    ("no text", _set("sections.0.questions.1.text", None), "sections.0.questions.1.text"),
    ("blank ref", _set("sections.0.questions.1.ref", ""), "sections.0.questions.1.ref"),
    ("long ref", _set("sections.1.ref", "8" * 33), "sections.1.ref"),
    ("blank title", _set("sections.1.title", " "), "sections.1.title"),
    ("bad id", _set("sections.0.questions.0.id", "not-a-uuid"), "sections.0.questions.0.id"),
    ("unknown field", _set("sections.0.questions.0.score", 1), "sections.0.questions.0.score"),
    ("section ref twice", _duplicate_section_ref, "sections.1.ref"),
    ("question ref twice", _duplicate_question_ref, "sections.1.questions.0.ref"),
    ("question id twice", _duplicate_question_id, "sections.1.questions.0.id"),
    ("no question", _no_questions, "sections"),
    ("no section", _set("sections", []), "sections"),
    ("standard", _set("standard", "ISO 27001:2022"), "standard"),
    ("blank name", _set("name", ""), "name"),
]


@pytest.mark.parametrize(("change", "field"), [c[1:] for c in INVALID], ids=[c[0] for c in INVALID])
def test_a_bad_value_is_refused_by_its_field(desk, plant, change, field):
    body = template_body()
    change(body)
    officer = desk(plant.officer)
    response = officer.post(body)
    assert response.status_code == 422, response.json
    assert field in response.json["errors"], response.json["errors"]
    assert officer.get(body["id"]).status_code == 404
    # The same content is refused by PUT, field by field, and the template stays as it was.
    made = officer.made()
    response = officer.put(made["id"], {k: v for k, v in body.items() if k != "id"})
    assert response.status_code == 422, response.json
    assert field in response.json["errors"]
    assert officer.get(made["id"]).json == made


def test_a_ref_used_twice_names_both_places(desk, plant):
    body = template_body()
    _duplicate_question_ref(body)
    response = desk(plant.officer).post(body)
    assert response.json["errors"] == {
        "sections.0.questions.1.ref": ["Another question has this ref."],
        "sections.1.questions.0.ref": ["Another question has this ref."],
    }


def test_several_bad_questions_are_named_each_by_its_place(desk, plant):
    body = template_body()
    _question(body, 0, 1)["text"] = ""
    _question(body, 1, 0)["weight"] = 0
    response = desk(plant.officer).post(body)
    assert response.status_code == 422
    assert set(response.json["errors"]) == {
        "sections.0.questions.1.text",
        "sections.1.questions.0.weight",
    }


def test_weights_1_and_10_are_the_bounds(desk, plant):
    body = template_body()
    _question(body, 0, 1)["weight"] = 1
    _question(body, 1, 0)["weight"] = 10
    made = desk(plant.officer).post(body).json
    assert [q["weight"] for q in all_questions(made)] == [3, 1, 10]


def test_text_is_stored_trimmed(desk, plant):
    body = template_body(name="  Walk  ")
    _question(body, 1, 0)["text"] = "  Are fire exits clear?\n"
    _question(body, 1, 0)["guidance"] = None
    made = desk(plant.officer).post(body).json
    assert made["name"] == "Walk"
    assert all_questions(made)[2]["text"] == "Are fire exits clear?"
    assert all_questions(made)[2]["guidance"] == ""


def test_services_refuse_roles_without_the_route(app, plant):
    worker = actor_for(plant.worker.memberships[0])
    auditor = actor_for(plant.auditor.memberships[0])
    with pytest.raises(NotAllowed):
        templates.list_templates(worker)
    with pytest.raises(NotAllowed):
        templates.create_template(auditor, {"copy_of": plant.template.id, "name": "Mine"})
    with pytest.raises(NotAllowed):
        templates.update_template(auditor, plant.template.id, {})
