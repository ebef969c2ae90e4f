"""An officer closes a worker's report with a note; the worker's phone shows it, by itself."""

import uuid

from playwright.sync_api import expect

from e2e.conftest import DESKTOP, PHONE
from e2e.journeys import capture, synced
from e2e.steps import open_app

CLOSING_NOTE = "Cracked rung cut off, ladder tagged out and replaced with a new one from stores"


def test_an_officer_closes_a_report_and_the_worker_sees_the_note(browser, live_server, screenshot):
    tag = uuid.uuid4().hex[:8]
    phone, worker = open_app(browser, live_server, PHONE)
    capture(worker, f"Ladder with a cracked rung by bay 3 {tag}", risk_cell=12)
    card = synced(worker).filter(has_text=tag)
    expect(card).to_have_count(1, timeout=15_000)

    desk, officer = open_app(browser, live_server, DESKTOP, role="officer")
    row = officer.locator("table.queue tbody tr").filter(has_text=tag)
    expect(row).to_have_count(1, timeout=15_000)
    row.get_by_role("link").click()
    panel = officer.locator(".status-panel")
    officer.get_by_role("button", name="Start work").click()
    expect(panel.locator(".status-now")).to_have_text("In progress")
    expect(panel).not_to_contain_text("null")
    expect(officer.locator(".log")).to_contain_text("→ In progress")

    officer.get_by_role("button", name="Close", exact=True).click()
    officer.get_by_role("button", name="Close report").click()
    error = panel.get_by_role("alert")
    expect(error).to_have_text("Write a closing note: say what was done about it.")
    expect(officer.get_by_label("Closing note (required): what was done")).to_be_focused()
    expect(panel).not_to_contain_text("null")
    screenshot(officer, "desk-close-needs-a-note")
    officer.get_by_label("Closing note (required): what was done").fill(CLOSING_NOTE)
    officer.get_by_role("button", name="Close report").click()
    expect(panel.locator(".status-now")).to_have_text("Closed")
    expect(panel.locator(".status-note")).to_have_text(f"Closing note: {CLOSING_NOTE}")
    expect(officer.get_by_role("button", name="Reopen")).to_be_visible()
    expect(officer.locator(".log")).to_contain_text(f"Note: {CLOSING_NOTE}")
    screenshot(officer, "desk-closed-1440")
    officer.set_viewport_size(PHONE["viewport"])
    screenshot(officer, "desk-closed-390")

    # Gone from the open queue, there under the Closed filter.
    officer.set_viewport_size(DESKTOP["viewport"])
    officer.get_by_role("link", name="← Queue").click()
    officer.get_by_label("Search").fill(tag)
    officer.get_by_role("button", name="Apply").click()
    expect(officer.locator(".queue-status .hint")).to_have_text("No reports match these filters.")
    expect(officer.locator("table.queue tbody tr").filter(has_text=tag)).to_have_count(0)
    officer.get_by_label("Status").select_option("closed")
    expect(officer.locator("table.queue tbody tr").filter(has_text=tag)).to_have_count(1)

    # No tap and no reload on the phone: My reports learns of it from the change feed.
    expect(card.locator(".server-status")).to_have_text("Closed", timeout=45_000)
    expect(card.locator(".status-note")).to_have_text(f"Closing note: {CLOSING_NOTE}")
    screenshot(worker, "phone-my-reports-closed-390")
    card.get_by_role("link").click()
    expect(worker.locator(".report-detail .status-note")).to_have_text(
        f"Closing note: {CLOSING_NOTE}"
    )
    expect(worker.locator(".report-detail .server-status")).to_have_text("Closed")
    screenshot(worker, "phone-report-closed-390")
    worker.set_viewport_size(DESKTOP["viewport"])
    screenshot(worker, "phone-report-closed-1440")
    worker.get_by_role("link", name="← My reports").click()
    expect(card.locator(".status-note")).to_be_visible()
    screenshot(worker, "phone-my-reports-closed-1440")
    desk.close()
    phone.close()
