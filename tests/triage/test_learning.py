"""Officers teach the classifier: a corrected category is used for later reports like it."""

from sqlalchemy import select

from server.extensions import db
from server.triage.models import CategoryExample
from tests.factories import make_organization, make_site, make_user
from tests.triage.helpers import triage

FIRST = "acid smell at the battery charging bay again, eyes stinging"
LATER = "the battery charging bay smells of acid again and my eyes sting"


def _triaged(client, send, worker, site, text) -> dict:
    item = send(worker, site, description=text)
    triage(item["id"])
    return client.get(f"/api/reports/{item['id']}/triage").json


def test_an_officers_category_is_used_for_later_reports_like_it(client, auth, plant, send):
    first = send(plant["worker"], plant["north"], description=FIRST)
    triage(first["id"])
    auth.login(plant["north_officer"].email)
    response = client.patch(
        f"/api/reports/{first['id']}/triage",
        json={"category": "welfare", "reason": "Charging bay is next to the rest room"},
    )
    assert response.status_code == 200
    assert response.json["check_category"] is False
    example = db.session.scalar(select(CategoryExample))
    assert (example.category, example.text) == ("welfare", FIRST)

    later = _triaged(client, send, plant["worker"], plant["south"], LATER)
    auth.login(plant["admin"].email)
    later = client.get(f"/api/reports/{later['report_id']}/triage").json
    assert later["category"] == "welfare"
    assert any("which an officer put in this category" in r for r in later["reasons"]["category"])
    assert later["classifier_version"].startswith("en")
    assert later["language"] == "en" and later["language_label"] == "English"


def test_another_organizations_corrections_teach_nothing(client, auth, plant, send):
    first = send(plant["worker"], plant["north"], description=FIRST)
    triage(first["id"])
    auth.login(plant["north_officer"].email)
    client.patch(
        f"/api/reports/{first['id']}/triage",
        json={"category": "welfare", "reason": "Charging bay is next to the rest room"},
    )
    other = make_organization()
    site = make_site(other)
    officer = make_user(other, role="officer")
    item = send(make_user(other), site, description=LATER)
    triage(item["id"])
    auth.login(officer.email)
    seen = client.get(f"/api/reports/{item['id']}/triage").json
    assert seen["category"] != "welfare"
    assert not any("officer put" in r for r in seen["reasons"]["category"])


def test_a_second_correction_of_a_report_replaces_its_example(client, auth, plant, send):
    first = send(plant["worker"], plant["north"], description=FIRST)
    triage(first["id"])
    auth.login(plant["north_officer"].email)
    for category in ("welfare", "hazardous_substances"):
        client.patch(
            f"/api/reports/{first['id']}/triage",
            json={"category": category, "reason": "Looked again"},
        )
    assert [e.category for e in db.session.scalars(select(CategoryExample))] == [
        "hazardous_substances"
    ]
