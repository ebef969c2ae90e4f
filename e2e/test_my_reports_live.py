"""My reports follows the triage while it is open, without tapping Sync now."""

import uuid

from playwright.sync_api import expect

from e2e.conftest import PHONE
from e2e.journeys import capture, synced
from e2e.steps import api_session, open_app, wait_for_triage


def test_my_reports_shows_an_officers_change_by_itself(browser, live_server, screenshot):
    tag = uuid.uuid4().hex[:8]
    context, page = open_app(browser, live_server, PHONE)
    capture(page, f"Ladder with a cracked rung left by the racking {tag}", risk_cell=17)
    card = synced(page).filter(has_text=tag)
    expect(card).to_have_count(1, timeout=15_000)
    report_id = card.get_attribute("data-id")

    officer = api_session(browser, live_server, "officer")
    computed = wait_for_triage(officer, report_id)
    priority = "P1" if computed["priority"] != "P1" else "P2"
    response = officer.patch(
        f"/api/reports/{report_id}/triage",
        data={"priority": priority, "reason": "Seen it myself: take the ladder out today"},
    )
    assert response.ok, response.text()

    # No tap anywhere: the open screen learns of it from the change feed.
    expect(card.locator(".triage")).to_contain_text(f"Priority {priority}", timeout=45_000)
    expect(card.locator(".server-status")).to_have_text("Triaged")
    screenshot(page, "phone-my-reports-live")
    context.close()
