"""The risk and opportunity register on the desk and in the field: an officer adds an entry,
links a worker's incident report to it with one click from the suggestions, the incident sends
the entry to review, the officer reviews it and the history keeps both ratings; the overview's
heat map; a CSV refused row by row; and a worker's site risks, read on a phone with no network."""

import re
import uuid
from datetime import date, timedelta

import pytest
from playwright.sync_api import APIRequestContext, Page, expect

from e2e.conftest import DESKTOP, PHONE
from e2e.journeys import wait_for_service_worker
from e2e.steps import api_session, open_app, send_report, wait_for_triage


def whole_page(screenshot, page: Page, name: str) -> None:
    """A full-page screenshot from the top (the sticky header then sits where it belongs)."""
    page.evaluate("() => window.scrollTo(0, 0)")
    screenshot(page, name, full_page=True)


def wide_enough(page: Page, width: int) -> None:
    """Nothing sticks out sideways: the page scrolls only up and down."""
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.fixture(scope="module")
def officer(browser, server) -> APIRequestContext:
    """The officer's API session, for what the test sets up and checks."""
    return api_session(browser, server.url, "officer")


@pytest.fixture(scope="module")
def worker(browser, server) -> APIRequestContext:
    return api_session(browser, server.url, "worker")


@pytest.fixture(scope="module")
def site(worker) -> dict:
    """The worker's first site, where the journey's entries and report are."""
    return worker.get("/api/auth/me").json()["sites"][0]


def enter(request: APIRequestContext, site_id: int, **fields) -> dict:
    """One entry of the register through the API, as another officer would add it."""
    owner = request.get("/api/auth/me").json()["user"]["id"]
    body = {
        "id": str(uuid.uuid4()),
        "site_id": site_id,
        "kind": "risk",
        "who": "Operators",
        "severity": 3,
        "likelihood": 3,
        "controls": [],
        "residual_severity": 3,
        "residual_likelihood": 2,
        "owner_id": owner,
        "review_on": (date.today() + timedelta(days=180)).isoformat(),
        **fields,
    }
    response = request.post("/api/risks", data=body)
    assert response.status == 201, response.text()
    return response.json()


@pytest.fixture(scope="module")
def register(officer, site) -> list[dict]:
    """A few entries of other activities, so that the register and the heat map are not bare."""
    return [
        enter(
            officer,
            site["id"],
            activity="Working on the mezzanine racking",
            hazard="A fall from the open edge of the mezzanine while picking stock",
            category="work_at_height",
            severity=5,
            likelihood=3,
            residual_severity=5,
            residual_likelihood=1,
            controls=[
                {"text": "Fixed guard rail along the mezzanine edge", "control": "engineering"},
                {"text": "Permit for any work beyond the rail", "control": "administrative"},
            ],
        ),
        enter(
            officer,
            site["id"],
            activity="Degreasing parts in the workshop",
            hazard="Solvent vapour breathed in; skin contact",
            category="hazardous_substances",
            severity=3,
            likelihood=4,
            residual_severity=3,
            residual_likelihood=2,
            controls=[
                {"text": "Water-based degreaser instead of solvent", "control": "substitution"},
                {"text": "Nitrile gloves", "control": "ppe"},
            ],
            # Its review day has come: due without any incident.
            review_on=date.today().isoformat(),
        ),
        enter(
            officer,
            site["id"],
            kind="opportunity",
            activity="Solar panels on the warehouse roof",
            hazard="Lower energy use and emissions",
            who="The site",
            severity=3,
            likelihood=3,
            residual_severity=4,
            residual_likelihood=4,
        ),
    ]


def add_entry(desk: Page, site: dict, tag: str, screenshot) -> None:
    """Fill in and send the register's "Add an entry" form."""
    box = desk.locator("details.add-box")
    if box.get_attribute("open") is None:
        box.locator("summary").click()
    form = desk.locator("form.add-risk")
    form.get_by_label("Site").select_option(label=site["name"])
    form.get_by_label("Activity or task").fill(f"Forklift loading at bay {tag}")
    form.get_by_label("Category (for report suggestions)").select_option("vehicles_traffic")
    form.get_by_label("Hazard: what could cause harm").fill(
        "A reversing forklift strikes a pedestrian in the loading bay"
    )
    form.get_by_label("Who could be affected").fill("Pickers, drivers and visitors")
    inherent = form.locator('[data-rating="risk-inherent"]')
    inherent.get_by_label("Severity").select_option("4")
    inherent.get_by_label("Likelihood").select_option("4")
    expect(inherent.locator(".rating-now")).to_contain_text("4 × 4 = 16")
    expect(inherent.locator(".rating-now .risk")).to_have_text("High")
    controls = form.locator(".controls-edit li")
    controls.nth(0).get_by_label("Control", exact=True).fill(
        "Barrier between the walkway and the bay"
    )
    controls.nth(0).get_by_label("Level in the hierarchy").select_option("engineering")
    form.get_by_role("button", name="Add a control").click()
    controls.nth(1).get_by_label("Control", exact=True).fill(
        "Banksman guides every reversing forklift"
    )
    controls.nth(1).get_by_label("Level in the hierarchy").select_option("administrative")
    form.get_by_role("button", name="Add a control").click()
    controls.nth(2).get_by_label("Control", exact=True).fill("Hi-vis vests in the bay")
    controls.nth(2).get_by_label("Level in the hierarchy").select_option("ppe")
    residual = form.locator('[data-rating="risk-residual"]')
    residual.get_by_label("Severity").select_option("4")
    residual.get_by_label("Likelihood").select_option("2")
    form.get_by_label("Owner").select_option(label="Demo Officer (EHS officer)")
    form.scroll_into_view_if_needed()
    screenshot(desk, "risks-add-form-desktop", full_page=True)
    form.get_by_role("button", name="Add to the register").click()


def test_an_incident_linked_to_an_entry_sends_it_to_review_and_the_review_is_kept(
    browser, live_server, officer, worker, site, register, screenshot
):
    tag = uuid.uuid4().hex[:6]
    context, desk = open_app(browser, live_server, DESKTOP, role="officer")
    desk.get_by_role("navigation").get_by_role("link", name="Risks").click()
    expect(desk.get_by_role("heading", name="Risk and opportunity register")).to_be_visible()

    # An empty activity is refused, its message beside its field; nothing is added.
    box = desk.locator("details.add-box")
    if box.get_attribute("open") is None:
        box.locator("summary").click()
    desk.locator("form.add-risk").get_by_role("button", name="Add to the register").click()
    form = desk.locator("form.add-risk")
    expect(form.locator('.field-error[data-for="activity"]')).to_have_text("Fill this in.")
    expect(form.get_by_label("Activity or task")).to_have_attribute("aria-invalid", "true")
    expect(form.locator('.field-error[data-for="site_id"]')).to_have_text("Choose one.")
    form.get_by_label("Activity or task").fill("x")
    expect(form.locator('.field-error[data-for="activity"]')).to_be_empty()

    add_entry(desk, site, tag, screenshot)
    added = desk.locator(".added-note")
    expect(added).to_contain_text(f"Forklift loading at bay {tag}")
    entry = next(
        r
        for r in officer.get("/api/risks", params={"q": tag}).json()["items"]
        if tag in r["activity"]
    )
    assert [c["control"] for c in entry["controls"]] == ["engineering", "administrative", "ppe"]
    assert entry["inherent"]["band"] == "high" and entry["residual"]["band"] == "medium"
    row = desk.locator(f'table.risk-list tr[data-id="{entry["id"]}"]')
    expect(row.locator("td").first).to_contain_text(entry["ref"])
    expect(row.locator('[data-label="Inherent"] .risk')).to_have_text("High")
    expect(row.locator('[data-label="Residual"] .risk')).to_have_text("Medium")
    expect(row.locator(".level-counts li")).to_have_text(
        ["1 Engineering", "1 Administrative", "1 PPE"]
    )
    expect(row.locator('[data-label="Owner"]')).to_have_text("Demo Officer")
    due_today = desk.locator(f'table.risk-list tr[data-id="{register[1]["id"]}"]')
    expect(due_today.locator(".flag")).to_have_text("Review due")
    whole_page(screenshot, desk, "risks-register-desktop")

    # The filters: the residual band, and the entries due for review.
    desk.get_by_label("Residual band").select_option("medium")
    rows = desk.locator("table.risk-list tbody tr")
    medium = desk.locator('[data-label="Residual"] .risk.band-medium')
    expect(rows.filter(has_not=medium)).to_have_count(0)
    expect(row).to_be_visible()
    desk.get_by_label("Residual band").select_option("")
    desk.get_by_label("Review due only").check()
    expect(desk.locator('table.risk-list tbody tr[data-due="false"]')).to_have_count(0)
    expect(due_today).to_be_visible()
    expect(row).to_have_count(0)
    assert "review_due=true" in desk.evaluate("location.hash")

    # A worker reports an injury at the bay; the officer opens it on the desk.
    report_id = send_report(
        worker,
        f"Forklift reversing in the loading bay clipped a picker's ankle {tag}",
        kind="injury",
        site_id=site["id"],
    )
    wait_for_triage(officer, report_id)
    desk.goto(f"{live_server}/#/desk/report/{report_id}")
    panel = desk.locator(".risk-link-panel")
    suggestion = panel.locator(f'.suggestion[data-id="{entry["id"]}"]')
    expect(suggestion).to_contain_text(entry["ref"])
    expect(suggestion).to_contain_text("Same category")
    panel.scroll_into_view_if_needed()
    screenshot(desk, "risk-suggestion-on-report-desktop")
    suggestion.get_by_role("button", name=f"Link to {entry['ref']}").click()
    expect(panel.locator(".concerns")).to_contain_text(f"Concerns risk: {entry['ref']}")
    expect(panel).to_contain_text("due for review: An incident was linked to it")
    assert officer.get(f"/api/reports/{report_id}/risk").json()["risk"]["id"] == entry["id"]

    # The entry says why its review is due, and is reviewed there.
    panel.locator(".concerns a").click()
    page = desk.locator(".risk-page")
    note = page.locator(".review-due-note")
    expect(note).to_contain_text("Review due: An incident was linked to it")
    expect(note).to_contain_text("clipped a picker's ankle")
    links = page.locator('.risk-links li[data-type="report"]')
    expect(links).to_have_count(1)
    expect(links.get_by_role("link")).to_have_attribute("href", f"#/desk/report/{report_id}")
    expect(page.locator(".rating-card.inherent .rating-band")).to_have_text("High")
    expect(page.locator(".rating-card.residual .rating-band")).to_have_text("Medium")
    expect(page.locator(".risk-controls .level")).to_have_count(3)
    expect(page.locator(".risk-controls .level").first).to_have_attribute(
        "data-level", "engineering"
    )
    note.get_by_role("link", name="Review now").click()
    review = desk.locator("form.review-form")
    expect(review).to_be_visible()
    review.locator('[data-rating="review-residual"]').get_by_label("Likelihood").select_option("1")
    review.get_by_role("button", name="Add a control").click()
    review.locator(".controls-edit li").last.get_by_label("Control", exact=True).fill(
        "Pedestrian-free zone marked in the bay while loading"
    )
    review.locator(".controls-edit li").last.get_by_label("Level in the hierarchy").select_option(
        "elimination"
    )
    review.get_by_label("Review notes").fill("Walkway moved out of the bay after the injury.")
    whole_page(screenshot, desk, "risk-review-form-desktop")
    review.get_by_role("button", name="Record the review").click()

    expect(desk.locator('.risk-page[data-due="false"]')).to_be_visible()
    expect(desk.locator(".review-due-note")).to_have_count(0)
    expect(desk.locator(".rating-card.residual .rating-band")).to_have_text("Low")
    history = desk.locator("table.risk-history tbody tr")
    expect(history).to_have_count(2)
    expect(history.nth(0).locator('[data-label="Why"]')).to_have_text(
        "An incident was linked to it"
    )
    expect(history.nth(0).locator('[data-label="Residual"] .risk')).to_have_text("Low")
    expect(history.nth(1).locator('[data-label="Residual"] .risk')).to_have_text("Medium")
    expect(history.nth(0).locator('[data-label="Notes"]')).to_have_text(
        "Walkway moved out of the bay after the injury."
    )
    expect(desk.locator(".risk-controls .level").first).to_have_attribute(
        "data-level", "elimination"
    )
    reviewed = officer.get(f"/api/risks/{entry['id']}").json()
    assert [h["residual"]["score"] for h in reviewed["history"]] == [8, 4]
    assert reviewed["review_reason"] is None
    whole_page(screenshot, desk, "risk-entry-history-desktop")
    context.close()

    context, phone = open_app(browser, live_server, PHONE, role="officer")
    phone.goto(f"{live_server}/#/desk/risks")
    expect(phone.locator(f'table.risk-list tr[data-id="{entry["id"]}"]')).to_be_visible()
    wide_enough(phone, 390)
    screenshot(phone, "risks-register-phone")
    phone.goto(f"{live_server}/#/desk/risk/{entry['id']}")
    expect(phone.locator("table.risk-history tbody tr")).to_have_count(2)
    wide_enough(phone, 390)
    whole_page(screenshot, phone, "risk-entry-phone")
    context.close()


def test_the_overview_shows_the_heat_map_and_what_is_due(
    browser, live_server, officer, register, screenshot
):
    served = officer.get("/api/risks/heatmap").json()
    context, desk = open_app(browser, live_server, DESKTOP, role="officer")
    desk.get_by_role("navigation").get_by_role("link", name="Overview").click()
    heat = desk.locator(".heatmap-panel")
    expect(heat.get_by_role("heading", name="Risk register heat map")).to_be_visible()
    for grid in ("inherent", "residual"):
        cells = heat.locator(f'table[data-grid="{grid}"] td.heat')
        expect(cells).to_have_count(25)
        for severity in range(1, 6):
            for likelihood in range(1, 6):
                cell = heat.locator(
                    f'table[data-grid="{grid}"] td[data-severity="{severity}"]'
                    f'[data-likelihood="{likelihood}"]'
                )
                expect(cell.locator(".heat-count")).to_have_text(
                    str(served[grid][severity - 1][likelihood - 1])
                )
    # The worst corner: catastrophic and almost certain, on top at the right, critical.
    first_row = heat.locator('table[data-grid="inherent"] tbody tr').first
    expect(first_row.locator("th")).to_contain_text("5")
    expect(first_row.locator("td").last).to_have_class(re.compile(r"\bband-critical\b"))
    mezzanine = register[0]
    expect(
        heat.locator(
            f'table[data-grid="residual"] td[data-severity="{mezzanine["residual"]["severity"]}"]'
            f'[data-likelihood="{mezzanine["residual"]["likelihood"]}"] .heat-count'
        )
    ).not_to_have_text("0")
    due = officer.get("/api/risks", params={"review_due": "true", "limit": 500}).json()["items"]
    link = heat.get_by_role("link", name=f"{len(due)} entr")
    expect(link).to_have_attribute("href", "#/desk/risks?review_due=true")
    heat.scroll_into_view_if_needed()
    screenshot(desk, "risks-heatmap-desktop")
    link.click()
    expect(desk.get_by_label("Review due only")).to_be_checked()
    expect(desk.locator("table.risk-list tbody tr")).to_have_count(len(due))
    context.close()

    context, phone = open_app(browser, live_server, PHONE, role="officer")
    phone.get_by_role("navigation").get_by_role("link", name="Overview").click()
    expect(phone.locator(".heatmap-panel table.heatmap").first).to_be_visible()
    wide_enough(phone, 390)
    phone.locator(".heatmap-panel").scroll_into_view_if_needed()
    screenshot(phone, "risks-heatmap-phone")
    context.close()


def test_a_broken_csv_is_refused_row_by_row_and_nothing_is_imported(
    browser, live_server, officer, site, tmp_path, screenshot
):
    tag = uuid.uuid4().hex[:6]
    header = (
        "ref,site,kind,activity,hazard,who,category,severity,likelihood,controls,"
        "residual_severity,residual_likelihood,owner,review_on"
    )
    good = (
        f",{site['code']},risk,Jet washing the yard {tag},Slips on the wet yard,Yard team,,"
        "2,3,Non-slip boots [ppe],2,2,officer@demo.safeloop.test,2030-01-31"
    )
    broken = (
        f",{site['code']},risk,Grinding in the workshop {tag},Sparks and flying swarf,Fitters,,"
        "7,3,Guard on the grinder [engineering],2,2,officer@demo.safeloop.test,2030-01-31"
    )
    path = tmp_path / "register.csv"
    path.write_text("\n".join([header, good, broken]) + "\n")
    context, desk = open_app(browser, live_server, DESKTOP, role="officer")
    desk.goto(f"{live_server}/#/desk/risks")
    desk.get_by_label("Import a CSV file").set_input_files(str(path))
    desk.get_by_role("button", name="Import", exact=True).click()
    errors = desk.locator("table.import-errors")
    expect(errors.locator("caption")).to_contain_text("nothing was imported")
    problem = errors.locator("tbody tr", has_text="severity")
    expect(problem.locator("td").first).to_have_text("3")
    assert officer.get("/api/risks", params={"q": tag}).json()["items"] == []
    screenshot(desk, "risks-import-errors-desktop")

    path.write_text("\n".join([header, good]) + "\n")
    desk.get_by_label("Import a CSV file").set_input_files(str(path))
    desk.get_by_role("button", name="Import", exact=True).click()
    expect(desk.locator(".import-done")).to_contain_text("1 new")
    imported = desk.locator("table.risk-list tbody tr", has_text=f"Jet washing the yard {tag}")
    expect(imported).to_be_visible()
    export = desk.get_by_role("link", name="Export CSV")
    exported = desk.request.get(f"{live_server}{export.get_attribute('href')}")
    assert exported.ok and f"Jet washing the yard {tag}" in exported.text()
    context.close()


def test_a_worker_reads_the_site_risks_on_a_phone_with_no_network(
    browser, server, live_server, site, register, screenshot
):
    context, phone = open_app(browser, live_server, PHONE, role="worker")
    wait_for_service_worker(phone)
    phone.get_by_role("navigation").get_by_role("link", name="Site risks").click()
    expect(phone.get_by_role("heading", name="Site risks")).to_be_visible()
    tab = phone.get_by_role("navigation").get_by_role("link", name="Site risks")
    expect(tab).to_have_attribute("aria-current", "true")
    mezzanine = phone.locator(f'.site-risk[data-id="{register[0]["id"]}"]')
    expect(mezzanine).to_contain_text("Fixed guard rail along the mezzanine edge")
    expect(mezzanine.locator(".level").first).to_have_attribute("data-level", "engineering")
    expect(mezzanine.locator(".risk")).to_have_text("Medium")
    expect(phone.locator(".site-risks .message")).to_contain_text("Up to date")
    wide_enough(phone, 390)

    # No network at all: the page opens again from the phone's copy.
    server.stop()
    phone.reload()
    expect(phone.get_by_role("heading", name="Site risks")).to_be_visible()
    expect(phone.locator(".site-risks .message")).to_contain_text("No network")
    expect(mezzanine).to_contain_text("Fixed guard rail along the mezzanine edge")
    expect(mezzanine).to_contain_text("Permit for any work beyond the rail")
    cards = phone.locator(f'.site-risks-site[data-site="{site["id"]}"] .site-risk')
    expect(cards.last).to_have_attribute("data-ref", register[2]["ref"])  # opportunities last
    wide_enough(phone, 390)
    screenshot(phone, "site-risks-offline-phone")
    mezzanine.scroll_into_view_if_needed()
    phone.evaluate("() => window.scrollBy(0, -80)")
    screenshot(phone, "site-risks-phone")
    context.close()


def test_a_major_nc_is_linked_to_an_entry_of_its_site_and_sends_it_to_review(
    browser, live_server, officer, worker, site
):
    tag = uuid.uuid4().hex[:6]
    entry = enter(
        officer,
        site["id"],
        activity=f"Hot work in the fabrication shop {tag}",
        hazard="Sparks set fire to stored packaging",
        category="fire_explosion",
    )
    report_id = send_report(worker, f"Welding next to cardboard {tag}", site_id=site["id"])
    raised = officer.post(
        f"/api/reports/{report_id}/nonconformity", data={"severity": "major", "title": None}
    )
    assert raised.ok, raised.text()
    nc = raised.json()
    context, desk = open_app(browser, live_server, DESKTOP, role="officer")
    desk.goto(f"{live_server}/#/desk/nc/{nc['id']}")
    panel = desk.locator(".risk-link-panel")
    panel.get_by_label("An entry of").select_option(entry["id"])
    panel.get_by_role("button", name="Link", exact=True).click()
    expect(panel.locator(".concerns")).to_contain_text(f"Concerns risk: {entry['ref']}")
    expect(panel).to_contain_text("A major nonconformity was linked to it")
    assert officer.get(f"/api/risks/{entry['id']}").json()["review_reason"] == "major_nc"

    # Unlinked: the NC concerns no entry, and the site's entries are offered again.
    panel.get_by_role("button", name="Unlink").click()
    expect(panel.get_by_label("An entry of")).to_be_visible()
    assert officer.get(f"/api/nonconformities/{nc['id']}/risk").json()["risk"] is None
    context.close()


def test_an_audit_finding_is_linked_from_the_audits_results(
    browser, live_server, officer, screenshot
):
    audit = next(a for a in officer.get("/api/audits?status=submitted").json() if a["findings"])
    tag = uuid.uuid4().hex[:6]
    entry = enter(
        officer,
        audit["site_id"],
        activity=f"Hot work at the quay {tag}",
        hazard="Sparks near stored fuel",
    )
    finding = next(
        f
        for f in officer.get(f"/api/audits/{audit['id']}").json()["findings"]
        if f["result"] == "major_nc"
    )
    context, desk = open_app(browser, live_server, DESKTOP, role="officer")
    desk.goto(f"{live_server}/#/desk/audit/{audit['id']}")
    item = desk.locator(f".finding[data-question='{finding['question_id']}']")
    item.get_by_label("An entry of").select_option(entry["id"])
    item.get_by_role("button", name="Link", exact=True).click()
    expect(item.locator(".concerns")).to_contain_text(f"Concerns risk: {entry['ref']}")
    expect(item).to_contain_text("A major nonconformity was linked to it")
    linked = officer.get(f"/api/risks/{entry['id']}").json()
    assert linked["review_reason"] == "major_nc"
    assert [link["record_type"] for link in linked["links"]] == ["audit_response"]
    item.scroll_into_view_if_needed()
    screenshot(desk, "desktop-audit-finding-linked")
    context.close()
