"""The hierarchy-of-controls warning, and repeat detection over the last twelve months."""

from sqlalchemy import update

from server.extensions import db
from server.nonconformities.models import Nonconformity
from tests.nonconformities.conftest import days_ago


def major_nc(desk, plant, **fields) -> dict:
    desk.as_(plant.officer)
    nc = desk.new_nc(plant.north, severity="major", **fields)
    desk.root_cause(nc)
    return nc


def codes(nc: dict) -> list[str]:
    return [warning["code"] for warning in nc["warnings"]]


def test_a_major_nc_fixed_only_by_paperwork_and_ppe_is_warned_about(desk, plant):
    nc = major_nc(desk, plant)
    desk.plan(nc, plant.worker, control="administrative")
    desk.plan(nc, plant.worker, control="ppe", kind="preventive")
    view = desk.nc(nc)
    assert codes(view) == ["weak_controls"]
    assert "8.1.2" in view["warnings"][0]["message"]


def test_a_higher_control_planned_lifts_the_warning(desk, plant):
    nc = major_nc(desk, plant)
    desk.plan(nc, plant.worker, control="ppe")
    desk.plan(nc, plant.worker, control="elimination")
    assert codes(desk.nc(nc)) == []


def test_the_officer_saying_why_lifts_the_warning(desk, plant):
    nc = major_nc(desk, plant)
    desk.plan(nc, plant.worker, control="administrative")
    explained = desk.patch(
        f"/api/nonconformities/{nc['id']}",
        {"weak_controls_reason": "The press is rented; the owner replaces it in March"},
    )
    assert codes(explained.json) == []
    cleared = desk.patch(f"/api/nonconformities/{nc['id']}", {"weak_controls_reason": None})
    assert codes(cleared.json) == ["weak_controls"]


def test_corrections_and_minor_ncs_carry_no_warning(desk, plant):
    nc = major_nc(desk, plant)
    desk.plan(nc, plant.worker, kind="correction", control="ppe")
    assert codes(desk.nc(nc)) == []
    minor = desk.new_nc(plant.north)
    desk.root_cause(minor)
    desk.plan(minor, plant.worker, control="ppe")
    assert codes(desk.nc(minor)) == []


def raised(desk, site, **fields) -> dict:
    return desk.new_nc(site, **fields)


def test_the_same_site_and_clause_within_a_year_is_a_repeat(desk, plant):
    desk.as_(plant.officer)
    earlier = raised(desk, plant.north, clause="8.1.2", title="Guard missing on saw")
    later = raised(desk, plant.north, clause=" 8.1.2 ", title="Ladder without feet")
    assert later["repeat"] is True
    assert later["repeat_of"] == {
        "id": earlier["id"],
        "title": "Guard missing on saw",
        "status": "open",
        "created_at": earlier["created_at"],
        "reason": "Same site and clause (8.1.2) within 12 months.",
    }
    elsewhere = raised(desk, plant.south, clause="8.1.2", title="Ladder without feet")
    assert elsewhere["repeat_of"] is None
    other_clause = raised(desk, plant.north, clause="7.2", title="Ladder without feet")
    assert other_clause["repeat_of"] is None


def test_the_same_category_with_similar_wording_is_a_repeat(desk, plant):
    desk.as_(plant.officer)
    first = raised(
        desk,
        plant.south,
        category="slips_trips_falls",
        title="Oil leak by press 4",
        description="Oil leaking from press 4 made the floor slippery.",
    )
    again = raised(
        desk,
        plant.north,
        category="slips_trips_falls",
        title="Slippery floor at press 4",
        description="Oil leak under press 4 again, floor slippery.",
    )
    assert again["repeat_of"]["id"] == first["id"]
    reason = again["repeat_of"]["reason"]
    assert reason.startswith("Same category (") and "similar wording" in reason
    assert "press" in reason and "oil" in reason
    unlike = raised(
        desk,
        plant.north,
        category="slips_trips_falls",
        title="Ice on the car park",
        description="Nobody gritted the car park this morning.",
    )
    assert unlike["repeat_of"] is None


def test_similar_wording_is_found_in_other_languages_word_forms(desk, plant):
    desk.as_(plant.officer)
    first = raised(
        desk,
        plant.south,
        category="slips_trips_falls",
        title="Ölleck an Presse 4",
        description="Aus der Presse 4 lief Öl, der Boden war rutschig.",
    )
    again = raised(
        desk,
        plant.north,
        category="slips_trips_falls",
        title="Rutschiger Boden an der Presse 4",
        description="Wieder ein Ölleck unter Presse 4, Boden rutschig.",
    )
    assert again["repeat_of"]["id"] == first["id"]
    assert "presse" in again["repeat_of"]["reason"] and "rutschig" in again["repeat_of"]["reason"]


def test_older_than_a_year_or_cancelled_is_no_repeat(desk, plant):
    desk.as_(plant.officer)
    old = raised(desk, plant.north, clause="8.1.2")
    db.session.execute(update(Nonconformity).values(created_at=days_ago(400)))
    db.session.commit()
    assert raised(desk, plant.north, clause="8.1.2")["repeat_of"] is None
    latest = desk.get("/api/nonconformities").json["items"][0]
    desk.patch(
        f"/api/nonconformities/{latest['id']}", {"status": "cancelled", "cancel_reason": "Typo"}
    )
    assert raised(desk, plant.north, clause="8.1.2")["repeat_of"] is None
    assert old["repeat_of"] is None


def test_a_repeat_at_a_site_i_do_not_cover_shows_the_reason_only(desk, plant):
    desk.as_(plant.officer)
    raised(
        desk,
        plant.south,
        category="slips_trips_falls",
        title="Oil leak by press 4",
        description="Oil leaking from press 4 made the floor slippery.",
    )
    mine = raised(
        desk,
        plant.north,
        category="slips_trips_falls",
        title="Oil leak at press 4",
        description="Oil leaking from press 4, floor slippery.",
    )
    seen = desk.as_(plant.north_officer).nc(mine)["repeat_of"]
    assert (seen["id"], seen["title"], seen["status"]) == (None, None, None)
    assert "similar wording" in seen["reason"]
