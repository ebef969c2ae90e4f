"""The review pack PDF and its charts, read back with poppler (pdftotext, pdfinfo, pdftoppm) and
an XML parser: drawn from a whole review view as the API gives it (tests/reviews/pack_sample.py),
then from reviews made through the API, by the test client and through gunicorn; who may have
them."""

import copy
import re
import subprocess
import uuid
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests

from server.reviews import charts
from server.reviews.pack import pack_pdf
from server.reviews.pack_routes import pack_filename, slug
from server.reviews.typeface import HELVETICA
from tests.factories import PASSWORD
from tests.live_server import GunicornServer, app_environment
from tests.reviews.conftest import at, make_report
from tests.reviews.pack_sample import held_view, sample_view

MADE_AT = datetime(2026, 10, 8, 14, 5, tzinfo=UTC)
SVG = "{http://www.w3.org/2000/svg}"


# --- reading a PDF back -------------------------------------------------------------------


def _source(pdf: bytes, folder: Path) -> Path:
    path = folder / f"pack-{len(list(folder.glob('pack-*.pdf')))}.pdf"
    path.write_bytes(pdf)
    return path


def page_count(pdf: bytes, folder: Path) -> int:
    info = subprocess.run(
        ["pdfinfo", str(_source(pdf, folder))], capture_output=True, check=True, text=True
    ).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def page_texts(pdf: bytes, folder: Path) -> list[str]:
    """Each page's text as pdftotext lays it out: a table row on one line."""
    source = _source(pdf, folder)
    return [
        subprocess.run(
            ["pdftotext", "-layout", "-f", str(n), "-l", str(n), "-enc", "UTF-8", str(source), "-"],
            capture_output=True,
            check=True,
        ).stdout.decode()
        for n in range(1, page_count(pdf, folder) + 1)
    ]


def flat(text: str) -> str:
    """Text with every run of white space as one space (lines and cells run together)."""
    return re.sub(r"\s+", " ", text)


def pack_text(pdf: bytes, folder: Path) -> str:
    return flat("\n".join(page_texts(pdf, folder)))


# --- the pack of a view -------------------------------------------------------------------


def test_the_pack_reads_in_the_order_of_clause_9_3(tmp_path):
    pdf = pack_pdf(sample_view(), generated_at=MADE_AT)
    text = pack_text(pdf, tmp_path)
    headings = [
        "Nordwerk Fertigung GmbH",
        "Management review 2026 Q3",
        "a) Actions from previous management reviews",
        "b) Changes in issues, risks and opportunities",
        "c) Objectives met",
        "d) Performance",
        "1. Incidents, nonconformities and corrective actions",
        "2. Monitoring: risks and opportunities in the register",
        "3. Audit results",
        "4. Consultation and participation of workers",
        "e) Adequacy of resources",
        "f) Communication with interested parties",
        "g) Opportunities for continual improvement",
        "Outputs of the review",
    ]
    # The cover's contents list names them first: look for them after it, in order.
    places = [text.index(headings[0])]
    body = text.index("a) Actions from previous", text.index("Outputs: decisions and actions"))
    for heading in headings[1:]:
        start = body if heading.startswith("a)") else places[-1] + 1
        places.append(text.index(heading, start))
    assert places == sorted(places)


def test_the_cover_names_the_organization_sites_period_status_and_attendees(tmp_path):
    pages = page_texts(pack_pdf(sample_view(), generated_at=MADE_AT), tmp_path)
    cover = flat(pages[0])
    for expected in (
        "Nordwerk Fertigung GmbH",
        "Management review 2026 Q3",
        "Period 1 Jul – 30 Sep 2026",
        "Compared with 1 Apr – 30 Jun 2026",
        "Sites Plant North, Závod Plzeň–Škoda",
        "Status Draft",
        "Held on Not yet held",
        "Ingrid Bergström (plant manager) Zofia Łukasiewicz (HSE officer) Dara Ó Briain",
        "Management review 2026 Q2, held on 10 Jul 2026",
        "DRAFT: not yet held.",
    ):
        assert expected in cover, expected


def test_every_page_of_a_draft_says_draft_and_is_numbered(tmp_path):
    pages = page_texts(pack_pdf(sample_view(), generated_at=MADE_AT), tmp_path)
    assert len(pages) >= 5
    for number, page in enumerate(pages, 1):
        text = flat(page)
        assert f"page {number} of {len(pages)}" in text
        assert "DRAFT" in text
        assert "1 Jul – 30 Sep 2026 · made 2026-10-08 14:05 UTC · Management review 2026 Q3" in text
        if number > 1:  # the running head
            assert "Nordwerk Fertigung GmbH · Management review 2026 Q3" in text
            assert "DRAFT: not yet held" in text


def test_a_held_review_says_when_and_is_no_draft(tmp_path):
    pages = page_texts(pack_pdf(held_view(), generated_at=MADE_AT), tmp_path)
    text = flat(" ".join(pages))
    assert "DRAFT" not in text
    assert "Held on 8 Oct 2026. The inputs are frozen as leadership saw them." in text
    assert "Status Held" in flat(pages[0]) and "Held on 8 Oct 2026" in flat(pages[0])


def test_the_figures_stand_beside_the_previous_period(tmp_path):
    text = pack_text(pack_pdf(sample_view(), generated_at=MADE_AT), tmp_path)
    for row in (
        "Injury 2 3 −1",
        "Near miss 9 7 +2",
        "All reports 47 37 +10",
        "Raised 6 4 +2",
        "Raised from: Complaint 0 1 −1",
        "On-time rate 80 % 100 % −20.0 pts",
        "Effective-first-time rate 75 % n/a -",
        "Average score 88.5 % 84 % +4.5 pts",
        "Reports per person 2.35 1.85 +0.5",
        "Active people 20 20 no change",
        "Clause Observation Minor NC Major NC",
        "8.1.2 2 1 0",
    ):
        assert row in text, row


def test_resources_show_training_due_by_the_organization_s_days_and_who_may_audit(tmp_path):
    view = sample_view()
    view["inputs"]["resources"] = {
        "competences": {"valid": 10, "due_days": 60, "expiring_within_due_days": 2, "expired": 1},
        "internal_auditors": {"qualified": 3, "not_qualified": 17},
    }
    text = pack_text(pack_pdf(view, generated_at=MADE_AT), tmp_path)
    for row in (
        "Due: expiring within 60 days 2",
        "People with a valid internal audit record 3",
        "People without one 17",
    ):
        assert row in text, row
    assert "Expiring within 90 days" not in text


def test_objectives_previous_actions_changes_and_outputs_are_listed(tmp_path):
    text = pack_text(pack_pdf(sample_view(), generated_at=MADE_AT), tmp_path)
    for expected in (
        "3 actions: 1 done on time, 1 done late, 1 still open.",
        "Dara Ó Briain 15 Aug 2026 Done 20 Aug 2026 No",
        "Risk register: 4 entries added, 1 rated a higher band.",
        "R-007 Diesel storage without bund Rated a higher band",
        "1 of 3 measured objectives met. 1 without figures for the period (n/a).",
        "Actions closed on time All sites at least 90 % 80 % 100 % No",
        "at least 100 % 50 % 100 % No",
        "Valid 10",
        "Reminders sent to action owners and officers 14",
        "O-004 Paint shop Water-based paint removes solvent exposure Low",
        "1. Fund a second forklift route in hall 2 before the winter shutdown.",
        "2. Audit Závod Plzeň–Škoda every quarter from now on.",
        "Budget for the forklift route agreed in principle; finance to confirm.",
        "Quote for the second forklift route Dara Ó Briain 15 Nov 2026 Plant North Open",
    ):
        assert expected in text, expected


def test_the_charts_are_drawn_with_their_titles_axes_and_legends(tmp_path):
    text = pack_text(pack_pdf(sample_view(), generated_at=MADE_AT), tmp_path)
    for title, _builder in charts.CHARTS.values():
        assert title in text
    for words in (
        "Incidents reported",
        "Jul 2026",
        "Sep 2026",
        "Count in the period",
        "This period (1 Jul – 30 Sep 2026)",
        "Previous period (1 Apr – 30 Jun 2026)",
        "target 90 %",
        "Average audit score",
        "91.2 %",
        "Likelihood",
        "Severity",
        "5 Catastrophic",
        "High: 2",
    ):
        assert words in text, words


def test_every_page_renders(tmp_path):
    pdf = pack_pdf(sample_view(), generated_at=MADE_AT)
    source = _source(pdf, tmp_path)
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", str(source), str(tmp_path / "page")], check=True
    )
    assert len(list(tmp_path.glob("page-*.png"))) == page_count(pdf, tmp_path)


def empty_view() -> dict:
    """A review of sites where nothing happened: every count zero, every list empty."""
    view = copy.deepcopy(sample_view())
    view["previous_review"] = None
    view["inputs"] = {
        "previous_actions": [],
        "changes": {"risks_added": 0, "risks_raised": 0, "template_versions": [], "entries": []},
        "objectives": [],
        "performance": {
            "incidents": {"current": {}, "previous": {}, "by_month": [], "serious": 0},
            "nonconformities": {"current": {}, "previous": {}},
            "actions": {"current": {}, "previous": {}, "effective_first_time": {}},
            "monitoring": {"heat_map": {"cells": [], "total": 0}, "bands": {}, "review_due": 0},
            "audits": {"current": {}, "previous": {}, "by_site": [], "by_clause": []},
            "participation": {"current": {}, "previous": {}},
        },
        "resources": {"competences": {}},
        "communications": {},
        "improvement_opportunities": [],
    }
    view["outputs"] = {"attendees": [], "decisions": [], "notes": None, "actions": []}
    return view


def test_a_review_where_nothing_happened_says_so(tmp_path):
    text = pack_text(pack_pdf(empty_view(), generated_at=MADE_AT), tmp_path)
    for expected in (
        "The previous review left no actions.",
        "No objectives are set for these sites.",
        "No register entries in scope.",
        "No opportunities are recorded in the register for these sites.",
        "No decisions recorded yet.",
        "No actions recorded yet.",
        "Attendees Not yet recorded",
        "Previous review None",
    ):
        assert expected in text, expected


HOSTILE = "Null\x00 byte, lone \ud800 surrogate, 東京 plant, עברית, tab\there, 🦺 vest <b>&amp;"


def test_hostile_and_long_text_renders_and_the_pack_says_what_it_could_not_print(tmp_path):
    view = sample_view()
    view["title"] = HOSTILE
    view["sites"][0]["name"] = HOSTILE
    view["outputs"]["decisions"] = [{"text": "word" * 1500}, {"text": HOSTILE}]
    view["outputs"]["attendees"] = [HOSTILE] * 40
    view["inputs"]["previous_actions"] *= 60  # 180 rows: the table runs over pages
    view["inputs"]["performance"]["incidents"]["by_month"] = [
        {"month": f"{2025 + (m // 12)}-{m % 12 + 1:02d}", "injury": m % 3, "near_miss": m}
        for m in range(24)
    ]
    view["inputs"]["performance"]["audits"]["by_site"] *= 15
    pdf = pack_pdf(view, generated_at=MADE_AT)
    pages = page_texts(pdf, tmp_path)
    text = flat(" ".join(pages))
    assert "<b>&amp;" in text  # markup in a name is text, not markup
    assert "東京" not in text and "□□ plant" in text
    assert "cannot be printed in this pack's font" in text
    assert "\x00" not in text
    assert all(f"page {n} of {len(pages)}" in flat(p) for n, p in enumerate(pages, 1))
    assert text.count("15 Aug 2026 Done 20 Aug 2026 No") == 60


def test_without_dejavu_sans_the_pack_prints_in_helvetica_and_says_what_it_folded(tmp_path):
    pdf = pack_pdf(sample_view(), generated_at=MADE_AT, face=HELVETICA)
    fonts = subprocess.run(
        ["pdffonts", str(_source(pdf, tmp_path))], capture_output=True, check=True, text=True
    ).stdout
    assert "Helvetica" in fonts and "DejaVu" not in fonts
    text = pack_text(pdf, tmp_path)
    assert "Závod Plzen–Škoda" in text and "Zofia Lukasiewicz" in text  # ň and Ł folded
    assert "cannot be printed in this pack's font" in text
    assert "Ingrid Bergström" in text and "Dara Ó Briain" in text  # Western European as is


def test_with_dejavu_sans_names_print_as_written(tmp_path):
    pdf = pack_pdf(sample_view(), generated_at=MADE_AT)
    fonts = subprocess.run(
        ["pdffonts", str(_source(pdf, tmp_path))], capture_output=True, check=True, text=True
    ).stdout
    assert "DejaVuSans" in fonts  # embedded, as a subset
    text = pack_text(pdf, tmp_path)
    assert "Závod Plzeň–Škoda" in text and "Zofia Łukasiewicz" in text
    assert "cannot be printed" not in text


def test_the_file_name_is_the_title_and_says_draft():
    assert pack_filename(sample_view()) == (
        "management-review-2026-q3-draft.pdf",
        "Management review 2026 Q3 (draft).pdf",
    )
    assert pack_filename(held_view())[0] == "management-review-2026-q3.pdf"
    assert slug("Revue de direction — Plzeň 2026") == "revue-de-direction-plzen-2026"
    view = sample_view()
    view["title"] = "東京\x00"
    assert pack_filename(view)[0] == "management-review-draft.pdf"
    view["title"] = 'Q3 "final"\r\nSet-Cookie: x=1; ../..'
    ascii_name, readable = pack_filename(view)
    assert ascii_name == "q3-final-set-cookie-x-1-draft.pdf"
    assert readable == 'Q3 "final"Set-Cookie: x=1; ../.. (draft).pdf'  # sent percent-encoded


# --- the charts ---------------------------------------------------------------------------


def svg_of(name: str, view: dict) -> ET.Element:
    return ET.fromstring(charts.svg(name, view))


@pytest.mark.parametrize("name", list(charts.CHARTS))
def test_each_chart_is_an_svg_with_its_title(name):
    root = svg_of(name, sample_view())
    assert root.tag == f"{SVG}svg"
    assert root.get("viewBox").startswith("0 0 ")
    assert root.get("role") == "img" and root.get("aria-label") == charts.CHARTS[name][0]
    assert root.find(f"{SVG}title").text == charts.CHARTS[name][0]
    assert root.iter(f"{SVG}text")


def texts(root: ET.Element) -> list[str]:
    return [node.text or "" for node in root.iter(f"{SVG}text")]


def test_the_svg_charts_carry_the_figures_and_names_as_written():
    view = sample_view()
    comparison = texts(svg_of("comparison", view))
    assert {"47", "37", "Reports in all", "Hazards reported"} <= set(comparison)
    scores = texts(svg_of("audit-scores", view))
    assert "Závod Plzeň–Škoda" in scores and "80.4 %" in scores
    heat = texts(svg_of("heat-map", view))
    assert (heat.count("3"), heat.count("2"), heat.count("1")) == (2, 2, 2)  # the counts
    assert heat.count("0") == 25 - 6 and "Medium: 6" in heat and "12 entries in all" in heat
    months = texts(svg_of("incidents-by-month", view))
    assert {"Jul 2026", "Aug 2026", "Sep 2026", "Near miss", "Injury"} <= set(months)
    assert "Hazard" not in months  # hazards are no incidents: they are in the comparison
    rates = texts(svg_of("rates", view))
    assert {"80 %", "8 of 10", "75 %", "n/a", "target 90 %"} <= set(rates)


@pytest.mark.parametrize("name", list(charts.CHARTS))
def test_the_charts_of_a_review_where_nothing_happened(name):
    root = svg_of(name, empty_view())
    assert root.tag == f"{SVG}svg"


def test_a_chart_keeps_hostile_names_as_text():
    view = sample_view()
    view["inputs"]["performance"]["audits"]["by_site"][0]["name"] = "<script>x</script>&"
    raw = charts.svg("audit-scores", view).decode()
    assert "<script>" not in raw
    assert any(t.startswith("<script>") for t in texts(ET.fromstring(raw)))


# --- reviews made through the API ---------------------------------------------------------


def figures_of_q3(plant) -> None:
    """North: two injuries and three near misses in 2026 Q3, one injury in Q2."""
    for day in ("2026-07-10", "2026-08-20"):
        make_report(plant.north, "injury", at(f"{day} 09:00"))
    for day in ("2026-07-11", "2026-09-01", "2026-09-02"):
        make_report(plant.north, "near_miss", at(f"{day} 09:00"))
    make_report(plant.north, "injury", at("2026-05-05 09:00"))


@pytest.fixture
def decided(plant, desk) -> dict:
    """A draft review of 2026 Q3 for the whole plant, with its attendees, a decision and an
    action owned by Olive Officer."""
    figures_of_q3(plant)
    desk.as_(plant.officer)
    review = desk.new_review(title="Plant review 2026 Q3")
    desk.outputs(
        review["id"],
        attendees=["Ingrid Bergström (plant manager)", "Olive Officer"],
        decisions=[{"text": "Fit a second forklift route in hall 2."}],
    )
    desk.decide(review["id"], plant.officer, plant.north, title="Quote for the forklift route")
    return review


def test_the_pack_of_a_review_through_the_api(plant, desk, decided, client, tmp_path):
    response = client.get(f"/api/reviews/{decided['id']}/pack.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="plant-review-2026-q3-draft.pdf"; '
        "filename*=UTF-8''Plant%20review%202026%20Q3%20%28draft%29.pdf"
    )
    pages = page_texts(response.data, tmp_path)
    text = flat(" ".join(pages))
    assert plant.organization.name in flat(pages[0])
    assert "Sites North Plant, South Yard" in flat(pages[0])
    assert "Injury 2 1 +1" in text and "Near miss 3 0 +3" in text
    assert "1. Fit a second forklift route in hall 2." in text
    assert "Quote for the forklift route Olive Officer" in text
    assert all("DRAFT" in page for page in pages)

    assert desk.hold(decided["id"]).status_code == 200
    held = client.get(f"/api/reviews/{decided['id']}/pack.pdf")
    assert held.headers["Content-Disposition"].startswith(
        'attachment; filename="plant-review-2026-q3.pdf"'
    )
    text = pack_text(held.data, tmp_path)
    assert "DRAFT" not in text
    assert "Held on 8 Oct 2026. The inputs are frozen as leadership saw them." in text
    assert "Injury 2 1 +1" in text


def test_the_charts_of_a_review_through_the_api(plant, desk, decided, client):
    for name in charts.CHARTS:
        response = client.get(f"/api/reviews/{decided['id']}/charts/{name}.svg")
        assert response.status_code == 200, name
        assert response.mimetype == "image/svg+xml"
        assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")
        assert response.headers["Cache-Control"] == "private, no-cache"
        root = ET.fromstring(response.data)
        assert root.find(f"{SVG}title").text == charts.CHARTS[name][0]
        again = client.get(
            f"/api/reviews/{decided['id']}/charts/{name}.svg",
            headers={"If-None-Match": response.headers["ETag"]},
        )
        assert again.status_code == 304
    months = texts(
        ET.fromstring(
            client.get(f"/api/reviews/{decided['id']}/charts/incidents-by-month.svg").data
        )
    )
    assert {"Jul 2026", "Aug 2026", "Sep 2026"} <= set(months)
    assert months.count("2") >= 1 and "Injury" in months
    missing = client.get(f"/api/reviews/{decided['id']}/charts/pie.svg")
    assert missing.status_code == 404
    assert missing.mimetype == "application/problem+json"


def test_only_those_who_may_open_the_review_have_its_pack_and_charts(
    plant, desk, decided, client, auth
):
    urls = [
        f"/api/reviews/{decided['id']}/pack.pdf",
        f"/api/reviews/{decided['id']}/charts/rates.svg",
    ]
    for person, status in (
        (plant.admin, 200),
        (plant.worker, 403),
        (plant.auditor, 403),
        (plant.north_officer, 404),  # a review of every site is not only North's
        (plant.other_officer, 404),
    ):
        desk.as_(person)
        for url in urls:
            got = client.get(url)
            assert got.status_code == status, (person.name, url)
            if status != 200:
                assert got.mimetype == "application/problem+json"
        auth.logout()
    assert client.get(urls[0]).status_code == 401
    desk.as_(plant.officer)
    assert client.get(f"/api/reviews/{uuid.uuid4()}/pack.pdf").status_code == 404
    assert client.get(f"/api/reviews/{uuid.uuid4()}/charts/rates.svg").status_code == 404
    assert client.get("/api/reviews/not-a-uuid/pack.pdf").status_code == 404
    for name in ("%00", "..%2fpack", "rates%20", "R%C3%A4tes", "9" * 30, "rates.svg"):
        got = client.get(f"/api/reviews/{decided['id']}/charts/{name}.svg")
        assert got.status_code == 404, name
        assert got.mimetype == "application/problem+json"


def test_a_north_review_is_for_north_s_officer(plant, desk, client, tmp_path):
    figures_of_q3(plant)
    desk.as_(plant.north_officer)
    review = desk.new_review(site_ids=[plant.north.id])
    response = client.get(f"/api/reviews/{review['id']}/pack.pdf")
    assert response.status_code == 200
    assert "Sites North Plant" in flat(page_texts(response.data, tmp_path)[0])
    desk.as_(plant.south_officer)
    assert client.get(f"/api/reviews/{review['id']}/pack.pdf").status_code == 404


@pytest.fixture
def served(app, tmp_path):
    """The test's app (its database and media) served by gunicorn, as production runs it."""
    with GunicornServer(
        app_environment(app), workers=1, log_path=tmp_path / "gunicorn.log"
    ) as server:
        yield server


def test_the_pack_and_charts_through_gunicorn(plant, decided, served, tmp_path):
    with requests.Session() as http:
        login = {"email": plant.officer.email, "password": PASSWORD}
        assert http.post(f"{served.url}/api/auth/login", json=login).status_code == 200
        response = http.get(f"{served.url}/api/reviews/{decided['id']}/pack.pdf")
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "application/pdf"
        assert int(response.headers["Content-Length"]) == len(response.content)
        assert response.headers["Content-Disposition"].startswith("attachment; ")
        assert response.content.startswith(b"%PDF-") and response.content.rstrip().endswith(
            b"%%EOF"
        )
        pages = page_texts(response.content, tmp_path)
        assert f"page {len(pages)} of {len(pages)}" in flat(pages[-1])
        text = flat(" ".join(pages))
        assert "Injury 2 1 +1" in text and "Quote for the forklift route" in text
        for name in charts.CHARTS:
            svg = http.get(f"{served.url}/api/reviews/{decided['id']}/charts/{name}.svg")
            assert svg.status_code == 200 and svg.headers["Content-Type"].startswith(
                "image/svg+xml"
            )
            assert ET.fromstring(svg.content).tag == f"{SVG}svg"
    with requests.Session() as worker:
        login = {"email": plant.worker.email, "password": PASSWORD}
        assert worker.post(f"{served.url}/api/auth/login", json=login).status_code == 200
        assert worker.get(f"{served.url}/api/reviews/{decided['id']}/pack.pdf").status_code == 403
