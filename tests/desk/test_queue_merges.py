"""The queue merges confirmed duplicates into the earlier report, and flags categories to check."""

from sqlalchemy import update

from server.extensions import db
from server.triage.models import Triage
from tests.desk.conftest import make_report, triaged

LEAK = "Oil leak under press 4, floor slippery"
RETOLD = "press 4 leaking oil again, slippy floor"


def queue(signed_in, user, **params) -> dict[str, dict]:
    """The queue's items by report id."""
    response = signed_in(user, "/api/queue", **params)
    assert response.status_code == 200, response.json
    return {item["id"]: item for item in response.json["items"]}


def decide(client, report, other, status: str):
    """An officer's decision on a pair, from report's page (signed in already)."""
    url = f"/api/reports/{report.id}/duplicates/{other.id}"
    response = client.post(url, json={"status": status})
    assert response.status_code == 200, response.json
    return response.json


def test_a_confirmed_pair_is_one_item_and_a_dismissed_pair_two(client, signed_in, plant):
    earlier = triaged(make_report(plant["north"], description=LEAK))
    later = triaged(make_report(plant["north"], description=RETOLD))
    officer = plant["officer"]
    items = queue(signed_in, officer)
    assert set(items) == {str(earlier.id), str(later.id)}
    assert {item["merged_reports"] for item in items.values()} == {1}

    # Confirmed from the later report's page: the earlier one stands for both.
    decide(client, later, earlier, "confirmed")
    items = queue(signed_in, officer)
    assert list(items) == [str(earlier.id)]
    assert items[str(earlier.id)]["merged_reports"] == 2
    triaged(later)
    triaged(earlier)
    assert list(queue(signed_in, officer)) == [str(earlier.id)]

    # Dismissed after all: apart again, and the job running again keeps them apart.
    decide(client, earlier, later, "dismissed")
    triaged(later)
    triaged(earlier)
    items = queue(signed_in, officer)
    assert set(items) == {str(earlier.id), str(later.id)}
    assert {item["merged_reports"] for item in items.values()} == {1}
    duplicates = signed_in(officer, f"/api/reports/{later.id}/triage").json["duplicates"]
    assert [d["status"] for d in duplicates] == ["dismissed"]


def test_merges_follow_chains_and_every_filter(client, auth, signed_in, plant):
    first, second, third = (
        triaged(make_report(plant["north"], description=text))
        for text in (LEAK, RETOLD, "oil leaking from press 4 again, floor slippy")
    )
    officer = plant["officer"]
    auth.login(officer.email)
    decide(client, first, second, "confirmed")
    decide(client, second, third, "confirmed")
    for params in ({}, {"q": "press"}, {"status": "all"}, {"site_id": plant["north"].id}):
        items = queue(signed_in, officer, **params)
        assert list(items) == [str(first.id)], params
        assert items[str(first.id)]["merged_reports"] == 3


def test_the_queue_flags_and_filters_categories_to_check(signed_in, plant):
    unsure = triaged(make_report(plant["north"], description="Visitor badge printer jammed"))
    sure = triaged(make_report(plant["north"], description="Wasps nest above the canteen door"))
    waiting = make_report(plant["north"], description="Forklift speeding in warehouse B")
    db.session.execute(
        update(Triage).where(Triage.report_pk == sure.pk).values(check_category=False)
    )
    db.session.execute(
        update(Triage).where(Triage.report_pk == unsure.pk).values(check_category=True)
    )
    db.session.commit()
    officer = plant["officer"]
    items = queue(signed_in, officer)
    assert {id: item["check_category"] for id, item in items.items()} == {
        str(unsure.id): True,
        str(sure.id): False,
        str(waiting.id): False,
    }
    assert list(queue(signed_in, officer, check_category="true")) == [str(unsure.id)]
    assert set(queue(signed_in, officer, check_category="false")) == {
        str(sure.id),
        str(waiting.id),
    }
    response = signed_in(officer, "/api/queue", check_category="perhaps")
    assert response.status_code == 422
    assert "check_category" in response.json["errors"]
