"""One phone, two people: each sees only their own reports, and each one's unsent reports wait
for their owner."""

import uuid

from playwright.sync_api import expect

from e2e.conftest import PHONE
from e2e.journeys import capture, sign_in, synced, unsent
from e2e.steps import api_session, hold_sending, open_app, outbox_items, queue_ids, sign_out


def test_the_next_person_on_a_shared_phone_sees_none_of_the_previous_persons_reports(
    browser, live_server, screenshot
):
    tag = uuid.uuid4().hex[:8]
    officer = api_session(browser, live_server, "officer")
    context, page = open_app(browser, live_server, PHONE, role="worker")
    capture(page, f"Cut to the hand on a sharp panel edge {tag}", kind="Injury")
    expect(synced(page).filter(has_text=tag)).to_have_count(1, timeout=15_000)
    release = hold_sending(page)
    capture(page, f"Unsent: loose handrail on the mezzanine {tag}")
    expect(unsent(page)).to_have_count(1)
    sign_out(page, confirm=True)

    sign_in(page, "auditor")
    page.get_by_role("link", name="My reports").click()
    expect(page.get_by_role("heading", name="My reports")).to_be_visible()
    expect(page.locator(".card")).to_have_count(0)
    expect(page.get_by_text(tag)).to_have_count(0)
    expect(page.locator("#unsent")).to_have_text("All sent")
    screenshot(page, "phone-shared-next-person")

    release()
    with page.expect_response(lambda r: "/api/sync?since=" in r.url):
        page.get_by_role("button", name="Sync now").click()
    assert [i["body"]["description"] for i in outbox_items(page) if tag in i["body"]["description"]]
    assert len(queue_ids(officer, tag)) == 1, "the auditor's session sent the worker's report"
    sign_out(page)

    sign_in(page, "worker")
    page.get_by_role("link", name="My reports").click()
    expect(unsent(page)).to_have_count(0, timeout=15_000)
    expect(synced(page).filter(has_text=tag)).to_have_count(2)
    assert len(queue_ids(officer, tag)) == 2
    context.close()
