"""What an analysis tells each reader: causes counted over the reports they may open, nothing else.

North Plant's report names a missing guard. Related reports: guards at both sites, by the
reporter and by another worker; forklifts only at South Yard; ice only by the other worker at
North; noise once at each site. Another organization writes about the same things.
"""

import io
import re
import xml.etree.ElementTree as ET

import pytest
from PIL import Image

from server.ishikawa import layout
from server.ishikawa.jobs import build_analysis
from tests.factories import make_organization, make_site, make_stored_report, make_user
from tests.ishikawa.helpers import analysis_url, causes_by_id, edit

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def people(plant):
    """The plant with related reports at both sites, a site-limited officer and a second org."""
    other = make_user(plant.organization)
    north_officer = make_user(plant.organization, role="officer", sites=[plant.north])
    related = {
        "guard_mine": make_stored_report(plant.north, plant.worker, "Guard missing again"),
        "guard_north": make_stored_report(plant.north, other, "Guard still missing on the saw"),
        "guard_south": [make_stored_report(plant.south, other, "Guard off") for _ in range(2)],
        "forklift": [make_stored_report(plant.south, other, "Forklift too fast") for _ in range(3)],
        "ice": [make_stored_report(plant.north, other, "Ice on the path") for _ in range(2)],
        "noise": [
            make_stored_report(plant.north, plant.worker, "Loud noise in the shop"),
            make_stored_report(plant.south, other, "Loud noise in the shop"),
        ],
    }
    elsewhere = make_organization()
    their_site = make_site(elsewhere, "NORTH", "North Plant")
    outsider = make_user(elsewhere, role="admin")
    for words in ("Guard missing", "Forklift too fast", "Ice on the path", "Loud noise") * 3:
        make_stored_report(their_site, outsider, words)
    build_analysis(plant.report.pk)
    return {
        "north_officer": north_officer,
        "outsider": outsider,
        "their_site": their_site,
        **related,
    }


def ids(*reports) -> list[str]:
    return [str(report.id) for report in reports]


def read(client, auth, user, plant) -> dict:
    auth.login(user.email)
    response = client.get(analysis_url(plant.report))
    assert response.status_code == 200
    return causes_by_id(response.json)


def assert_openable(client, causes: dict) -> None:
    """Every count is the number of links given, and each link opens for the same reader."""
    for cause in causes.values():
        if cause["source"] in ("report", "related"):
            assert cause["count"] == len(cause["report_ids"]), cause
        for report_id in cause["report_ids"]:
            assert client.get(f"/api/reports/{report_id}").status_code == 200, cause


def test_an_officer_of_every_site_sees_every_cause_of_the_organization(client, auth, plant, people):
    causes = read(client, auth, plant.officer, plant)
    guard = causes["report-guard"]
    expected = ids(
        plant.report, people["guard_mine"], people["guard_north"], *people["guard_south"]
    )
    assert guard["count"] == 5 and set(guard["report_ids"]) == set(expected)
    assert causes["related-forklift"]["count"] == 3
    assert causes["related-ice"]["count"] == 2
    assert set(causes["related-noise"]["report_ids"]) == set(ids(*people["noise"]))
    assert_openable(client, causes)


def test_a_site_limited_officer_counts_only_their_sites(client, auth, plant, people):
    causes = read(client, auth, people["north_officer"], plant)
    guard = causes["report-guard"]
    assert guard["count"] == 3
    assert set(guard["report_ids"]) == set(
        ids(plant.report, people["guard_mine"], people["guard_north"])
    )
    assert set(causes["related-ice"]["report_ids"]) == set(ids(*people["ice"]))
    # Forklifts recur only at South Yard; noise once at each site: neither recurs for them.
    assert "related-forklift" not in causes and "related-noise" not in causes
    assert_openable(client, causes)


def test_a_worker_counts_only_their_own_reports(client, auth, plant, people):
    causes = read(client, auth, plant.worker, plant)
    guard = causes["report-guard"]
    assert guard["count"] == 2
    assert guard["report_ids"] == ids(plant.report, people["guard_mine"])
    assert not [i for i in causes if i.startswith("related-")]
    assert_openable(client, causes)


def svg_of(client, auth, user, plant) -> tuple[ET.Element, list[str]]:
    auth.login(user.email)
    response = client.get(analysis_url(plant.report, "/diagram.svg"))
    assert response.status_code == 200
    root = ET.fromstring(response.data)
    return root, [t.text for t in root.iter(f"{SVG}text")]


def first_line(text: str) -> str:
    return layout.wrap(text, layout.LABEL_CHARS, layout.LABEL_LINES)[0]


def test_the_diagram_draws_what_its_reader_may_see(client, auth, plant, people):
    everything = read(client, auth, plant.officer, plant)
    _, officer_texts = svg_of(client, auth, plant.officer, plant)
    forklift = first_line(everything["related-forklift"]["text"])
    ice = first_line(everything["related-ice"]["text"])
    assert {forklift, ice, "5"} <= set(officer_texts)

    _, north_texts = svg_of(client, auth, people["north_officer"], plant)
    assert ice in north_texts and forklift not in north_texts
    assert "5" not in north_texts and "3" in north_texts

    root, worker_texts = svg_of(client, auth, plant.worker, plant)
    assert forklift not in worker_texts and ice not in worker_texts
    assert [t for t in worker_texts if re.fullmatch(r"\d+\+?", t)] == ["2"]
    png = client.get(analysis_url(plant.report, "/diagram.png"))
    assert png.status_code == 200
    assert Image.open(io.BytesIO(png.data)).size == (
        int(root.get("width")),
        int(root.get("height")),
    )
    auth.login(plant.officer.email)
    assert client.get(analysis_url(plant.report, "/diagram.png")).data != png.data


def test_a_cause_hidden_from_an_officer_cannot_be_edited_by_them(client, auth, plant, people):
    auth.login(people["north_officer"].email)
    version = client.get(analysis_url(plant.report)).json["version"]
    for op in (
        {"op": "remove_cause", "id": "related-forklift"},
        {"op": "set_root_cause", "id": "related-forklift"},
        {"op": "edit_cause", "id": "related-noise", "text": "Noisy"},
    ):
        response = edit(client, plant.report, version, op)
        assert response.status_code == 422, op
        assert response.json["errors"]["operations"]["0"]["id"] == [
            f"No cause with id {op['id']!r} in this version."
        ]
    removed = edit(client, plant.report, version, {"op": "remove_cause", "id": "related-ice"})
    assert removed.status_code == 200


def test_a_cause_an_officer_adopted_stays_but_counts_only_what_its_reader_may_open(
    client, auth, plant, people
):
    auth.login(plant.officer.email)
    version = client.get(analysis_url(plant.report)).json["version"]
    chosen = edit(client, plant.report, version, {"op": "set_root_cause", "id": "related-forklift"})
    assert chosen.json["root_cause"]["count"] == 3
    auth.login(people["north_officer"].email)
    analysis = client.get(analysis_url(plant.report)).json
    assert analysis["root_cause_id"] == "related-forklift"
    assert (analysis["root_cause"]["count"], analysis["root_cause"]["report_ids"]) == (0, [])
    causes = read(client, auth, plant.worker, plant)
    assert causes["related-forklift"]["count"] == 0


def test_the_event_log_keeps_no_count_of_causes(client, auth, plant, people):
    auth.login(plant.worker.email)
    events = client.get(f"/api/reports/{plant.report.id}/events").json
    (built,) = [e for e in events if e["action"] == "analysis_built"]
    assert built["data"] == {"version": 1}


def test_another_organization_counts_its_own_reports_only(client, auth, plant, people):
    auth.login(people["outsider"].email)
    assert client.get(analysis_url(plant.report)).status_code == 404
    assert client.get(analysis_url(plant.report, "/diagram.svg")).status_code == 404
    theirs = make_stored_report(people["their_site"], people["outsider"], "Guard missing")
    build_analysis(theirs.pk)
    causes = causes_by_id(client.get(analysis_url(theirs)).json)
    assert causes["report-guard"]["count"] == 4
    assert {causes["related-forklift"]["count"], causes["related-ice"]["count"]} == {3}
    assert not set(causes["report-guard"]["report_ids"]) & set(
        ids(plant.report, people["guard_mine"], people["guard_north"], *people["guard_south"])
    )
    auth.login(plant.officer.email)
    assert client.get(analysis_url(theirs)).status_code == 404
