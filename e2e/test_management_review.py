"""The management review on the desk: an officer opens a review of last quarter, sees the figures
the test made (injuries and near misses reported back then), records the attendees and a decision
with an action for a named owner, holds the review, and downloads the pack, whose text carries
the decision, the action and a figure. The review page is looked at on a desktop and a phone."""

import re
import subprocess
import uuid
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import APIRequestContext, Page, expect

from e2e.conftest import ARTIFACTS, DESKTOP, PHONE
from e2e.steps import api_session, open_app


def last_quarter(today: date | None = None) -> tuple[date, date]:
    """The last whole calendar quarter before today."""
    today = today or date.today()
    first_month = (today.month - 1) // 3 * 3 + 1  # this quarter's first month
    end = date(today.year, first_month, 1) - timedelta(days=1)
    return date(end.year, end.month - 2, 1), end


@pytest.fixture(scope="module")
def officer(browser, server) -> APIRequestContext:
    return api_session(browser, server.url, "officer")


@pytest.fixture(scope="module")
def worker(browser, server) -> APIRequestContext:
    return api_session(browser, server.url, "worker")


def report_back_then(worker: APIRequestContext, kind: str, day: date, tag: str) -> None:
    """A report observed on a day of last quarter, sent as a phone sends it."""
    site_id = worker.get("/api/auth/me").json()["sites"][0]["id"]
    item = {
        "id": str(uuid.uuid4()),
        "kind": kind,
        "site_id": site_id,
        "observed_at": f"{day.isoformat()}T10:30:00+00:00",
        "description": f"{kind.replace('_', ' ')} at the loading bay ({tag})",
        "severity": 3,
        "likelihood": 2,
        "photos": [],
    }
    response = worker.post("/api/sync", data={"reports": [item]})
    assert response.ok and response.json()["results"][0]["status"] == "created", response.text()


def figure_row(page: Page, table: str, name: str):
    return page.locator(f'.review-figures[data-figures="{table}"] tr[data-figure="{name}"]')


def pdf_text(path: Path) -> str:
    done = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    )
    return re.sub(r"\s+", " ", done.stdout.decode())


def whole_page(page: Page, name: str) -> Path:
    """A full-page screenshot from the top into the artifacts folder."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("() => window.scrollTo(0, 0)")
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def test_an_officer_holds_a_review_and_downloads_its_pack(
    browser, live_server, officer, worker, tmp_path
):
    start, end = last_quarter()
    tag = uuid.uuid4().hex[:6]
    context, desk = open_app(browser, live_server, DESKTOP, role="officer")
    errors: list[str] = []
    desk.on("pageerror", lambda error: errors.append(str(error)))
    desk.get_by_role("navigation", name="Main").get_by_role("link", name="Reviews").click()
    expect(desk.get_by_role("heading", name="Management reviews")).to_be_visible()
    box = desk.locator("details.open-review-box")
    if box.get_attribute("open") is None:
        box.locator("summary").click()
    form = desk.locator("form.open-review")
    expect(form.get_by_label(re.compile("^Last quarter"))).to_be_checked()
    expect(form.get_by_label("From", exact=True)).to_have_value(start.isoformat())
    expect(form.get_by_label("To (inclusive)")).to_have_value(end.isoformat())
    form.get_by_label("Title (optional").fill(f"Plant review {tag}")
    form.get_by_role("button", name="Open the review").click()
    expect(desk.get_by_role("heading", name=f"Plant review {tag}")).to_be_visible()
    review_id = desk.url.rsplit("/", 1)[-1]

    # What the records held before the test's own reports of last quarter.
    before = officer.get(f"/api/reviews/{review_id}").json()["inputs"]["performance"]["incidents"]
    injuries, near_misses = before["current"]["injury"], before["current"]["near_miss"]
    report_back_then(worker, "injury", start + timedelta(days=9), tag)
    report_back_then(worker, "injury", end - timedelta(days=20), tag)
    for days in (15, 40, 70):
        report_back_then(worker, "near_miss", start + timedelta(days=days), tag)

    desk.reload()
    expect(desk.locator(".review-page")).to_be_visible()
    expect(desk.locator(".review-facts .period")).to_have_text(
        re.compile(rf"^{start.day} \w+ – {end.day} \w+ {end.year}$")
    )
    expect(figure_row(desk, "kinds", "Injury").locator("td.now")).to_have_text(str(injuries + 2))
    expect(figure_row(desk, "kinds", "Near miss").locator("td.now")).to_have_text(
        str(near_misses + 3)
    )
    for name in ("comparison", "incidents-by-month", "rates", "heat-map", "audit-scores"):
        image = desk.locator(f'.review-chart[data-chart="{name}"] img')
        expect(image).to_be_visible()
        # decode() waits for the picture and fails on one the browser cannot draw.
        assert image.evaluate("img => img.decode().then(() => img.naturalWidth)") > 0, name
    sections = desk.locator(".review-section").evaluate_all(
        "els => els.map(e => e.dataset.section)"
    )
    assert sections == list("abcdefg")

    owner = next(u for u in officer.get("/api/users").json() if u["role"] == "worker")
    outputs = desk.locator("form.review-outputs")
    outputs.get_by_label("Attendees").fill("Pat Plant (plant manager)\nOlga Officer (HSE)")
    outputs.get_by_role("textbox", name="Decision 1").fill(
        f"Mark the forklift aisles in hall 2 ({tag})."
    )
    outputs.get_by_role("button", name="Save the outputs").click()
    expect(outputs.get_by_role("status")).to_have_text("Outputs saved.")

    action = desk.locator("form.review-action")
    if desk.locator("details.add-action-box").get_attribute("open") is None:
        desk.locator("details.add-action-box summary").click()
    action.get_by_label("What is to be done").fill(f"Paint the aisle lines ({tag})")
    roles = {r["value"]: r["label"] for r in officer.get("/api/lists").json()["roles"]}
    action.get_by_label("Owner").select_option(label=f"{owner['name']} ({roles[owner['role']]})")
    action.get_by_label("Site").select_option(index=1)
    action.get_by_role("button", name="Add the action").click()
    listed = desk.locator(".review-actions tbody tr")
    expect(listed).to_have_count(1)
    expect(listed.first).to_contain_text(f"Paint the aisle lines ({tag})")
    expect(listed.first).to_contain_text(owner["name"])

    desk.get_by_role("button", name="Hold the review").click()
    desk.get_by_role("dialog").get_by_role("button", name="Hold the review").click()
    expect(desk.locator('.review-page[data-status="held"]')).to_be_visible()
    expect(desk.locator(".review-page form")).to_have_count(0)  # held: read only
    expect(desk.locator(".decisions")).to_contain_text(
        f"Mark the forklift aisles in hall 2 ({tag})."
    )

    with desk.expect_download() as waiting:
        desk.get_by_role("link", name="Download the pack (PDF)").click()
    download = waiting.value
    assert download.suggested_filename == f"Plant review {tag}.pdf"
    pack = tmp_path / "pack.pdf"
    download.save_as(pack)
    text = pdf_text(pack)
    assert f"Mark the forklift aisles in hall 2 ({tag})." in text
    assert f"Paint the aisle lines ({tag}) {owner['name']}" in text
    assert f"Injury {injuries + 2} " in text and "DRAFT" not in text

    desk.get_by_role("link", name="← Management reviews").click()
    row = desk.locator(f'.review-list tr[data-id="{review_id}"]')
    expect(row).to_have_attribute("data-status", "held")
    expect(row).to_contain_text(f"Plant review {tag}")
    desk.go_back()
    expect(desk.locator('.review-page[data-status="held"]')).to_be_visible()

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-r", "70", "-png", str(pack), str(ARTIFACTS / "pack-page")], check=True
    )
    desk.set_viewport_size(DESKTOP["viewport"])
    whole_page(desk, "review-desktop-1440x900")
    assert not errors, errors
    desk.evaluate("() => window.scrollTo(0, 0)")
    desk.screenshot(path=str(ARTIFACTS / "review-desktop-first-screen.png"))
    context.close()

    phone_context, phone = open_app(browser, live_server, PHONE, role="officer")
    phone.goto(f"{live_server}/#/desk/review/{review_id}")
    expect(phone.locator('.review-page[data-status="held"]')).to_be_visible()
    expect(figure_row(phone, "kinds", "Injury").locator("td.now")).to_have_text(str(injuries + 2))
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["viewport"]["width"]
    whole_page(phone, "review-phone-390x844")
    phone_context.close()


def test_an_officer_sets_an_objective_and_enters_the_hours_worked(browser, live_server):
    start, _end = last_quarter()
    title = f"Lost-time injuries per 200,000 hours ({uuid.uuid4().hex[:6]})"
    context, desk = open_app(browser, live_server, DESKTOP, role="officer")
    desk.goto(f"{live_server}/#/desk/reviews")
    panel = desk.locator(".objectives-panel")
    panel.locator("details.add-objective-box summary").click()
    form = panel.locator("form.add-objective")
    form.get_by_label("Objective", exact=True).fill(title)
    form.get_by_label("Measured by").select_option("injury_rate")
    expect(form.get_by_label("Unit")).to_have_value("per 200,000 h")
    form.get_by_label("Met when the value is").select_option("at_most")
    form.get_by_label("Target").fill("1")
    form.get_by_role("button", name="Add the objective").click()
    expect(panel.locator(".objective-notice")).to_have_text(f"Objective added: {title}.")
    row = panel.locator(".objective-list tr", has_text=title)
    expect(row.locator('td[data-label="Target"]')).to_have_text("≤ 1 per 200,000 h")
    expect(row.locator('td[data-label="Last quarter"]')).to_have_text("—")  # no hours yet

    panel.locator("details.figures-box summary").click()
    figures = panel.locator("form.objective-figure")
    figures.get_by_label("Objective", exact=True).select_option(label=title)
    figures.get_by_label("Month", exact=True).fill(start.strftime("%Y-%m"))
    figures.get_by_label("Hours worked in the month").fill("200000")
    figures.get_by_role("button", name="Save the figure").click()
    expect(panel.locator(".objective-notice")).to_contain_text(f"Figure saved: {title}")
    # Injuries of last quarter per 200,000 hours: as many as the quarter's injuries.
    expect(row.locator('td[data-label="Last quarter"]')).to_have_text(
        re.compile(r"^\d+ per 200,000 h$")
    )
    expect(panel.locator("details.figures-box")).to_have_attribute("open", "")
    context.close()
