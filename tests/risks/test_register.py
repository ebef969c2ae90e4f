"""The register through its API: entering risks and opportunities, their ratings, bands and
controls, numbering, idempotency, bad input, the filters and pages, the controls a site's
workers read, and who may do what."""

import threading
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from server.auth.access import actor_for
from server.auth.models import Membership
from server.events.services import events_of
from server.extensions import db
from server.orgs.zones import local_day
from server.risks import services
from server.risks.models import Risk, RiskReview
from server.risks.schemas import RiskIn
from tests.risks.conftest import make_risk, risk_body


def test_an_officer_enters_a_risk_and_reads_it_back(register, plant):
    entry = register.as_(plant.officer).new_risk(
        plant.north, plant.north_officer, category="vehicles"
    )
    assert entry["ref"] == "R-1" and entry["number"] == 1
    assert (entry["site_id"], entry["site_name"]) == (plant.north.id, "North Plant")
    assert entry["inherent"] == {"severity": 4, "likelihood": 3, "score": 12, "band": "high"}
    assert entry["residual"] == {"severity": 4, "likelihood": 1, "score": 4, "band": "low"}
    assert entry["owner"] == {"id": plant.north_officer.id, "name": plant.north_officer.name}
    assert entry["category"] == "vehicles" and entry["status"] == "active"
    assert entry["review_due"] is False and entry["review_overdue"] is False
    assert entry["review_reason"] is None and entry["links_count"] == 0
    assert entry["warnings"] == [] and entry["links"] == []
    assert len(entry["history"]) == 1
    first = entry["history"][0]
    assert first["reason"] is None and first["reviewed_by"]["id"] == plant.officer.id
    assert first["inherent"] == entry["inherent"] and first["residual"] == entry["residual"]
    assert register.risk(entry["id"]) == entry
    [created] = events_of(plant.organization.id, "risk", entry["id"])
    assert created.action == "created" and created.actor_id == plant.officer.id
    assert created.data["ref"] == "R-1" and created.data["residual"] == [4, 1]
    assert entry["change_id"] == created.id


@pytest.mark.parametrize(
    ("severity", "likelihood", "score", "band"),
    [
        (1, 1, 1, "low"),
        (2, 2, 4, "low"),
        (1, 5, 5, "medium"),
        (3, 3, 9, "medium"),
        (5, 2, 10, "high"),
        (4, 4, 16, "high"),
        (1, 4, 4, "low"),
        (5, 4, 20, "critical"),
        (5, 5, 25, "critical"),
    ],
)
def test_ratings_and_bands_at_each_edge(register, plant, severity, likelihood, score, band):
    entry = register.as_(plant.officer).new_risk(
        plant.north,
        plant.officer,
        severity=severity,
        likelihood=likelihood,
        residual_severity=severity,
        residual_likelihood=likelihood,
        controls=[{"text": "Isolation before entry", "control": "elimination"}],
    )
    expected = {"severity": severity, "likelihood": likelihood, "score": score, "band": band}
    assert entry["inherent"] == entry["residual"] == expected
    # The band filter puts it, and only it, in its band (17 has no cell: 4 x 4 + 1 is prime).
    assert [item["id"] for item in register.items(band=band)] == [entry["id"]]


def test_band_filters_split_the_edges(register, plant):
    """Scores 4|5, 9|10, 16|17(20) each land in their band, by the residual rating."""
    register.as_(plant.officer)
    made = {}
    for residual in ((2, 2), (1, 5), (3, 3), (2, 5), (4, 4), (5, 4)):
        entry = register.new_risk(
            plant.north,
            plant.officer,
            severity=5,
            likelihood=5,
            residual_severity=residual[0],
            residual_likelihood=residual[1],
            controls=[{"text": "Enclosure", "control": "engineering"}],
        )
        made[entry["id"]] = entry["residual"]["score"]
    scores = {
        band: sorted(made[item["id"]] for item in register.items(band=band))
        for band in ("low", "medium", "high", "critical")
    }
    assert scores == {"low": [4], "medium": [5, 9], "high": [10, 16], "critical": [20]}


def test_controls_keep_their_level_and_order(register, plant):
    controls = [
        {"text": "Remove the step from the route", "control": "elimination"},
        {"text": "Lighter boxes", "control": "substitution"},
        {"text": "  Guard   rail ", "control": "engineering"},
        {"text": "Permit to work", "control": "administrative"},
        {"text": "Harness", "control": "ppe"},
    ]
    entry = register.as_(plant.officer).new_risk(plant.north, plant.officer, controls=controls)
    assert [c["control"] for c in entry["controls"]] == [c["control"] for c in controls]
    assert entry["controls"][2]["text"] == "Guard rail"
    stored = db.session.scalar(select(Risk).where(Risk.id == uuid.UUID(entry["id"])))
    assert stored.controls[4] == {"text": "Harness", "control": "ppe"}


def test_a_residual_rating_above_the_inherent_is_kept_with_a_warning(register, plant):
    entry = register.as_(plant.officer).new_risk(
        plant.north, plant.officer, severity=2, likelihood=2, residual_likelihood=3
    )
    assert entry["residual"]["score"] == 12 > entry["inherent"]["score"] == 4
    assert {
        "code": "residual_above_inherent",
        "message": "Residual risk is higher than inherent",
    } in (entry["warnings"])


@pytest.mark.parametrize(
    ("levels", "residual", "warned"),
    [
        (["administrative", "ppe"], (4, 3), True),
        (["ppe"], (5, 4), True),
        ([], (4, 3), True),
        (["administrative", "engineering"], (4, 3), False),
        (["administrative", "ppe"], (3, 3), False),
    ],
)
def test_a_serious_residual_risk_on_weak_controls_names_the_hierarchy(
    register, plant, levels, residual, warned
):
    controls = [{"text": f"Control {n}", "control": level} for n, level in enumerate(levels)]
    entry = register.as_(plant.officer).new_risk(
        plant.north,
        plant.officer,
        severity=5,
        likelihood=5,
        controls=controls,
        residual_severity=residual[0],
        residual_likelihood=residual[1],
    )
    found = [w for w in entry["warnings"] if w["code"] == "weak_controls"]
    assert bool(found) is warned
    if warned:
        assert "hierarchy of controls" in found[0]["message"]
        assert entry["residual"]["band"] in found[0]["message"]


def test_an_opportunity_is_numbered_in_the_same_register_without_warnings(register, plant):
    register.as_(plant.officer)
    risk = register.new_risk(plant.north, plant.officer)
    opportunity = register.new_risk(
        plant.south,
        plant.officer,
        kind="opportunity",
        hazard="Solar panels on the warehouse roof cut energy use",
        controls=[],
        severity=2,
        likelihood=2,
        residual_severity=4,
        residual_likelihood=4,
    )
    assert (risk["ref"], opportunity["ref"]) == ("R-1", "O-2")
    assert opportunity["warnings"] == []
    assert [item["ref"] for item in register.items(kind="opportunity")] == ["O-2"]


def test_numbers_are_per_organization(register, plant):
    make_risk(plant.other_site, plant.other_officer)
    make_risk(plant.other_site, plant.other_officer)
    assert register.as_(plant.officer).new_risk(plant.north, plant.officer)["ref"] == "R-1"
    assert register.new_risk(plant.north, plant.officer)["ref"] == "R-2"


def test_numbers_taken_at_once_from_many_sessions_are_all_different(app, plant):
    """Eight entries made at the same moment, each in its own session: eight numbers."""
    membership = db.session.scalar(select(Membership).where(Membership.user_id == plant.officer.id))
    actor = actor_for(membership)
    start = threading.Barrier(8)
    failures = []

    def enter():
        try:
            with app.app_context():
                data = RiskIn().load(risk_body(plant.north, plant.officer))
                start.wait()
                services.create_risk(actor, data)
                db.session.remove()
        except Exception as error:  # noqa: BLE001  (shown by the assertion below)
            failures.append(error)

    threads = [threading.Thread(target=enter) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    numbers = db.session.scalars(
        select(Risk.number).where(Risk.organization_id == plant.organization.id)
    ).all()
    assert sorted(numbers) == list(range(1, 9))


def test_the_same_entry_sent_again_is_the_same_and_other_content_is_409(register, plant):
    body = risk_body(plant.north, plant.officer)
    register.as_(plant.officer)
    first = register.post("/api/risks", body)
    again = register.post("/api/risks", body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json == first.json
    clash = register.post("/api/risks", {**body, "hazard": "Something else entirely"})
    assert clash.status_code == 409 and "id" in clash.json["errors"]
    assert db.session.scalar(select(Risk.number).where(Risk.id == uuid.UUID(body["id"]))) == 1
    assert len(db.session.scalars(select(RiskReview)).all()) == 1
    assert len(events_of(plant.organization.id, "risk", body["id"])) == 1


def test_an_id_another_organization_used_is_a_new_entry_here(register, plant):
    elsewhere = make_risk(plant.other_site, plant.other_officer)
    body = risk_body(plant.north, plant.officer, id=str(elsewhere.id))
    response = register.as_(plant.officer).post("/api/risks", body)
    assert response.status_code == 201 and response.json["ref"] == "R-1"


def test_an_entry_resent_by_someone_who_cannot_see_it_is_a_conflict(register, plant):
    body = risk_body(plant.south, plant.officer)
    assert register.as_(plant.officer).post("/api/risks", body).status_code == 201
    register.as_(plant.north_officer)
    assert register.post("/api/risks", {**body, "site_id": plant.north.id}).status_code == 409


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("activity", "Loading\x00lorries"),
        ("hazard", "Half an emoji \ud83d"),
        ("who", "\ud800"),
        ("severity", 0),
        ("severity", 6),
        ("severity", 2**63),
        ("likelihood", 3.5),
        ("likelihood", "3"),
        ("residual_severity", None),
        ("residual_likelihood", -1),
        ("review_on", "0001-01-01"),
        ("review_on", "2026-02-30"),
        ("review_on", "10000-01-01"),
        ("kind", "threat"),
        ("activity", "   "),
        ("activity", "x" * 201),
        ("who", ""),
        ("id", "not-a-uuid"),
        ("site_id", 2**40),
        ("owner_id", 2**63),
        ("category", "x" * 65),
        ("controls", [{"text": "Signs on the door", "control": "signage"}]),
        ("controls", [{"text": "", "control": "ppe"}]),
        ("controls", [{"control": "ppe"}]),
        ("controls", "guard rail"),
        ("controls", [{"text": "Gloves", "control": "ppe"}] * 31),
    ],
)
def test_bad_fields_are_field_errors(register, plant, field, value):
    response = register.as_(plant.officer).post(
        "/api/risks", {**risk_body(plant.north, plant.officer), field: value}
    )
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert field in response.json["errors"], response.json
    assert db.session.scalars(select(Risk)).all() == []


def test_a_control_level_outside_the_hierarchy_names_the_control(register, plant):
    controls = [
        {"text": "Guard rail", "control": "engineering"},
        {"text": "Signs", "control": "signage"},
    ]
    response = register.as_(plant.officer).post(
        "/api/risks", risk_body(plant.north, plant.officer, controls=controls)
    )
    assert response.status_code == 422
    assert list(response.json["errors"]["controls"]) == ["1"]
    assert "control" in response.json["errors"]["controls"]["1"]


def test_required_fields_are_named(register, plant):
    response = register.as_(plant.officer).post("/api/risks", {})
    assert response.status_code == 422
    assert set(response.json["errors"]) >= {
        "id",
        "site_id",
        "activity",
        "hazard",
        "who",
        "severity",
        "likelihood",
        "residual_severity",
        "residual_likelihood",
        "owner_id",
        "review_on",
    }


def test_the_site_must_be_one_i_see(register, plant):
    register.as_(plant.north_officer)
    for site_id in (plant.south.id, plant.other_site.id, 999_999):
        response = register.post(
            "/api/risks", risk_body(plant.north, plant.officer, site_id=site_id)
        )
        assert response.status_code == 422 and "site_id" in response.json["errors"]
    assert db.session.scalars(select(Risk)).all() == []


def test_the_owner_must_be_an_active_member_allowed_at_the_site(register, plant):
    register.as_(plant.officer)
    for owner in (plant.south_worker, plant.other_officer):
        response = register.post("/api/risks", risk_body(plant.north, owner))
        assert response.status_code == 422 and "owner_id" in response.json["errors"]
    plant.worker.active = False
    db.session.commit()
    response = register.post("/api/risks", risk_body(plant.north, plant.worker))
    assert response.status_code == 422 and "owner_id" in response.json["errors"]
    # A worker limited to North may own a North risk; anyone unlimited may too.
    register.new_risk(plant.north, plant.north_worker)
    register.new_risk(plant.south, plant.auditor)


# Who may do what


@pytest.mark.parametrize("role", ["worker", "auditor"])
def test_workers_and_auditors_may_not_keep_the_register(register, plant, role):
    entry = make_risk(plant.north, plant.officer)
    person = plant.worker if role == "worker" else plant.auditor
    register.as_(person)
    calls = [
        register.get("/api/risks"),
        register.get(f"/api/risks/{entry.id}"),
        register.get("/api/risks/heatmap"),
        register.post("/api/risks", risk_body(plant.north, plant.officer)),
        register.patch(f"/api/risks/{entry.id}", {"severity": 1}),
    ]
    assert [call.status_code for call in calls] == [403] * 5
    assert db.session.scalar(select(Risk.number).where(Risk.number > 1)) is None


def test_nobody_signed_in_gets_401(client, plant):
    assert client.get("/api/risks").status_code == 401
    assert client.get("/api/risks/controls").status_code == 401


def test_an_admin_keeps_the_register_too(register, plant):
    entry = register.as_(plant.admin).new_risk(plant.south, plant.officer)
    assert register.risk(entry["id"])["ref"] == "R-1"


def test_another_organizations_entries_are_404_and_never_listed(register, plant):
    theirs = make_risk(plant.other_site, plant.other_officer)
    register.as_(plant.officer)
    assert register.get(f"/api/risks/{theirs.id}").status_code == 404
    response = register.patch(f"/api/risks/{theirs.id}", {"severity": 1})
    assert response.status_code in (404, 422)
    assert register.items() == []
    assert register.get("/api/risks/controls").json == []


def test_a_site_officer_sees_only_their_sites_entries(register, plant):
    north = make_risk(plant.north, plant.officer)
    south = make_risk(plant.south, plant.officer)
    register.as_(plant.north_officer)
    assert [item["id"] for item in register.items()] == [str(north.id)]
    assert register.get(f"/api/risks/{south.id}").status_code == 404
    assert register.items(site_id=plant.south.id) == []
    register.as_(plant.officer)
    assert [item["id"] for item in register.items()] == [str(north.id), str(south.id)]


# The controls a site's workers read


def test_workers_read_the_controls_of_their_sites_only(register, plant):
    north = make_risk(plant.north, plant.officer, residual_severity=3, residual_likelihood=3)
    south = make_risk(plant.south, plant.officer)
    make_risk(plant.north, plant.officer, status="archived")
    make_risk(plant.other_site, plant.other_officer)
    register.as_(plant.north_worker)
    response = register.get("/api/risks/controls")
    assert response.status_code == 200
    assert response.json == [
        {
            "id": str(north.id),
            "ref": f"R-{north.number}",
            "site_id": plant.north.id,
            "kind": "risk",
            "activity": north.activity,
            "hazard": north.hazard,
            "who": north.who,
            "residual": {"severity": 3, "likelihood": 3, "score": 9, "band": "medium"},
            "controls": north.controls,
        }
    ]
    assert register.get("/api/risks/controls", site_id=plant.south.id).json == []
    register.as_(plant.worker)
    assert [e["id"] for e in register.get("/api/risks/controls").json] == [
        str(north.id),
        str(south.id),
    ]
    assert [e["id"] for e in register.get("/api/risks/controls", site_id=plant.south.id).json] == [
        str(south.id)
    ]


def test_auditors_and_officers_read_controls_too(register, plant):
    make_risk(plant.south, plant.officer)
    for person in (plant.auditor, plant.south_officer, plant.admin):
        assert len(register.as_(person).get("/api/risks/controls").json) == 1
    assert register.as_(plant.north_officer).get("/api/risks/controls").json == []


def test_the_controls_query_string_is_checked(register, plant):
    register.as_(plant.worker)
    assert register.get("/api/risks/controls", site_id="north").status_code == 422
    assert register.get("/api/risks/controls", site_id=2**40).status_code == 422


# Filters and pages


def test_the_list_filters_by_site_kind_status_and_words(register, plant):
    pallets = make_risk(
        plant.north, plant.officer, activity="Stacking PALLETS", who="Warehouse staff"
    )
    forklift = make_risk(plant.south, plant.officer, hazard="Forklift hits a pedestrian")
    old = make_risk(plant.north, plant.officer, status="archived", hazard="Forklift tipping")
    idea = make_risk(plant.north, plant.officer, kind="opportunity", who="Visitors")
    register.as_(plant.officer)

    def ids(**params):
        return [item["id"] for item in register.items(**params)]

    assert ids() == [str(pallets.id), str(forklift.id), str(idea.id)]
    assert ids(site_id=plant.south.id) == [str(forklift.id)]
    assert ids(kind="opportunity") == [str(idea.id)]
    assert ids(status="archived") == [str(old.id)]
    assert ids(q="pallets") == [str(pallets.id)]
    assert ids(q="forklift PEDESTRIAN") == [str(forklift.id)]
    assert ids(q="warehouse stacking") == [str(pallets.id)]
    assert ids(q="visitors") == [str(idea.id)]
    assert ids(q="forklift", status="archived") == [str(old.id)]
    assert ids(q="100%") == [] and ids(q="_") == []
    for bad in ({"band": "severe"}, {"kind": "x"}, {"status": "gone"}, {"cursor": "-1"}):
        assert register.get("/api/risks", **bad).status_code == 422


def test_review_due_counts_each_sites_own_day(register, plant):
    """North is at UTC-11 and South at UTC+14: South's day is always one or two ahead."""
    plant.north.time_zone, plant.south.time_zone = "Pacific/Pago_Pago", "Pacific/Kiritimati"
    db.session.commit()
    now = datetime.now(UTC)
    north_today = local_day(now, "Pacific/Pago_Pago")
    south_today = local_day(now, "Pacific/Kiritimati")
    day = timedelta(days=1)
    south_yesterday = make_risk(plant.south, plant.officer, review_on=south_today - day)
    south_now = make_risk(plant.south, plant.officer, review_on=south_today)
    north_yesterday = make_risk(plant.north, plant.officer, review_on=north_today - day)
    # South's today is still to come at North.
    north_ahead = make_risk(plant.north, plant.officer, review_on=south_today)
    asked = make_risk(
        plant.north, plant.officer, review_on=north_today + 30 * day, review_reason="incident"
    )
    archived = make_risk(plant.north, plant.officer, review_on=north_today - day, status="archived")
    register.as_(plant.officer)
    due = {item["id"] for item in register.items(review_due="true")}
    assert due == {str(r.id) for r in (south_yesterday, south_now, north_yesterday, asked)}
    not_due = {item["id"] for item in register.items(review_due="false")}
    assert not_due == {str(north_ahead.id)}
    assert [i["id"] for i in register.items(review_due="true", site_id=plant.south.id)] == [
        str(south_yesterday.id),
        str(south_now.id),
    ]
    views = {item["id"]: item for item in register.items()}
    assert views[str(south_yesterday.id)]["review_overdue"] is True
    assert views[str(south_now.id)]["review_overdue"] is False
    assert views[str(south_now.id)]["review_due"] is True
    assert views[str(north_ahead.id)]["review_due"] is False
    assert views[str(asked.id)]["review_due"] is True
    assert views[str(asked.id)]["review_overdue"] is False
    assert views[str(asked.id)]["review_reason"] == "incident"
    shown = register.items(status="archived")[0]
    assert shown["id"] == str(archived.id) and shown["review_due"] is False


def test_pages_follow_the_numbers(register, plant):
    made = [make_risk(plant.north if n % 2 else plant.south, plant.officer) for n in range(7)]
    make_risk(plant.north, plant.officer, status="archived")
    register.as_(plant.officer)
    seen, cursor, pages = [], None, 0
    while True:
        params = {"limit": 3} | ({"cursor": cursor} if cursor else {})
        response = register.get("/api/risks", **params)
        assert response.status_code == 200
        seen += [item["ref"] for item in response.json["items"]]
        pages += 1
        cursor = response.json["next_cursor"]
        if cursor is None:
            break
    assert seen == [f"R-{risk.number}" for risk in made] and pages == 3
    assert register.get("/api/risks", limit=0).status_code == 422
    assert register.get("/api/risks", limit=501).status_code == 422


def test_a_filtered_page_is_whole(register, plant):
    """The band filter is in the query: a page of high entries has limit of them."""
    for n in range(6):
        make_risk(
            plant.north,
            plant.officer,
            residual_severity=4,
            residual_likelihood=4 if n % 2 else 1,
        )
    register.as_(plant.officer)
    first = register.get("/api/risks", band="high", limit=2).json
    assert len(first["items"]) == 2 and first["next_cursor"] is not None
    rest = register.get("/api/risks", band="high", limit=2, cursor=first["next_cursor"]).json
    assert [i["number"] for i in first["items"] + rest["items"]] == [2, 4, 6]
    assert rest["next_cursor"] is None


def test_the_list_counts_links_and_shows_no_history(register, plant):
    entry = make_risk(plant.north, plant.officer)
    item = register.as_(plant.officer).items()[0]
    assert item["id"] == str(entry.id) and item["links_count"] == 0
    assert "history" not in item and "links" not in item


def test_a_review_on_far_ahead_is_fine(register, plant):
    entry = register.as_(plant.officer).new_risk(
        plant.north, plant.officer, review_on=date(9998, 12, 31).isoformat()
    )
    assert entry["review_on"] == "9998-12-31" and entry["review_due"] is False
