"""The EHS officer's desk: a report from a phone reaches the queue, is overridden and analysed."""

import uuid

from playwright.sync_api import expect

from e2e.conftest import DESKTOP, PHONE
from e2e.journeys import capture, make_photo, sign_in, synced


def wait_for_triage(page, card, text: str):
    """Press Sync now until the card shows triage text (the worker needs a moment)."""
    for _ in range(40):
        if card.locator(".triage").filter(has_text=text).count():
            return
        page.wait_for_timeout(500)
        page.get_by_role("button", name="Sync now").click()
    expect(card.locator(".triage")).to_contain_text(text)


def test_a_phone_report_is_triaged_overridden_and_analysed_at_the_desk(
    browser, live_server, tmp_path, screenshot
):
    tag = uuid.uuid4().hex[:8]
    phone = browser.new_context(**PHONE)
    worker = phone.new_page()
    worker.goto(live_server)
    sign_in(worker, "worker")
    capture(
        worker,
        f"Guard removed from the band saw, blade exposed {tag}",
        [make_photo(tmp_path)],
        risk_cell=7,
    )
    card = synced(worker).filter(has_text=tag)
    expect(card).to_have_count(1, timeout=15_000)
    wait_for_triage(worker, card, "Priority P")

    desk = browser.new_context(**DESKTOP)
    officer = desk.new_page()
    officer.goto(live_server)
    sign_in(officer, "officer")
    row = officer.locator("table.queue tbody tr").filter(has_text=tag)
    expect(row).to_have_count(1, timeout=15_000)
    officer.get_by_label("Search").fill(tag)
    officer.get_by_role("button", name="Apply").click()
    expect(officer.locator("table.queue tbody tr")).to_have_count(1)
    screenshot(officer, "desk-queue")

    row.get_by_role("link").click()
    expect(officer.get_by_role("heading", name="Triage")).to_be_visible()
    expect(officer.locator(".photos-panel img")).to_have_count(1)
    officer.locator(".photos-panel .thumb").click()
    expect(officer.locator(".viewer")).to_contain_text("SHA-256")
    expect(officer.locator(".triage-panel")).to_contain_text("Machinery")

    officer.get_by_text("Override triage").click()
    officer.get_by_label("Priority").select_option("P1")
    officer.get_by_label("Reason (required)").fill("Blade exposed: stop the saw today")
    officer.get_by_role("button", name="Override").click()
    expect(officer.locator(".triage-panel .priority")).to_have_text("P1")
    expect(officer.locator(".log")).to_contain_text("triage overridden")
    expect(officer.locator(".log")).to_contain_text("stop the saw today")
    screenshot(officer, "desk-report", full_page=True)

    officer.get_by_role("button", name="Request analysis").click()
    diagram = officer.locator("img.fishbone")
    expect(diagram).to_be_visible(timeout=20_000)
    methods = officer.locator(".bone").filter(
        has=officer.get_by_role("heading", name="Methods", exact=True)
    )
    methods.get_by_label("New cause under Methods").fill("No lock-out before blade change")
    methods.get_by_role("button", name="Add", exact=True).click()
    expect(methods.locator('input[value="No lock-out before blade change"]')).to_have_count(1)
    diagram.scroll_into_view_if_needed()
    screenshot(officer, "desk-diagram")

    officer.get_by_role("link", name="Overview").click()
    expect(officer.get_by_role("heading", name="Overview")).to_be_visible()
    expect(officer.locator(".chart rect").first).to_be_visible()
    officer.evaluate("window.scrollTo(0, 0)")
    screenshot(officer, "desk-overview")
    desk.close()

    worker.get_by_role("button", name="Sync now").click()
    wait_for_triage(worker, card, "Priority P1")
    phone.close()
