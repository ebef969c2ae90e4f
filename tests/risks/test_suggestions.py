"""Link suggestions for a report: the site's active entries of its triage category first, then
those sharing its words, each with the reason; at most five; officers and admins only."""

from server.extensions import db
from tests.factories import make_stored_report
from tests.risks.conftest import make_risk

OIL_LEAK = "Oil leaking from press 4 again, the floor by the press is slippery"


def suggested(register, report) -> list[tuple[str, str]]:
    response = register.get(f"/api/reports/{report.id}/risk-suggestions")
    assert response.status_code == 200, response.json
    return [(item["risk"]["activity"], item["reason"]) for item in response.json]


def triaged(site, reporter, description: str, category: str | None):
    report = make_stored_report(site, reporter, description)
    report.queue_category = category
    db.session.commit()
    return report


def test_the_same_category_comes_first_then_words_in_common(plant, register):
    owner = plant.officer
    make_risk(plant.north, owner, activity="Forklift driving", hazard="Hitting pedestrians")
    make_risk(
        plant.north,
        owner,
        activity="Walking the yard",
        hazard="Tripping on kerbs and cables",
        category="slips_trips_falls",
    )
    make_risk(
        plant.north,
        owner,
        activity="Running the hydraulic press",
        hazard="Oil leaks from the press",
        category="machinery",
    )
    report = triaged(plant.north, plant.worker, OIL_LEAK, "slips_trips_falls")
    assert suggested(register.as_(plant.officer), report) == [
        ("Walking the yard", "Same category: slips, trips and falls"),
        ("Running the hydraulic press", "Words in common: oil, leaking, press"),
    ]


def test_words_in_common_rank_within_the_category_too(plant, register):
    for activity, hazard in (
        ("Cleaning the canteen", "Wet floor after mopping"),
        ("Maintaining press 4", "Oil on the floor by the press"),
    ):
        make_risk(plant.north, plant.officer, activity=activity, hazard=hazard, category="ppe")
    report = triaged(plant.north, plant.worker, OIL_LEAK, "ppe")
    reasons = suggested(register.as_(plant.admin), report)
    assert reasons[0] == (
        "Maintaining press 4",
        "Same category: personal protective equipment; words in common: oil, press, 4, floor",
    )
    assert reasons[1][0] == "Cleaning the canteen"


def test_only_active_entries_of_the_report_site_above_the_floor_are_suggested(plant, register):
    make_risk(plant.south, plant.officer, activity="Press line", hazard="Oil leaks from the press")
    make_risk(
        plant.north,
        plant.officer,
        activity="Old press",
        hazard="Oil leaks from the press",
        status="archived",
    )
    make_risk(plant.north, plant.officer, activity="Office work", hazard="Eye strain at screens")
    report = triaged(plant.north, plant.worker, OIL_LEAK, None)
    assert suggested(register.as_(plant.officer), report) == []


def test_an_uncategorised_report_is_matched_by_its_words_alone(plant, register):
    make_risk(plant.north, plant.officer, activity="Desk work", category="uncategorised")
    make_risk(plant.north, plant.officer, activity="Press 4", hazard="Leaking oil, slippery floor")
    report = triaged(plant.north, plant.worker, OIL_LEAK, "uncategorised")
    [(activity, reason)] = suggested(register.as_(plant.officer), report)
    assert activity == "Press 4"
    assert reason.startswith("Words in common: ")
    assert {"oil", "press", "floor", "slippery"} <= set(reason.split(": ")[1].split(", "))


def test_words_in_common_are_found_in_other_languages_with_their_accents(plant, register):
    make_risk(plant.north, plant.officer, activity="Oficina", hazard="Pantallas y sillas")
    make_risk(
        plant.north,
        plant.officer,
        activity="Prensas hidráulicas",
        hazard="Válvulas con fugas de aceite",
    )
    report = triaged(
        plant.north, plant.worker, "La válvula de la prensa 4 pierde aceite, hay una fuga.", None
    )
    [(activity, reason)] = suggested(register.as_(plant.officer), report)
    assert activity == "Prensas hidráulicas"
    assert reason == "Words in common: válvula, prensa, aceite, fuga"


def test_at_most_five_are_suggested_the_best_first(plant, register):
    for number in range(8):
        make_risk(
            plant.north,
            plant.officer,
            activity=f"Press {number}" if number != 6 else "Press 4 oil leak",
            hazard="Slippery floor from leaking oil" if number == 6 else "Oil on the press",
        )
    report = triaged(plant.north, plant.worker, OIL_LEAK, None)
    found = suggested(register.as_(plant.officer), report)
    assert len(found) == 5
    assert found[0][0] == "Press 4 oil leak"


def test_workers_may_not_ask_and_other_sites_reports_are_not_found(plant, register):
    report = triaged(plant.north, plant.worker, OIL_LEAK, None)
    url = f"/api/reports/{report.id}/risk-suggestions"
    assert register.as_(plant.worker).get(url).status_code == 403
    assert register.as_(plant.auditor).get(url).status_code == 403
    assert register.as_(plant.south_officer).get(url).status_code == 404
    assert register.as_(plant.other_officer).get(url).status_code == 404
