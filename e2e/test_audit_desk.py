"""The officer's desk for audits: the programme and its schedules (a message beside the auditor
who holds no internal-audit competence), a signed-off audit's score, findings with photos and
their NCs, a starter template copied and edited into a new version, and the trends."""

import math
import time
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from playwright.sync_api import APIRequestContext, Page, expect

from e2e.conftest import DESKTOP, PHONE
from e2e.journeys import make_photo
from e2e.steps import api_session, open_app, upload_photo
from server.auth.services import create_user
from server.demo import DEMO_ORGANIZATION, DEMO_PASSWORD
from server.extensions import db


def percent(value: float) -> str:
    """A percent as the desk shows it (halves round up, as JavaScript's Math.round does)."""
    return f"{math.floor(value + 0.5)}%"


def whole_page(screenshot, page: Page, name: str) -> None:
    """A full-page screenshot from the top (the sticky header then sits where it belongs)."""
    page.evaluate("() => window.scrollTo(0, 0)")
    screenshot(page, name, full_page=True)


def wide_enough(page: Page, width: int) -> None:
    """Nothing sticks out sideways: the page scrolls only up and down."""
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def starter(request: APIRequestContext, key: str = "iso45001") -> dict:
    """The organization's copy of a starter template, in full."""
    listed = request.get("/api/audit-templates")
    assert listed.ok, listed.text()
    found = next(t for t in listed.json() if t["starter"] == key)
    return request.get(f"/api/audit-templates/{found['id']}").json()


def new_person(app, role: str, tag: str) -> dict:
    """A new member of the demo organization (so that no other journey gave them competences)."""
    email = f"{role}-{tag}@demo.safeloop.test"
    with app.app_context():
        user = create_user(email, f"Pat Newcomer {tag}", DEMO_PASSWORD, DEMO_ORGANIZATION, role)
        person = {"id": user.id, "name": user.name, "email": email}
        db.session.remove()
    return person


def record_competence(request: APIRequestContext, user_id: int) -> None:
    """An internal-audit qualification, completed a month ago, through the API."""
    body = {
        "module": "internal_audit",
        "title": "ISO 45001 internal auditor course",
        "completed_on": (date.today() - timedelta(days=30)).isoformat(),
    }
    response = request.post(f"/api/users/{user_id}/competences", data=body)
    assert response.status in (200, 201), response.text()


def answer(audit_id: str, question_id: str, result: str, notes=None, photos=()) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "audit_id": audit_id,
        "question_id": question_id,
        "result": result,
        "notes": notes,
        "photos": list(photos),
        "answered_at": datetime.now(UTC).isoformat(),
    }


def signed_off_audit(request: APIRequestContext, site_id: int, folder) -> dict:
    """An ISO 45001 audit started, answered in full through POST /api/sync and signed off: a
    major NC under clause 8, a minor one under 6, both with a photo, an observation under 7."""
    template = starter(request)
    audit_id = str(uuid.uuid4())
    started = request.post(
        "/api/audits", data={"id": audit_id, "template_id": template["id"], "site_id": site_id}
    )
    assert started.status == 201, started.text()
    photos = [upload_photo(request, make_photo(folder))["sha256"] for _ in range(2)]
    special = {
        "8": ("major_nc", "Permit to work not signed for the hot work in bay 2.", photos[:1]),
        "6": ("minor_nc", "Risk register last reviewed 14 months ago.", photos[1:]),
        "7": ("observation", "Toolbox talks are recorded, but not who attended.", ()),
    }
    answers = []
    for section in template["sections"]:
        for index, question in enumerate(section["questions"]):
            result, notes, shown = special.get(section["ref"], ("conforming", None, ()))
            if index:
                result, notes, shown = "conforming", None, ()
            answers.append(answer(audit_id, question["id"], result, notes, shown))
    answers[1]["result"] = "not_applicable"
    synced = request.post("/api/sync", data={"responses": answers})
    assert synced.ok, synced.text()
    statuses = {item["status"] for item in synced.json()["responses"]}
    assert statuses == {"created"}, synced.text()
    signed = request.post(
        f"/api/audits/{audit_id}/submit", data={"signed_at": datetime.now(UTC).isoformat()}
    )
    assert signed.ok, signed.text()
    return signed.json()


@pytest.fixture(scope="module")
def officer(browser, server) -> APIRequestContext:
    """The officer's API session, for what the test sets up and checks."""
    return api_session(browser, server.url, "officer")


@pytest.fixture(scope="module")
def audit(officer, tmp_path_factory) -> dict:
    """The signed-off audit every results step looks at."""
    site_id = officer.get("/api/auth/me").json()["sites"][0]["id"]
    return signed_off_audit(officer, site_id, tmp_path_factory.mktemp("audit-photos"))


def wait_for_planned(request: APIRequestContext, auditor_id: int, timeout_s: float = 30) -> list:
    """The planned audits of an auditor, once the schedule has made them."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        found = request.get("/api/audits", params={"auditor_id": auditor_id}).json()
        if found:
            return found
        time.sleep(0.5)
    raise AssertionError(f"no audits planned for auditor {auditor_id} within {timeout_s} s")


def test_an_officer_plans_audits_with_a_competent_auditor(
    browser, live_server, server, officer, screenshot
):
    tag = uuid.uuid4().hex[:6]
    newcomer = new_person(server.app, "auditor", tag)
    context, desk = open_app(browser, live_server, DESKTOP, role="officer")
    desk.get_by_role("navigation").get_by_role("link", name="Audits").click()
    expect(desk.get_by_role("heading", name="Audit programme")).to_be_visible()
    expect(desk.get_by_role("navigation").get_by_role("link", name="Audits")).to_have_attribute(
        "aria-current", "true"
    )

    form = desk.locator("form.schedule-form")
    if not form.is_visible():
        desk.get_by_text("Add a schedule").click()
    form.get_by_label("Template").select_option(starter(officer)["id"])
    form.get_by_label("Site").select_option(label="Harbour Depot")
    form.get_by_label("Auditor", exact=True).select_option(str(newcomer["id"]))
    form.get_by_text("Quarterly", exact=True).click()
    form.get_by_label("Start day").fill((date.today() + timedelta(days=3)).isoformat())
    form.get_by_role("button", name="Add to the programme").click()
    # The server's own words, beside the auditor's box.
    message = form.locator('.field-error[data-for="auditor_id"]')
    expect(message).to_contain_text("competence")
    expect(form.get_by_label("Auditor", exact=True)).to_have_attribute("aria-invalid", "true")
    screenshot(desk, "programme-auditor-not-competent-desktop")

    # The auditor cannot audit their own work either.
    record_competence(officer, newcomer["id"])
    form.get_by_label("Auditee (optional)").select_option(str(newcomer["id"]))
    form.get_by_role("button", name="Add to the programme").click()
    impartiality = form.locator('.field-error[data-for="auditee_id"]')
    expect(impartiality).to_contain_text("does not audit their own work")
    expect(form.locator(".field-error:not(:empty)")).to_have_count(1)
    expect(message).to_be_empty()

    form.get_by_label("Auditee (optional)").select_option("")
    form.get_by_role("button", name="Add to the programme").click()
    schedules = desk.locator("table.schedule-list")
    expect(schedules.locator("tr", has_text=newcomer["name"])).to_contain_text("Quarterly")
    planned = wait_for_planned(officer, newcomer["id"])
    desk.reload()
    desk.get_by_label("Site").first.select_option(label="Harbour Depot")
    rows = desk.locator("table.audit-list tbody tr", has_text=newcomer["name"])
    expect(rows).to_have_count(len(planned))
    first = rows.first
    expect(first).to_have_attribute("data-state", "due")  # in 3 days: due within the week
    expect(first.locator(".audit-status")).to_have_text("Planned")
    expect(first.locator(".flag.soon")).to_be_visible()
    desk.get_by_label("State").select_option("due")
    others = desk.locator('table.audit-list tbody tr:not([data-state="due"])')
    expect(others).to_have_count(0)
    expect(rows).to_have_count(1)
    assert "state=due" in desk.evaluate("location.hash")
    whole_page(screenshot, desk, "programme-desktop")
    desk.get_by_label("State").select_option("")
    desk.get_by_role("link", name="Calendar").click()
    day = desk.locator(f'.cal-day[data-day="{planned[-1]["due_on"]}"]')
    expect(day.locator(".cal-audit")).to_contain_text("Harbour Depot")
    whole_page(screenshot, desk, "programme-calendar-desktop")

    # Stopped for good: its audits not started yet are cancelled.
    line = desk.locator("table.schedule-list tr", has_text=newcomer["name"])
    line.get_by_role("button", name="Stop").click()
    desk.get_by_role("dialog").get_by_role("button", name="Stop the schedule").click()
    line = desk.locator("table.schedule-list tr", has_text=newcomer["name"])
    expect(line).to_contain_text("Stopped")
    expect(line.get_by_role("button", name="Stop")).to_have_count(0)
    assert {a["status"] for a in wait_for_planned(officer, newcomer["id"])} == {"cancelled"}

    # An audit started now, unplanned: the officer runs it in the field app's runner.
    start = desk.locator("form.start-audit")
    start.get_by_label("Template").select_option(starter(officer)["id"])
    start.get_by_label("Site").select_option(label="Harbour Depot")
    start.get_by_role("button", name="Start an audit now").click()
    expect(desk.locator(".audit-page .facts")).to_contain_text("Unplanned")
    started = desk.evaluate("location.hash").rsplit("/", 1)[1]
    assert officer.get(f"/api/audits/{started}").json()["auditor"]["name"] == "Demo Officer"
    expect(desk.get_by_role("link", name="Run this audit")).to_have_attribute(
        "href", f"#/audit/{started}"
    )
    context.close()

    context, phone = open_app(browser, live_server, PHONE, role="officer")
    phone.goto(f"{live_server}/#/desk/audits?site_id={planned[0]['site_id']}")
    expect(phone.locator("table.audit-list tbody tr").first).to_be_visible()
    wide_enough(phone, 390)
    screenshot(phone, "programme-phone")
    phone.get_by_role("link", name="Calendar").click()
    expect(phone.locator(".cal-day.busy").first).to_be_visible()
    wide_enough(phone, 390)
    screenshot(phone, "programme-calendar-phone")
    context.close()


def test_a_signed_off_audit_shows_its_score_findings_photos_and_ncs(
    browser, live_server, audit, screenshot
):
    context, desk = open_app(browser, live_server, DESKTOP, role="officer")
    desk.goto(f"{live_server}/#/desk/audits?state=done")
    row = desk.locator(f'table.audit-list tr[data-id="{audit["id"]}"]')
    expect(row.locator(".score")).to_have_text(percent(audit["score"]["overall"]))
    expect(row.locator("td").last).to_have_text("2")
    row.get_by_role("link").click()

    page = desk.locator(".audit-page")
    expect(page.locator(".score-overall")).to_have_text(percent(audit["score"]["overall"]))
    sections = page.locator(".section-scores li")
    expect(sections).to_have_count(len(audit["score"]["by_section"]))
    six = next(s for s in audit["score"]["by_section"] if s["ref"] == "6")
    expect(page.locator('.section-scores li[data-ref="6"] .hbar-value')).to_contain_text(
        percent(six["percent"])
    )
    findings = page.locator(".findings").first.locator("li.finding")
    expect(findings).to_have_count(2)
    thumbs = findings.locator(".thumb img")
    expect(thumbs).to_have_count(2)
    for index in range(2):
        thumbs.nth(index).scroll_into_view_if_needed()
        desk.wait_for_function(
            "(img) => img.complete && img.naturalWidth > 0", arg=thumbs.nth(index).element_handle()
        )
    major = findings.filter(has_text="Permit to work not signed")
    expect(major.locator(".audit-result")).to_have_text("Major NC")
    nc_id = next(f for f in audit["findings"] if f["result"] == "major_nc")["nonconformity_id"]
    expect(major.get_by_role("link", name="Open its NC →")).to_have_attribute(
        "href", f"#/desk/nc/{nc_id}"
    )
    expect(page.locator("li.finding.result-observation")).to_contain_text("who attended")
    pdf = page.get_by_role("link", name="Download report (PDF)")
    expect(pdf).to_have_attribute("href", f"/api/audits/{audit['id']}/report.pdf")
    assert (
        desk.request.get(f"{live_server}/api/audits/{audit['id']}/report.pdf").headers[
            "content-type"
        ]
        == "application/pdf"
    )
    whole_page(screenshot, desk, "audit-results-desktop")

    major.locator(".thumb").click()
    expect(major.locator(".viewer img")).to_be_visible()
    major.get_by_role("link", name="Open its NC →").click()
    expect(desk.locator(".nc-page")).to_be_visible()
    expect(desk.locator(".nc-page")).to_contain_text("Permit to work not signed")
    # And back: the NC names the audit it was found in.
    desk.locator(".nc-page a.from-audit").click()
    expect(desk.locator(".score-overall")).to_be_visible()
    assert desk.url.endswith(f"#/desk/audit/{audit['id']}")
    context.close()

    context, phone = open_app(browser, live_server, PHONE, role="officer")
    phone.goto(f"{live_server}/#/desk/audit/{audit['id']}")
    expect(phone.locator(".score-overall")).to_be_visible()
    wide_enough(phone, 390)
    whole_page(screenshot, phone, "audit-results-phone")
    context.close()


def test_a_starter_template_is_copied_and_edited_into_a_new_version(
    browser, live_server, officer, screenshot
):
    tag = uuid.uuid4().hex[:6]
    source = starter(officer, "iso14001")
    context, desk = open_app(browser, live_server, DESKTOP, role="officer")
    desk.goto(f"{live_server}/#/desk/templates")
    row = desk.locator(f'table.template-list tr[data-id="{source["id"]}"]')
    expect(row).to_contain_text("Starter")
    screenshot(desk, "templates-desktop")
    row.get_by_text("Copy…").click()
    row.get_by_label("Name of the copy").fill(f"Harbour environmental walk {tag}")
    row.get_by_role("button", name="Copy", exact=True).click()
    expect(desk.get_by_role("heading", name=f"Harbour environmental walk {tag}")).to_be_visible()
    copy_id = desk.evaluate("location.hash").rsplit("/", 1)[1]
    expect(desk.locator(".version-note")).to_contain_text("not used by any audit yet")

    first = desk.locator(".section-edit").first
    questions = first.locator("li.question-edit")
    count = questions.count()
    questions.nth(0).get_by_label("Question", exact=True).fill(
        f"Is the spill kit at the fuel bay full? {tag}"
    )
    questions.nth(0).get_by_label("Weight (1–10)").fill("3")
    questions.nth(0).get_by_label("Photo needed on an NC").check()
    first.get_by_role("button", name="Add a question").click()
    expect(questions).to_have_count(count + 1)
    added = questions.last
    added.get_by_label("Question", exact=True).fill(f"Are drains marked blue or red? {tag}")
    added.get_by_role("button", name="up").click()  # one place up: before the last starter one
    whole_page(screenshot, desk, "template-editor-desktop")
    desk.get_by_role("button", name="Save the template").click()
    expect(desk.locator(".saved-note")).to_have_text("Saved (version 1).")

    saved = officer.get(f"/api/audit-templates/{copy_id}").json()
    section = saved["sections"][0]
    assert saved["version"] == 1
    assert section["questions"][0]["text"] == f"Is the spill kit at the fuel bay full? {tag}"
    assert section["questions"][0]["weight"] == 3 and section["questions"][0]["evidence_on_nc"]
    assert section["questions"][-2]["text"] == f"Are drains marked blue or red? {tag}"
    assert len(section["questions"]) == count + 1

    # An audit runs version 1: the next save makes version 2, and the screen says so first.
    site_id = officer.get("/api/auth/me").json()["sites"][0]["id"]
    body = {"id": str(uuid.uuid4()), "template_id": copy_id, "site_id": site_id}
    assert officer.post("/api/audits", data=body).status == 201
    desk.reload()
    expect(desk.locator(".version-note")).to_contain_text("Saving makes version 2")
    first = desk.locator(".section-edit").first
    first.locator("li.question-edit").last.get_by_role("button", name="Remove").click()
    expect(first.locator("li.question-edit")).to_have_count(count)
    desk.get_by_role("button", name="Save as version 2").click()
    expect(desk.locator(".saved-note")).to_have_text(
        "Saved as version 2. Audits already run keep version 1."
    )
    assert officer.get(f"/api/audit-templates/{copy_id}").json()["version"] == 2
    ran = officer.get(f"/api/audits/{body['id']}").json()["template"]
    assert ran["version"] == 1 and len(ran["sections"][0]["questions"]) == count + 1

    # A blank question is refused, and its message stands beside it.
    first.locator("li.question-edit").first.get_by_label("Question", exact=True).fill("")
    desk.get_by_role("button", name="Save the template").click()
    error = desk.locator('.field-error[data-for="sections.0.questions.0.text"]')
    expect(error).not_to_be_empty()
    context.close()

    context, phone = open_app(browser, live_server, PHONE, role="officer")
    phone.goto(f"{live_server}/#/desk/template/{copy_id}")
    expect(phone.locator(".section-edit").first.locator("li.question-edit").first).to_be_visible()
    wide_enough(phone, 390)
    screenshot(phone, "template-editor-phone")
    context.close()


def test_the_overview_shows_audit_scores_by_site_and_findings_by_clause(
    browser, live_server, officer, audit, screenshot
):
    context, desk = open_app(browser, live_server, DESKTOP, role="officer")
    desk.get_by_role("navigation").get_by_role("link", name="Overview").click()
    trends = desk.locator(".audit-trends")
    expect(
        trends.get_by_role("heading", name="Audit scores by site (last 12 months)")
    ).to_be_visible()
    site = trends.locator(f'figure.trend[data-site="{audit["site_id"]}"]')
    expect(site).to_contain_text(audit["site_name"])
    expect(site.locator("rect.trend-bar")).not_to_have_count(0)
    served = officer.get("/api/audits/trends").json()
    clause = next(c for c in served["findings_by_clause"] if c["clause"] == "8")
    eight = trends.locator('.clause-bars li[data-clause="8"]')
    expect(eight.locator(".hbar-value")).to_have_text(f"{clause['minor']} {clause['major']}")
    assert clause["major"] >= 1
    assert float(eight.locator(".hbar rect.seg-major").get_attribute("width")) > 0
    trends.scroll_into_view_if_needed()
    screenshot(desk, "overview-trends-desktop")
    context.close()

    context, phone = open_app(browser, live_server, PHONE, role="officer")
    phone.get_by_role("navigation").get_by_role("link", name="Overview").click()
    trends = phone.locator(".audit-trends")
    expect(trends.locator("figure.trend").first).to_be_visible()
    wide_enough(phone, 390)
    trends.scroll_into_view_if_needed()
    screenshot(phone, "overview-trends-phone")
    context.close()
