"""What triage tells each reader: duplicates, their count and reasons, over what they may open."""

import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from server.extensions import db
from server.reports.models import Report
from server.triage.jobs import triage_report
from tests.factories import make_organization, make_site, make_user

OBSERVED = datetime.now(UTC) - timedelta(days=2)
WORDS = "Oil leak under press 4, floor slippery"
# Any number in a reason, but for the site code and the press number of WORDS.
COUNT = re.compile(r"\(\d+\)|\b\d+ (?:possible|open|report)")


@pytest.fixture
def people(plant):
    """A second worker and an officer who covers every site, beside the plant's people."""
    return {
        **plant,
        "other_worker": make_user(plant["organization"]),
        "roaming_officer": make_user(plant["organization"], role="officer"),
    }


def report(site, reporter, words: str = WORDS, hours: float = 0) -> Report:
    """A received report, observed hours after OBSERVED at the same spot."""
    found = Report(
        id=uuid.uuid4(),
        organization_id=site.organization_id,
        site_id=site.id,
        reporter_id=reporter.id if reporter else None,
        kind="hazard",
        description=words,
        observed_at=OBSERVED + timedelta(hours=hours),
        received_at=OBSERVED + timedelta(hours=hours),
        changed_at=OBSERVED,
        latitude=53.48,
        longitude=-2.24,
        accuracy_m=8,
        status="received",
        content_hash=uuid.uuid4().hex * 2,
    )
    db.session.add(found)
    db.session.commit()
    return found


def triaged(*reports: Report) -> None:
    for one in reports:
        triage_report(one.pk)
    db.session.expire_all()


def read_triage(client, auth, user, one: Report) -> dict:
    auth.login(user.email)
    response = client.get(f"/api/reports/{one.id}/triage")
    assert response.status_code == 200
    return response.json


def told_count(body: dict) -> int:
    """How many possible duplicates the reasons speak of (0 when they say none)."""
    (reason,) = body["reasons"]["duplicates"]
    found = re.match(r"(\d+) possible duplicate", reason)
    return int(found.group(1)) if found else 0


def test_a_worker_is_told_of_no_duplicate_they_cannot_open(client, auth, people):
    mine = report(people["north"], people["worker"])
    others = [report(people["north"], people["other_worker"], hours=n) for n in (1, 2)]
    triaged(mine, *others)

    body = read_triage(client, auth, people["worker"], mine)
    assert body["duplicates"] == []
    assert told_count(body) == 0
    assert "possible duplicate" not in " ".join(body["reasons"]["duplicates"])

    officer = read_triage(client, auth, people["north_officer"], mine)
    assert {d["report_id"] for d in officer["duplicates"]} == {str(o.id) for o in others}
    assert told_count(officer) == 2
    assert officer["reasons"]["duplicates"][0].endswith(f"{officer['duplicates'][0]['score']:.2f}")


def test_a_worker_is_told_of_the_duplicates_they_filed_themselves(client, auth, people):
    mine = report(people["north"], people["worker"])
    also_mine = report(people["north"], people["worker"], hours=1)
    theirs = report(people["north"], people["other_worker"], hours=2)
    triaged(mine, also_mine, theirs)
    body = read_triage(client, auth, people["worker"], mine)
    assert [d["report_id"] for d in body["duplicates"]] == [str(also_mine.id)]
    assert told_count(body) == len(body["duplicates"]) == 1


def test_report_views_carry_no_duplicate_reason_for_anyone(client, auth, people):
    mine = report(people["north"], people["worker"])
    theirs = report(people["north"], people["other_worker"], hours=1)
    triaged(mine, theirs)
    for user in (people["worker"], people["north_officer"], people["admin"]):
        auth.login(user.email)
        one = client.get(f"/api/reports/{mine.id}").json
        assert "duplicates" not in one["triage"]["reasons"], user.email
        listed = client.get("/api/reports").json["items"]
        assert all("duplicates" not in item["triage"]["reasons"] for item in listed)
    auth.login(people["north_officer"].email)
    queued = client.get("/api/queue").json["items"]
    assert {item["id"] for item in queued} == {str(mine.id), str(theirs.id)}
    assert all("duplicates" not in item["triage"]["reasons"] for item in queued)


def test_the_event_log_keeps_no_count_of_duplicates(client, auth, people):
    mine = report(people["north"], people["worker"])
    theirs = report(people["north"], people["other_worker"], hours=1)
    triaged(theirs, mine)
    auth.login(people["worker"].email)
    events = client.get(f"/api/reports/{mine.id}/events").json
    (done,) = [e for e in events if e["action"] == "triaged"]
    assert "duplicates" not in done["data"]
    assert not {str(theirs.id)} & {str(v) for e in events for v in e["data"].values()}


def test_a_confirmed_duplicate_is_not_named_to_who_cannot_open_it(client, auth, people):
    mine = report(people["north"], people["worker"])
    theirs = report(people["north"], people["other_worker"], hours=1)
    triaged(mine, theirs)
    auth.login(people["north_officer"].email)
    url = f"/api/reports/{mine.id}/duplicates/{theirs.id}"
    assert client.post(url, json={"status": "confirmed", "reason": "Same leak"}).status_code == 200

    logged = client.get(f"/api/reports/{mine.id}/events").json
    (confirmed,) = [e for e in logged if e["action"] == "duplicate_confirmed"]
    assert confirmed["data"]["other_report_id"] == str(theirs.id)
    auth.login(people["worker"].email)
    logged = client.get(f"/api/reports/{mine.id}/events").json
    (confirmed,) = [e for e in logged if e["action"] == "duplicate_confirmed"]
    assert "other_report_id" not in confirmed["data"]
    assert confirmed["data"]["reason"] == "Same leak"
    assert str(theirs.id) not in str(logged)
    body = read_triage(client, auth, people["worker"], mine)
    assert body["duplicates"] == [] and told_count(body) == 0


def test_no_reason_counts_reports_at_sites_the_reader_does_not_cover(client, auth, people):
    # The roaming officer already has work at the south site; north's officer has none.
    for n in range(3):
        triaged(report(people["south"], people["worker"], f"Broken pallet {n}", hours=n))
    mine = report(people["north"], people["worker"], "Forklift speeding by the gatehouse")
    people["north_officer"].active = False
    db.session.commit()
    triaged(mine)
    body = read_triage(client, auth, people["worker"], mine)
    assert body["assignee"]["id"] == people["roaming_officer"].id
    for name, reasons in body["reasons"].items():
        for reason in reasons:
            assert not COUNT.search(reason.replace("press 4", "")), (name, reason)


def test_another_organizations_twin_report_is_never_a_duplicate(client, auth, people):
    mine = report(people["north"], people["worker"])
    elsewhere = make_organization()
    their_site = make_site(elsewhere, "NORTH")
    twin = report(their_site, make_user(elsewhere), hours=1)
    triaged(mine, twin)
    for user in (people["north_officer"], people["admin"]):
        body = read_triage(client, auth, user, mine)
        assert body["duplicates"] == [] and told_count(body) == 0
    outsider = make_user(elsewhere, role="admin")
    auth.login(outsider.email)
    assert client.get(f"/api/reports/{mine.id}/triage").status_code == 404
    body = read_triage(client, auth, outsider, twin)
    assert body["duplicates"] == [] and told_count(body) == 0
