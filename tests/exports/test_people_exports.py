"""The registers of competence and documented information as CSV, and in the evidence bundle:
competence records, the document register, acknowledgements, and each document's current file
(read back with the csv module, the real unzip and the real sha256sum)."""

import json
import uuid
from datetime import timedelta

from server.exports.registers import (
    ACKNOWLEDGEMENT_COLUMNS,
    COMPETENCE_COLUMNS,
    DOCUMENT_COLUMNS,
)
from tests.documents.helpers import Desk, pdf, sha256
from tests.exports.conftest import check_bundle, parse_csv, period, today
from tests.people.helpers import make_member

HOSTILE = '=HYPERLINK("http://evil.example","x")'


def export(person, user, table: str, **params):
    response = person(user).get(f"/api/exports/{table}.csv", **(params or period()))
    assert response.status_code == 200, response.json
    assert response.mimetype == "text/csv"
    assert response.headers["Cache-Control"] == "private, no-store"
    return parse_csv(response.get_data())


def record(officer, user, module: str, completed: int, expires: int | None, **fields) -> dict:
    """Record a competence of user through the API: completed and expires in days from today."""
    body = {
        "module": module,
        "title": f"{module} course",
        "completed_on": (today() + timedelta(days=completed)).isoformat(),
        "expires_on": None if expires is None else (today() + timedelta(days=expires)).isoformat(),
        **fields,
    }
    response = officer.post(f"/api/users/{user.id}/competences", body)
    assert response.status_code == 201, response.json
    return response.json


def competences(person, plant) -> dict:
    """Records of the worker (every site) and of a South worker, some in force in the period."""
    officer = person(plant.officer)
    photo = officer.photo(7)
    south = make_member(plant.organization, sites=[plant.south], name="Sam South")
    made = {
        "valid": record(
            officer, plant.worker, "internal_audit", -100, 300, certificate_photo=photo
        ),
        "lapsed": record(officer, plant.worker, "risk_based_thinking", -400, -10, title=HOSTILE),
        "old": record(officer, plant.worker, "document_control", -900, -60),
        "south": record(officer, south, "root_cause_analysis", -5, None),
    }
    return {"photo": photo, "south": south, **made}


def test_competences_in_force_in_the_period_with_their_state_today(person, plant):
    made = competences(person, plant)
    header, rows = export(person, plant.officer, "competences")
    assert tuple(header) == COMPETENCE_COLUMNS
    by_module = {row["module"]: row for row in rows}
    # The document control record expired before the period began.
    assert set(by_module) == {"internal_audit", "risk_based_thinking", "root_cause_analysis"}
    valid = by_module["internal_audit"]
    assert valid["id"] == str(made["valid"]["id"])
    assert (valid["person"], valid["email"]) == (plant.worker.name, plant.worker.email)
    assert valid["role"] == "worker" and valid["module_label"] == "Internal auditing"
    assert valid["completed_on"] == (today() - timedelta(days=100)).isoformat()
    assert valid["expires_on"] == (today() + timedelta(days=300)).isoformat()
    assert valid["state"] == "valid" and valid["certificate_sha256"] == made["photo"]
    assert valid["recorded_by"] == plant.officer.name and valid["recorded_at"].endswith("Z")
    lapsed = by_module["risk_based_thinking"]
    assert lapsed["state"] == "expired" and lapsed["certificate_sha256"] == ""
    assert lapsed["title"] == "'" + HOSTILE  # no spreadsheet runs it
    assert by_module["root_cause_analysis"]["expires_on"] == ""


def test_competences_keep_to_the_people_of_the_sites_asked_for(person, plant):
    competences(person, plant)
    north = {**period(), "site_id": plant.north.id}
    _, rows = export(person, plant.officer, "competences", **north)
    assert {row["person"] for row in rows} == {plant.worker.name}
    _, rows = export(person, plant.south_officer, "competences")
    assert {row["person"] for row in rows} == {plant.worker.name, "Sam South"}
    # A period before any record was completed holds none.
    before = {"from": "2000-01-01", "to": "2000-12-31"}
    assert export(person, plant.officer, "competences", **before)[1] == []
    # Another organization's officer sees none of them; a worker may not export.
    assert export(person, plant.other_officer_elsewhere, "competences")[1] == []
    assert person(plant.worker).get("/api/exports/competences.csv", **period()).status_code == 403


def _drafted(desk: Desk, document: dict, data: bytes, **fields) -> dict:
    response = desk.revise(document["id"], data, **fields)
    assert response.status_code == 201, response.json
    return response.json["revisions"][0]  # newest first


def documents(client, auth, plant) -> dict:
    """An approved policy (revised once) that the worker acknowledged, a draft, and a South
    document; their ids and files. One client: signing in as another switches."""
    desk = Desk(client, auth)
    made = {name: pdf(text=name) for name in ("first", "second", "draft_file", "south_file")}
    policy = desk.as_(plant.officer).new_document(code="POL-1", title="+Safety policy")
    first = _drafted(desk, policy, made["first"])
    assert desk.as_(plant.admin).approve(policy["id"], first["id"]).status_code == 200
    newer = _drafted(desk.as_(plant.officer), policy, made["second"], summary="Second issue")
    assert desk.as_(plant.admin).approve(policy["id"], newer["id"]).status_code == 200
    draft = desk.as_(plant.officer).new_document(code="SOP-9", title="Draft procedure")
    _drafted(desk, draft, made["draft_file"])
    audience = {"site_ids": [plant.south.id]}
    south = desk.new_document(code="SOU-1", title="Yard rules", audience=audience)
    south_revision = _drafted(desk, south, made["south_file"])
    assert desk.as_(plant.admin).approve(south["id"], south_revision["id"]).status_code == 200
    assert desk.as_(plant.worker).acknowledge(policy["id"], newer["id"]).status_code == 201
    return {**made, "policy": policy, "draft": draft, "south": south, "revision": newer}


def test_the_document_register_and_its_acknowledgements(person, client, auth, plant):
    made = documents(client, auth, plant)
    header, rows = export(person, plant.officer, "documents")
    assert tuple(header) == DOCUMENT_COLUMNS
    by_code = {row["code"]: row for row in rows}
    assert list(by_code) == ["POL-1", "SOP-9", "SOU-1"]
    policy = by_code["POL-1"]
    assert policy["id"] == made["policy"]["id"] and policy["title"] == "'+Safety policy"
    assert (policy["kind"], policy["status"], policy["revision"]) == ("procedure", "approved", "2")
    assert policy["file_sha256"] == sha256(made["second"])
    assert policy["approved_by"] == plant.admin.name and policy["approved_at"].endswith("Z")
    assert policy["review_on"] and policy["review_due"] == "no"
    assert policy["acknowledgements_done"] == "1"
    assert int(policy["acknowledgements_expected"]) > 1
    draft = by_code["SOP-9"]
    assert (draft["status"], draft["revision"], draft["file_sha256"]) == ("draft", "", "")
    assert draft["acknowledgements_expected"] == "0"
    # North's register leaves out the document for South only.
    _, rows = export(person, plant.officer, "documents", **period(), site_id=plant.north.id)
    assert [row["code"] for row in rows] == ["POL-1", "SOP-9"]

    header, rows = export(person, plant.officer, "acknowledgements")
    assert tuple(header) == ACKNOWLEDGEMENT_COLUMNS
    [row] = rows
    assert (row["document_code"], row["revision"]) == ("POL-1", "2")
    assert (row["person"], row["email"]) == (plant.worker.name, plant.worker.email)
    assert row["acknowledged_at"].endswith("Z") and uuid.UUID(row["id"])
    before = {"from": "2000-01-01", "to": "2000-12-31"}
    assert export(person, plant.officer, "acknowledgements", **before)[1] == []


def test_the_bundle_holds_the_registers_and_each_documents_current_file(
    person, client, auth, plant, tmp_path
):
    made_people = competences(person, plant)
    made = documents(client, auth, plant)
    officer = person(plant.officer)
    with officer.get(f"/api/documents/{made['policy']['id']}/file") as response:
        assert response.status_code == 200
        served = response.get_data()
    bundle = officer.get("/api/exports/evidence.zip", **period())
    assert bundle.status_code == 200, bundle.json
    files = check_bundle(bundle.get_data(), tmp_path / "bundle")  # unzip, sha256sum -c

    held = {name for name in files if name.startswith("documents/")}
    policy_file = f"documents/{sha256(made['second'])}.pdf"
    south_file = f"documents/{sha256(made['south_file'])}.pdf"
    assert held == {policy_file, south_file}
    assert files[policy_file] == served == made["second"]
    assert f"documents/{sha256(made['first'])}.pdf" not in held  # obsolete
    assert f"documents/{sha256(made['draft_file'])}.pdf" not in held  # never approved
    for name in held:  # each name is its own hash
        assert sha256(files[name]) == name.split("/")[1].removesuffix(".pdf")
    assert f"photos/{made_people['photo']}.jpg" in files  # the certificate
    for table in ("competences", "documents", "acknowledgements"):
        header, rows = parse_csv(files[f"records/{table}.csv"])
        lines = [json.loads(line) for line in files[f"records/{table}.jsonl"].splitlines()]
        assert rows and len(lines) == len(rows)
        assert list(lines[0]) == header
    register = [json.loads(line) for line in files["records/documents.jsonl"].splitlines()]
    policy = next(line for line in register if line["code"] == "POL-1")
    assert policy["revision"] == 2 and policy["review_due"] is False
    assert "documents/" in files["README.txt"].decode("utf-8")
