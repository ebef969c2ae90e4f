"""The officer's desk at 1440x900: navigation at the top, a queue that reads in one glance, and
overview counts that open the queue filtered to them."""

import uuid

from playwright.sync_api import expect

from e2e.conftest import DESKTOP, PHONE
from e2e.steps import api_session, line_count, open_app, send_report, wait_for_triage

LONG = (
    "Forklift reversing out of bay 4 with the rear camera covered in dust and no banksman, "
    "twice in the same shift, while pickers were crossing to the canteen along the yellow "
    "walkway that runs behind the racking"
)


def test_navigation_is_at_the_top_on_a_desktop_and_at_the_foot_on_a_phone(
    browser, live_server, screenshot
):
    context, desk = open_app(browser, live_server, DESKTOP, role="officer")
    nav = desk.get_by_role("navigation", name="Main")
    # Measured in the page in one step: the bar is drawn again when a tab comes or goes (My
    # audits, once an audit of the officer's is on this device).
    assert nav.evaluate("el => el.getBoundingClientRect().y") < 64, (
        "the navigation is not at the top"
    )
    expect(nav.get_by_role("link", name="Queue")).to_have_attribute("aria-current", "true")
    # Each tab a full target once the bar has settled (it is drawn again as tabs come and go).
    desk.wait_for_function(
        """names => names.every((name) =>
            [...document.querySelectorAll('nav[aria-label="Main"] a')].some((a) =>
                a.textContent.trim() === name && a.getBoundingClientRect().height >= 48))""",
        arg=["Queue", "Overview", "Report"],
    )
    context.close()

    tag = uuid.uuid4().hex[:8]
    send_report(api_session(browser, live_server, "worker"), f"Fire door wedged open {tag}")
    context, phone = open_app(browser, live_server, PHONE, role="officer")
    bottom = phone.get_by_role("navigation", name="Main").evaluate(
        "el => el.getBoundingClientRect().bottom"
    )
    assert bottom == 844, "the phone's tab bar is not at the foot"
    screenshot(phone, "phone-desk-queue")
    phone.get_by_role("link", name=f"Fire door wedged open {tag}").click()
    expect(phone.get_by_role("heading", name="Triage", exact=True)).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "phone-desk-report")
    phone.get_by_role("link", name="← Queue").click()
    phone.get_by_role("navigation").get_by_role("link", name="Overview").click()
    expect(phone.get_by_role("heading", name="Overview")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "phone-desk-overview")
    context.close()


def test_queue_rows_keep_short_columns_on_one_line(browser, live_server, screenshot):
    tag = uuid.uuid4().hex[:8]
    worker = api_session(browser, live_server, "worker")
    officer = api_session(browser, live_server, "officer")
    wait_for_triage(officer, send_report(worker, f"{LONG} {tag}", severity=4, likelihood=3))

    context, desk = open_app(browser, live_server, DESKTOP, role="officer")
    desk.get_by_label("Search").fill(tag)
    desk.get_by_role("button", name="Apply").click()
    row = desk.locator("table.queue tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Demo")  # triaged and assigned
    for header in desk.locator("table.queue th").all():
        assert line_count(header) == 1, header.inner_text()
    cells = row.locator("td")
    for index in (0, 1, 3, 4, 5, 6):
        assert line_count(cells.nth(index)) == 1, cells.nth(index).inner_text()
    assert line_count(cells.nth(2)) <= 3  # two lines of description, one of kind and category
    screenshot(desk, "desk-queue-long")
    context.close()


def test_overview_counts_open_the_queue_filtered_to_them(browser, live_server, screenshot):
    worker = api_session(browser, live_server, "worker")
    officer = api_session(browser, live_server, "officer")
    wait_for_triage(officer, send_report(worker, "Acid spill at the battery charging bay"))

    context, desk = open_app(browser, live_server, DESKTOP, role="officer")
    desk.get_by_role("navigation").get_by_role("link", name="Overview").click()
    expect(desk.get_by_role("heading", name="Overview")).to_be_visible()
    screenshot(desk, "desk-overview-counts", full_page=True)
    by_risk = desk.locator("table.counts").filter(has_text="By risk")
    links = by_risk.locator("a.count-link")
    expect(links).to_have_count(4)  # one per band; "not triaged yet" has no queue filter
    counts = [int(text) for text in links.all_inner_texts()]
    first = next(i for i, n in enumerate(counts) if n > 0)
    band, count = by_risk.locator("tr").nth(first).locator("th").inner_text(), counts[first]
    links.nth(first).click()

    expect(desk.get_by_role("heading", name="Triage queue")).to_be_visible()
    assert f"risk_band={band.lower()}" in desk.evaluate("location.hash")
    expect(desk.locator("select[name=risk_band]")).to_have_value(band.lower())
    rows = desk.locator("table.queue tbody tr")
    expect(rows).to_have_count(min(count, 50))
    for index in range(min(count, 5)):
        expect(rows.nth(index).locator(".risk")).to_have_text(band)

    desk.get_by_role("navigation").get_by_role("link", name="Overview").click()
    by_status = desk.locator("table.counts").filter(has_text="By status")
    triaged = by_status.locator("tr").filter(has_text="Triaged").locator("a.count-link")
    triaged_count = int(triaged.inner_text())
    triaged.click()
    expect(desk.locator("select[name=status]")).to_have_value("triaged")
    expect(rows).to_have_count(min(triaged_count, 50))
    desk.reload()  # the filters are in the URL: a reload (or a shared link) keeps them
    expect(desk.locator("select[name=status]")).to_have_value("triaged")
    context.close()
