"""How far the log is verified, for the desk: kept per organization by the worker's hourly sweep,
by `flask events verify` and by a check on demand; read by officers and admins of that
organization only."""

from datetime import timedelta

import pytest

from server.dbtypes import utcnow
from server.events.verify import verify_due_chains
from server.extensions import db
from server.orgs.models import Organization
from tests.events.helpers import events_of, make_plant, raw, use_the_app, verify_in_process
from tests.factories import make_user

URL = "/api/events/verification"


@pytest.fixture
def plants(app, client, auth):
    """Two organizations, each with a used log."""
    north, south = make_plant(), make_plant()
    use_the_app(client, auth, north)
    use_the_app(client, auth, south, reports=1)
    return north, south


def status(client, auth, email: str) -> dict:
    auth.login(email)
    answer = client.get(URL)
    assert answer.status_code == 200, answer.json
    return answer.json


def test_before_any_check_nothing_is_claimed(client, auth, plants):
    north, _ = plants
    answer = status(client, auth, north.officer)
    assert answer == {
        "verified_up_to": None,
        "events": 0,
        "checked_at": None,
        "broken": None,
        "logged": 7,
    }


def test_a_check_on_demand_says_how_far_the_log_holds_and_is_not_repeated_at_once(
    client, auth, plants
):
    north, _ = plants
    newest = events_of(north.organization_id)[-1]
    auth.login(north.officer)
    before = utcnow()
    answer = client.post(URL)
    assert answer.status_code == 200, answer.json
    assert answer.json["events"] == 7 and answer.json["broken"] is None
    assert answer.json["verified_up_to"] == newest.created_at.isoformat()
    assert answer.json["checked_at"] >= before.isoformat()
    again = client.post(URL)
    assert again.status_code == 429
    assert 1 <= int(again.headers["Retry-After"]) <= 60
    assert client.get(URL).json == answer.json


def test_a_break_in_one_organization_leaves_the_others_result_alone(app, client, auth, plants):
    north, south = plants
    target = events_of(north.organization_id)[4]
    raw("UPDATE event SET entity_id = 'x' WHERE id = :id", id=target.id)
    result = verify_in_process(app)
    assert result.exit_code == 1
    assert f"Organization {south.organization_id}: 5 event(s) verified" in result.output
    broken = status(client, auth, north.officer)
    assert broken["broken"] == {
        "seq": 5,
        "event_id": target.id,
        "problem": "hash does not match its content",
    }
    assert broken["events"] == 4
    intact = status(client, auth, south.officer)
    assert intact["broken"] is None and intact["events"] == intact["logged"] == 5


def test_the_sweep_checks_each_chain_at_most_once_an_hour(app, client, auth, plants):
    north, south = plants
    assert verify_due_chains() == 2
    assert verify_due_chains() == 0
    checked = status(client, auth, north.officer)["checked_at"]
    assert checked is not None
    raw("DELETE FROM event WHERE id = :id", id=events_of(north.organization_id)[-1].id)
    earlier = utcnow() - timedelta(minutes=61)
    raw(
        "UPDATE event_chain SET check_started_at = :at WHERE organization_id = :org",
        at=earlier,
        org=north.organization_id,
    )
    assert verify_due_chains() == 1
    north_now = status(client, auth, north.officer)
    assert north_now["broken"]["problem"] == "newest events missing after seq 6"
    assert north_now["checked_at"] > checked
    assert status(client, auth, south.officer)["broken"] is None


def test_only_officers_and_admins_of_the_organization_see_it(client, auth, plants):
    north, south = plants
    assert client.get(URL).status_code == 401
    assert client.post(URL).status_code == 401
    auth.login(north.worker)
    assert client.get(URL).status_code == 403
    assert client.post(URL).status_code == 403
    auth.login(north.officer)
    assert client.post(URL).status_code == 200
    # The other organization's admin sees their own log, never this one's.
    organization = db.session.get(Organization, south.organization_id)
    admin = make_user(organization, role="admin")
    answer = status(client, auth, admin.email)
    assert answer["checked_at"] is None and answer["logged"] == 5
