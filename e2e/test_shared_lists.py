"""The app shows the lists the server serves: a label changed on the server is the label people
see, on the phone's capture form and in the desk's filters, and it stays after going offline."""

import uuid

from playwright.sync_api import BrowserContext, Page, expect

from e2e.conftest import DESKTOP, PHONE
from e2e.journeys import sign_in, synced, wait_for_service_worker
from e2e.steps import api_session, open_app, send_report, wait_for_triage
from server.reports.models import (
    KIND_LABELS,
    KINDS,
    RISK_BAND_LABELS,
    SEVERITY_LABELS,
    STATUS_LABELS,
    STATUS_REPORTER_LABELS,
    STATUSES,
)
from server.triage.rules import CATEGORY_LABELS, PRIORITIES, PRIORITY_LABELS

# (list, value, label the server serves instead of the one in the Python constants)
CHANGED = [
    ("kinds", "near_miss", "Close call"),
    ("statuses", "received", "Queued for triage"),
    ("risk_bands", "high", "Serious"),
    ("severities", 4, "Severe harm"),
]
KINDS_SHOWN = ["Close call" if kind == "near_miss" else KIND_LABELS[kind] for kind in KINDS]


def serve_changed_labels(target: Page | BrowserContext) -> None:
    """Answer GET /api/lists with the server's lists, some labels changed as in CHANGED."""

    def change(route):
        lists = route.fetch().json()
        for name, value, label in CHANGED:
            # The queue's status filter takes the statuses' labels, as the server builds it.
            names = (name, "queue_statuses") if name == "statuses" else (name,)
            for entry in (e for n in names for e in lists[n] if e["value"] == value):
                entry["label"] = label
        route.fulfill(json=lists)

    target.route("**/api/lists", change)


def expect_capture_labels(page: Page) -> None:
    """The kinds to report, and the risk matrix of a report, carry the changed labels."""
    page.get_by_role("navigation").get_by_role("link", name="Report", exact=True).click()
    expect(page.locator(".kinds a")).to_have_text(KINDS_SHOWN)
    page.get_by_role("link", name="Close call", exact=True).click()
    expect(page.get_by_role("heading", name="Close call")).to_be_visible()
    cell = page.get_by_role(
        "button", name="Severity 4 Severe harm, likelihood 3 Possible: Serious risk"
    )
    cell.click()
    expect(page.locator(".risk-summary")).to_have_text("Serious risk (12): Severe harm, possible")


def test_the_capture_form_and_the_queue_filters_show_the_served_labels(
    browser, live_server, screenshot
):
    phone = browser.new_context(**PHONE)
    serve_changed_labels(phone)
    page = phone.new_page()
    page.goto(live_server)
    sign_in(page, "worker")
    page.get_by_role("navigation").get_by_role("link", name="Report", exact=True).click()
    expect(page.locator(".kinds a")).to_have_text(KINDS_SHOWN)
    screenshot(page, "phone-kinds")
    expect_capture_labels(page)
    screenshot(page, "phone-capture-risk")
    phone.close()

    desk = browser.new_context(**DESKTOP)
    serve_changed_labels(desk)
    officer = desk.new_page()
    officer.goto(live_server)
    sign_in(officer, "officer")
    expect(officer.get_by_role("heading", name="Triage queue")).to_be_visible()
    kinds = officer.locator("select[name=kind] option")
    expect(kinds).to_have_text(["All kinds", *KINDS_SHOWN])
    statuses = officer.locator("select[name=status] option")
    shown = ["Queued for triage" if s == "received" else STATUS_LABELS[s] for s in STATUSES]
    expect(statuses).to_have_text(["Open", *shown, "Any status"])
    expect(officer.locator("select[name=risk_band] option")).to_have_text(
        ["Any risk", "Critical", "Serious", "Medium", "Low"]
    )
    officer.get_by_label("Status").select_option(label="Queued for triage")
    expect(officer).to_have_url(f"{live_server}/#/desk?status=received")
    screenshot(officer, "desk-queue-filters")
    desk.close()


def test_the_labels_stay_offline_after_one_sign_in(
    browser_type, browser_type_launch_args, server, live_server, tmp_path, screenshot
):
    profile = tmp_path / "profile"
    launch = {**browser_type_launch_args, **PHONE}
    context = browser_type.launch_persistent_context(profile, **launch)
    page = context.pages[0]
    serve_changed_labels(context)
    page.goto(live_server)
    # Installed first: the lists the app keeps at sign-in are the last ones written.
    wait_for_service_worker(page)
    sign_in(page, "worker")
    expect(page.locator(".kinds a")).to_have_text(KINDS_SHOWN)
    context.close()

    server.stop()
    context = browser_type.launch_persistent_context(profile, **launch)
    page = context.pages[0]
    page.goto(live_server)
    expect_capture_labels(page)
    screenshot(page, "phone-capture-offline")
    context.close()


def test_reports_and_the_desk_read_their_labels_from_the_served_lists(
    browser, live_server, screenshot
):
    tag = uuid.uuid4().hex[:8]
    worker = api_session(browser, live_server, "worker")
    report_id = send_report(
        worker, f"Frayed cable on the pallet wrapper {tag}", severity=4, likelihood=3
    )
    triage = wait_for_triage(api_session(browser, live_server, "officer"), report_id)

    context, page = open_app(browser, live_server, PHONE)
    page.get_by_role("navigation").get_by_role("link", name="My reports").click()
    page.get_by_role("button", name="Sync now").click()
    card = synced(page).filter(has_text=tag)
    expect(card.locator(".server-status")).to_have_text(STATUS_REPORTER_LABELS["triaged"])
    expect(card.locator(".triage")).to_contain_text(
        f"{CATEGORY_LABELS[triage['category']]} · {RISK_BAND_LABELS[triage['risk_band']]} risk"
    )
    screenshot(page, "phone-my-reports")
    context.close()

    for device, name in ((PHONE, "phone"), (DESKTOP, "desktop")):
        context, page = open_app(browser, live_server, device, role="officer")
        expect(page.locator("select[name=status] option").nth(2)).to_have_text(
            STATUS_LABELS["received"]
        )
        screenshot(page, f"{name}-desk-queue")
        page.goto(f"{live_server}/#/desk/report/{report_id}")
        expect(page.get_by_role("heading", name="Triage", exact=True)).to_be_visible()
        page.get_by_text("Override triage").click()
        expect(page.locator("select[name=priority] option")).to_have_text(
            ["Keep", *(PRIORITY_LABELS[p] for p in PRIORITIES)]
        )
        expect(page.locator("select[name=severity] option")).to_have_text(
            ["Keep", *(f"{n} {SEVERITY_LABELS[n]}" for n in range(1, 6))]
        )
        expect(page.locator("select[name=category] option")).to_have_count(len(CATEGORY_LABELS) + 1)
        page.locator("select[name=severity]").scroll_into_view_if_needed()
        screenshot(page, f"{name}-desk-report")
        page.get_by_role("navigation").get_by_role("link", name="Overview").click()
        expect(page.get_by_role("heading", name="Overview")).to_be_visible()
        by_status = page.locator("table.counts", has=page.locator("caption", has_text="By status"))
        expect(by_status).to_contain_text(STATUS_LABELS["triaged"])
        screenshot(page, f"{name}-desk-overview", full_page=True)
        context.close()
