"""Duplicates at the desk: two workers report one fault in two languages; the officer sees a
likely duplicate with its reasons, confirms it, and the queue shows one item for both."""

import time
import uuid

from playwright.sync_api import expect

from e2e.conftest import DESKTOP, PHONE
from e2e.steps import api_session, open_app, send_report, wait_for_triage

NO_HOT_WATER = "no hot water in mens toilets block B for 2 days now"
ACQUA_FREDDA = "bagni uomini blocco b acqua calda non funziona da due giorni"


def wait_for_pair(officer, report_id: str, other_id: str, timeout_s: float = 30) -> dict:
    """The pair as report_id's triage shows it, once both reports are triaged."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        duplicates = officer.get(f"/api/reports/{report_id}/triage").json().get("duplicates", [])
        found = [d for d in duplicates if d["report_id"] == other_id]
        if found:
            return found[0]
        time.sleep(0.5)
    raise AssertionError(f"{report_id} and {other_id} were not linked in {timeout_s} s")


def queue_rows(page, tag: str):
    """The queue's rows, searched for tag."""
    page.get_by_label("Search").fill(tag)
    page.get_by_role("button", name="Apply").click()
    return page.locator("table.queue tbody tr")


def test_a_duplicate_in_another_language_is_confirmed_and_merged_in_the_queue(
    browser, live_server, screenshot
):
    tag = uuid.uuid4().hex[:6]
    worker = api_session(browser, live_server, "worker")
    officer = api_session(browser, live_server, "officer")
    first = send_report(worker, f"{NO_HOT_WATER} (ref {tag})")
    second = send_report(worker, f"{ACQUA_FREDDA} (ref {tag})")
    for report_id in (first, second):
        wait_for_triage(officer, report_id)
    pair = wait_for_pair(officer, first, second)
    assert pair["verdict"] == "likely_duplicate", pair

    context, desk = open_app(browser, live_server, DESKTOP, role="officer")
    rows = queue_rows(desk, tag)
    expect(rows).to_have_count(2)
    desk.goto(f"{live_server}/#/desk/report/{first}")
    # Other journeys' reports of the demo site may be linked too: this pair's card is the one
    # that shows the second report.
    other_text = f"{ACQUA_FREDDA} (ref {tag})"
    card = desk.locator("article.duplicate", has_text=other_text)
    expect(card.locator("h4.message")).to_contain_text(pair["verdict_label"])
    for reason in pair["reasons"]:
        expect(card.locator(".reasons")).to_contain_text(reason)
    triage = officer.get(f"/api/reports/{first}/triage").json()
    panel = desk.locator(".triage-panel")
    if triage.get("language_label"):
        expect(panel).to_contain_text(f"Written in {triage['language_label']}")
    expect(panel.locator(".check-category")).to_have_count(1 if triage.get("check_category") else 0)
    screenshot(desk, "desk-report-likely-duplicate-1440", full_page=True)

    phone_context, phone = open_app(browser, live_server, PHONE, role="officer")
    phone.goto(f"{live_server}/#/desk/report/{first}")
    phone_card = phone.locator("article.duplicate", has_text=other_text)
    expect(phone_card.locator("h4.message")).to_contain_text(pair["verdict_label"])
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone_card.scroll_into_view_if_needed()
    screenshot(phone, "desk-report-likely-duplicate-390")

    card.get_by_role("button", name="Confirm duplicate").click()
    expect(card.locator(".badge.confirmed")).to_be_visible()
    expect(desk.locator(".merge-panel")).to_contain_text("2 reports merged here")

    desk.get_by_role("link", name="← Queue").click()
    rows = queue_rows(desk, tag)
    expect(rows).to_have_count(1)
    expect(rows.first.locator(".badge.merged")).to_have_text("2 reports")
    screenshot(desk, "desk-queue-merged-1440")
    phone.goto(f"{live_server}/#/desk")
    rows = queue_rows(phone, tag)
    expect(rows).to_have_count(1)
    expect(rows.first.locator(".badge.merged")).to_have_text("2 reports")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.locator("table.queue").scroll_into_view_if_needed()
    screenshot(phone, "desk-queue-merged-390")

    # The merged-away report says where it went, and leads there.
    desk.goto(f"{live_server}/#/desk/report/{second}")
    merge = desk.locator(".merge-panel")
    expect(merge).to_contain_text("Merged into another report")
    screenshot(desk, "desk-report-merged-away-1440")
    merge.get_by_role("link").click()
    expect(desk.get_by_role("heading", level=2)).to_contain_text(tag)
    expect(desk.locator(".merge-panel")).to_contain_text("2 reports merged here")
    assert desk.url.endswith(first)
    screenshot(desk, "desk-report-merged-here-1440")

    # Not the same after all: apart again in the queue.
    card = desk.locator("article.duplicate", has_text=other_text)
    card.get_by_role("button", name="Not the same: keep apart").click()
    expect(card.locator(".badge.dismissed")).to_be_visible()
    desk.get_by_role("link", name="← Queue").click()
    expect(queue_rows(desk, tag)).to_have_count(2)
    phone_context.close()
    context.close()


def test_the_queue_and_the_report_say_when_to_check_the_category(browser, live_server, screenshot):
    tag = uuid.uuid4().hex[:6]
    worker = api_session(browser, live_server, "worker")
    officer = api_session(browser, live_server, "officer")
    report_id = send_report(worker, f"the thing by the side door is doing it again (ref {tag})")
    triage = wait_for_triage(officer, report_id)
    (item,) = officer.get("/api/queue", params={"q": tag}).json()["items"]

    context, desk = open_app(browser, live_server, DESKTOP, role="officer")
    rows = queue_rows(desk, tag)
    expect(rows).to_have_count(1)
    expect(rows.locator(".badge.check-category")).to_have_count(1 if item["check_category"] else 0)
    if item["check_category"]:
        desk.get_by_label("Category check").select_option("true")
        expect(queue_rows(desk, tag)).to_have_count(1)
    screenshot(desk, "desk-queue-check-category-1440")
    rows.get_by_role("link").click()
    banner = desk.locator(".triage-panel .check-category")
    expect(banner).to_have_count(1 if triage["check_category"] else 0)
    if triage["check_category"]:
        expect(banner).to_contain_text("Check category")
    if triage.get("classifier_version"):
        expect(desk.locator(".triage-panel .classifier")).to_contain_text(
            triage["classifier_version"]
        )
    screenshot(desk, "desk-report-check-category-1440", full_page=True)
    context.close()

    context, phone = open_app(browser, live_server, PHONE, role="officer")
    phone.goto(f"{live_server}/#/desk/report/{report_id}")
    heading = phone.get_by_role("heading", name="Triage", exact=True)
    expect(heading).to_be_visible()
    heading.evaluate("el => el.scrollIntoView({ block: 'start' })")
    phone.mouse.wheel(0, -80)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "desk-report-check-category-390")
    context.close()
