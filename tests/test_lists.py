"""GET /api/lists: every shared list as the Python constants define it, cacheable, and public."""

import re
from pathlib import Path

import pytest

from server.audits import models as audits
from server.auth import directory
from server.auth.models import ROLE_LABELS, ROLES
from server.desk.services import ALL
from server.documents import models as documents
from server.ishikawa.cues import CATEGORIES as ISHIKAWA_CATEGORIES
from server.ishikawa.cues import CATEGORY_LABELS as ISHIKAWA_LABELS
from server.lists import shared_lists
from server.nonconformities import models as nc
from server.people import models as people
from server.reports import models as reports
from server.reviews import models as reviews
from server.risks import models as risks
from server.triage.models import DUPLICATE_STATUS_LABELS, DUPLICATE_STATUSES
from server.triage.rules import CATEGORY_LABELS, DEFAULT_SLA_HOURS, PRIORITIES, PRIORITY_LABELS
from tests.factories import make_organization, make_site, make_user

# Each served list, the constant of its values, and the labels defined beside it.
LABELLED = [
    ("roles", ROLES, ROLE_LABELS),
    ("kinds", reports.KINDS, reports.KIND_LABELS),
    ("statuses", reports.STATUSES, reports.STATUS_LABELS),
    ("risk_bands", [band for _ceiling, band in reports.RISK_BANDS], reports.RISK_BAND_LABELS),
    ("severities", [1, 2, 3, 4, 5], reports.SEVERITY_LABELS),
    ("likelihoods", [1, 2, 3, 4, 5], reports.LIKELIHOOD_LABELS),
    ("priorities", PRIORITIES, PRIORITY_LABELS),
    ("triage_categories", list(CATEGORY_LABELS), CATEGORY_LABELS),
    ("duplicate_statuses", DUPLICATE_STATUSES, DUPLICATE_STATUS_LABELS),
    ("ishikawa_categories", ISHIKAWA_CATEGORIES, ISHIKAWA_LABELS),
    ("nc_statuses", nc.NC_STATES.states, nc.STATUS_LABELS),
    ("nc_severities", nc.SEVERITIES, nc.SEVERITY_LABELS),
    ("nc_sources", nc.SOURCES, nc.SOURCE_LABELS),
    ("action_kinds", nc.ACTION_KINDS, nc.ACTION_KIND_LABELS),
    ("action_statuses", nc.ACTION_STATES.states, nc.ACTION_STATUS_LABELS),
    ("controls", nc.CONTROLS, nc.CONTROL_LABELS),
    ("audit_results", audits.RESULTS, audits.RESULT_LABELS),
    ("audit_statuses", audits.AUDIT_STATES.states, audits.STATUS_LABELS),
    ("standards", audits.STANDARDS, audits.STANDARD_LABELS),
    ("competence_modules", people.MODULES, people.MODULE_LABELS),
    ("risk_kinds", risks.KINDS, risks.KIND_LABELS),
    ("risk_statuses", risks.STATUSES, risks.STATUS_LABELS),
    ("risk_review_reasons", risks.REVIEW_REASONS, risks.REVIEW_REASON_LABELS),
    ("objective_measures", reviews.MEASURES, reviews.MEASURE_LABELS),
    ("objective_directions", reviews.DIRECTIONS, reviews.DIRECTION_LABELS),
    ("review_statuses", reviews.REVIEW_STATES.states, reviews.STATUS_LABELS),
    ("person_statuses", directory.STATUSES, directory.STATUS_LABELS),
    ("document_kinds", documents.KINDS, documents.KIND_LABELS),
    ("document_statuses", documents.REVISION_STATUSES, documents.DOCUMENT_STATUS_LABELS),
    ("revision_statuses", documents.REVISION_STATUSES, documents.REVISION_STATUS_LABELS),
]


def served(client) -> dict:
    response = client.get("/api/lists")
    assert response.status_code == 200, response.json
    return response.json


@pytest.mark.parametrize(("name", "values", "labels"), LABELLED, ids=[n for n, *_ in LABELLED])
def test_each_list_is_its_constant_with_the_labels_beside_it(client, name, values, labels):
    assert set(labels) == set(values), f"{name}: every value needs a label, and only those"
    entries = served(client)[name]
    assert [entry["value"] for entry in entries] == list(values)
    assert [entry["label"] for entry in entries] == [labels[value] for value in values]


def test_nothing_else_is_served(client):
    assert set(served(client)) == {name for name, *_ in LABELLED} | {"queue_statuses"}


def test_statuses_carry_what_the_reporter_reads(client):
    assert set(reports.STATUS_REPORTER_LABELS) == set(reports.STATUSES)
    for entry in served(client)["statuses"]:
        assert entry["reporter_label"] == reports.STATUS_REPORTER_LABELS[entry["value"]]


def test_risk_bands_span_every_score_as_the_server_bands_it(client):
    bands = served(client)["risk_bands"]
    assert bands[0]["min"] == 1 and bands[-1]["max"] == 25
    for lower, upper in zip(bands, bands[1:], strict=False):
        assert upper["min"] == lower["max"] + 1
    for score in range(1, 26):
        (band,) = [b["value"] for b in bands if b["min"] <= score <= b["max"]]
        assert band == reports.risk_band(score)


def test_measures_carry_their_unit_and_whether_figures_are_entered_by_hand(client):
    measures = {m["value"]: m for m in served(client)["objective_measures"]}
    assert {name: m["unit"] for name, m in measures.items()} == reviews.MEASURE_UNITS
    assert [name for name, m in measures.items() if m["hand_entered"]] == list(reviews.HAND_ENTERED)


def test_controls_say_which_are_weak(client):
    weak = [c["value"] for c in served(client)["controls"] if c["weak"]]
    assert weak == list(nc.WEAK_CONTROLS)


def test_priorities_carry_their_default_sla(client):
    priorities = served(client)["priorities"]
    assert {p["value"]: p["default_sla_hours"] for p in priorities} == DEFAULT_SLA_HOURS


def test_the_roles_that_open_the_desk_are_those_the_desk_lets_in(client, auth):
    organization = make_organization()
    roles = served(client)["roles"]
    for role in roles:
        auth.login(make_user(organization, role=role["value"]).email)
        expected = 200 if role["desk"] else 403
        assert client.get("/api/queue").status_code == expected, role
        auth.logout()
    assert {r["value"] for r in roles if r["own_records_only"]} == {"worker", "auditor"}


def test_every_queue_status_filter_is_one_the_queue_takes(client, auth):
    organization = make_organization()
    auth.login(make_user(organization, role="officer", sites=[make_site(organization)]).email)
    filters = served(client)["queue_statuses"]
    assert [f["value"] for f in filters] == ["", *reports.STATUSES, ALL]
    for entry in filters:
        response = client.get(
            "/api/queue", query_string={"status": entry["value"]} if entry["value"] else {}
        )
        assert response.status_code == 200, (entry, response.json)
    assert client.get("/api/queue", query_string={"status": "nonsense"}).status_code == 422


def test_an_unchanged_list_is_a_304_with_its_etag(client):
    first = client.get("/api/lists")
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "no-cache"
    again = client.get("/api/lists", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == etag
    other = client.get("/api/lists", headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200
    assert other.json == first.json


def test_a_changed_label_changes_the_etag(client, monkeypatch):
    before = client.get("/api/lists")
    monkeypatch.setitem(reports.KIND_LABELS, "hazard", "Danger spotted")
    after = client.get("/api/lists", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    assert after.headers["ETag"] != before.headers["ETag"]
    assert {"value": "hazard", "label": "Danger spotted"} in after.json["kinds"]


def test_the_lists_need_no_sign_in_and_are_the_same_for_everyone(client, auth):
    anonymous = client.get("/api/lists")
    assert anonymous.status_code == 200
    for organization in (make_organization(), make_organization()):
        auth.login(make_user(organization, role="officer").email)
        signed_in = client.get("/api/lists")
        assert signed_in.json == anonymous.json
        assert signed_in.headers["ETag"] == anonymous.headers["ETag"]
        auth.logout()


def test_the_lists_are_documented_with_their_schema(client):
    document = client.get("/api/openapi.json").json
    operation = document["paths"]["/api/lists"]["get"]
    assert operation["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ListsOut"
    }
    assert "304" in operation["responses"]
    properties = document["components"]["schemas"]["ListsOut"]["properties"]
    assert set(properties) == set(served(client))


PWA_SCRIPTS = sorted((Path(__file__).resolve().parents[1] / "pwa").rglob("*.js"))
STRING_LITERAL = re.compile(r"""'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)\"""")
STRING_ARRAY = re.compile(
    r"""\[\s*(?:(?:'[^'\n]*'|"[^"\n]*")\s*,\s*)+(?:'[^'\n]*'|"[^"\n]*")\s*,?\s*\]"""
)


def _literals(text: str) -> set[str]:
    return {single or double for single, double in STRING_LITERAL.findall(text)}


def test_the_pwa_keeps_no_copy_of_a_served_list():
    """No served label is written into the PWA's scripts, nor three values of one list."""
    lists = shared_lists()
    labels = {e["label"] for entries in lists.values() for e in entries if e["label"] != e["value"]}
    labels |= {e["reporter_label"] for e in lists["statuses"]}
    values = {name: {str(e["value"]) for e in entries} for name, entries in lists.items()}
    copies = []
    for script in (s for s in PWA_SCRIPTS if "vendor" not in s.parts):
        text = script.read_text()
        copies += [(script.name, label) for label in sorted(_literals(text) & labels)]
        for array in STRING_ARRAY.findall(text):
            for name, known in values.items():
                if len(_literals(array) & known) >= 3:
                    copies.append((script.name, name, array))
    assert PWA_SCRIPTS
    assert not copies, copies
