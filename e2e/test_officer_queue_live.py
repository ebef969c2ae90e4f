"""The officer's queue learns of new reports by itself, and says so rather than moving the list."""

import uuid

from playwright.sync_api import expect

from e2e.conftest import DESKTOP
from e2e.steps import api_session, open_app, send_report


def test_a_new_report_shows_as_a_notice_that_the_officer_taps_to_see(
    browser, live_server, screenshot
):
    tag = uuid.uuid4().hex[:8]
    context, desk = open_app(browser, live_server, DESKTOP, role="officer")
    desk.get_by_label("Search").fill(tag)
    desk.get_by_role("button", name="Apply").click()
    rows = desk.locator("table.queue tbody tr")
    expect(rows).to_have_count(0)
    expect(desk.get_by_role("status").filter(has_text="No reports match")).to_be_visible()

    phone = api_session(browser, live_server, "worker")
    send_report(phone, f"Pallet stacked into the walkway {tag}")

    notice = desk.get_by_role("button", name="1 new report")
    expect(notice).to_be_visible(timeout=30_000)
    expect(rows).to_have_count(0)  # the list stays where the officer is looking
    screenshot(desk, "desk-queue-new-reports")
    notice.click()
    expect(rows.filter(has_text=tag)).to_have_count(1)
    expect(notice).to_be_hidden()
    context.close()
