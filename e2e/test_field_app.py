"""The field app as a person meets it: installable, offline start, bad files, expired sessions."""

import json
import uuid

from playwright.sync_api import expect

from e2e.conftest import DESKTOP, PHONE
from e2e.journeys import capture, make_photo, sign_in, synced, unsent, wait_for_service_worker


def test_manifest_makes_the_app_installable(browser, live_server):
    context = browser.new_context()
    response = context.request.get(live_server + "/manifest.webmanifest")
    assert response.headers["content-type"].startswith("application/manifest+json")
    manifest = json.loads(response.text())
    assert manifest["display"] == "standalone" and manifest["start_url"].startswith("/")
    sizes = {(icon["sizes"], icon.get("purpose", "any")) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in manifest["icons"]:
        assert context.request.get(live_server + icon["src"]).ok
    context.close()


def test_the_app_starts_offline_after_one_online_sign_in(browser, server, live_server, screenshot):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(live_server)
    screenshot(page, "phone-sign-in")
    sign_in(page)
    wait_for_service_worker(page)
    server.stop()
    page.reload()
    expect(page.get_by_role("heading", name="What did you see?")).to_be_visible()
    targets = page.locator(".kind, .tabs a, .tabs button, #sync-now")
    for index in range(targets.count()):
        box = targets.nth(index).bounding_box()
        assert box["height"] >= 48 and box["width"] >= 48
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "phone-kinds-offline")
    context.close()


def test_a_file_that_is_not_an_image_is_refused_and_the_report_kept(
    browser, live_server, tmp_path, screenshot
):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(live_server)
    sign_in(page)
    page.get_by_role("link", name="Near miss").click()
    page.fill("#description", "Forklift reversed without looking")
    fake = tmp_path / "notes.jpg"
    fake.write_text("this is not a picture")
    page.set_input_files("#gallery", str(fake))
    expect(page.locator(".message.error")).to_contain_text("is not a photo this app can read")
    expect(page.locator("#description")).to_have_value("Forklift reversed without looking")
    page.set_input_files("#gallery", str(make_photo(tmp_path)))
    expect(page.locator(".thumbs img")).to_have_count(1)
    page.locator(".risk-grid .cell").nth(3).click()
    screenshot(page, "phone-capture")
    page.get_by_role("button", name="Save report").click()
    # The account's earlier reports (other journeys) are on this phone too: find this one.
    sent = synced(page).filter(has_text="Forklift reversed without looking")
    expect(sent).to_have_count(1, timeout=15_000)
    context.close()


def test_an_expired_session_keeps_the_outbox_and_syncs_after_signing_in(
    browser, server, live_server, tmp_path
):
    tag = uuid.uuid4().hex[:8]
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(live_server)
    sign_in(page)
    wait_for_service_worker(page)
    server.stop()
    context.set_offline(True)
    context.clear_cookies()
    capture(page, f"Guard missing on saw {tag}", [make_photo(tmp_path)])
    expect(unsent(page)).to_have_count(1)
    expect(page.locator("#network")).to_contain_text("Offline")

    server.start()
    context.set_offline(False)  # the "online" event starts a sync
    expect(page.get_by_role("status").filter(has_text="session has ended")).to_be_visible()
    sign_in(page)
    page.get_by_role("link", name="My reports").click()
    expect(unsent(page)).to_have_count(0, timeout=15_000)
    expect(synced(page).filter(has_text=tag)).to_have_count(1)
    context.close()


def test_desktop_layout(browser, live_server, screenshot):
    context = browser.new_context(**DESKTOP)
    page = context.new_page()
    page.goto(live_server)
    sign_in(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1440
    screenshot(page, "desktop-kinds")
    context.close()


def test_my_reports_shows_the_triage_result(browser, live_server, tmp_path, screenshot):
    tag = uuid.uuid4().hex[:8]
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(live_server)
    sign_in(page)
    capture(page, f"Exposed live wires at the distribution board {tag}", kind="Hazard", risk_cell=2)
    card = synced(page).filter(has_text=tag)
    expect(card).to_have_count(1, timeout=15_000)
    for _ in range(40):
        if card.locator(".triage").count():
            break
        page.wait_for_timeout(500)
        page.get_by_role("button", name="Sync now").click()
    expect(card.locator(".triage")).to_contain_text("Priority P")
    expect(card.locator(".triage")).to_contain_text("Electrical")
    expect(card.locator(".server-status")).to_have_text("Triaged")
    screenshot(page, "phone-synced-triaged")
    context.close()
