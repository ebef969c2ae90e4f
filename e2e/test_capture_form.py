"""The capture form on a 390x844 phone, as a worker with gloves on meets it."""

import uuid

from playwright.sync_api import expect

from e2e.conftest import DESKTOP, PHONE
from e2e.journeys import capture, make_photo, synced, unsent
from e2e.steps import covered, fully_in_viewport, hold_sending, open_app

LIMIT = 5000


def test_save_is_in_reach_and_nothing_covers_clear_rating(browser, live_server, screenshot):
    context, page = open_app(browser, live_server, PHONE)
    page.get_by_role("link", name="Hazard", exact=True).click()
    save = page.get_by_role("button", name="Save report")
    expect(save).to_be_visible()
    assert fully_in_viewport(page, save), "Save is below the fold"
    assert not covered(page, save)
    box = save.bounding_box()
    assert box["height"] >= 48 and box["width"] >= 48
    screenshot(page, "phone-capture-top")

    page.locator(".risk-grid .cell").nth(12).click()
    clear = page.get_by_role("button", name="Clear rating")
    # Scrolled into view the way focus scrolls it (to the edge), it must not be under a bar.
    clear.evaluate("(el) => el.scrollIntoView({ block: 'end' })")
    assert fully_in_viewport(page, clear)
    assert not covered(page, clear), "something covers Clear rating"
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    assert not covered(page, clear), "something covers Clear rating at the end of the form"
    screenshot(page, "phone-capture-bottom")
    clear.click(timeout=2000)
    expect(page.locator(".risk-summary")).to_have_text("Risk not rated (optional)")
    context.close()


def test_headings_and_labels_keep_the_case_they_are_written_in(browser, live_server):
    context, page = open_app(browser, live_server, PHONE)
    page.get_by_role("link", name="Near miss", exact=True).click()
    expect(page.locator("legend")).to_be_visible()
    forced = page.evaluate("""() => [...document.querySelectorAll('h1, h2, h3, legend, label')]
        .filter((el) => el.innerText.trim() !== el.textContent.trim().replace(/\\s+/g, ' '))
        .map((el) => `${el.tagName}: ${el.innerText.trim()}`)""")
    assert forced == []
    expect(page.locator("legend")).to_have_text(
        "How bad could it be, and how likely?", use_inner_text=True
    )
    context.close()


def test_a_long_description_shows_a_counter_and_is_never_cut(browser, live_server, screenshot):
    tag = uuid.uuid4().hex[:8]
    context, page = open_app(browser, live_server, PHONE)
    page.get_by_role("link", name="Hazard", exact=True).click()
    description = page.locator("#description")
    counter = page.locator("#description-count")
    description.fill(f"Short {tag}")
    expect(counter).to_be_hidden()

    description.fill(f"{tag} " + "x" * 4600)
    expect(counter).to_be_visible()
    expect(counter).to_have_text(f"{len(tag) + 4601:,} of {LIMIT:,} characters")

    over = f"{tag} " + "y" * (LIMIT + 200 - len(tag) - 1)
    description.fill(over)
    assert len(description.input_value()) == LIMIT + 200, "the text was cut"
    expect(counter).to_contain_text("200 characters over the limit of 5,000")
    counter.scroll_into_view_if_needed()
    screenshot(page, "phone-capture-counter")
    page.get_by_role("button", name="Save report").click()
    expect(page.locator(".message.error")).to_contain_text("200 characters over")
    expect(page.get_by_role("heading", name="My reports")).to_have_count(0)

    description.fill(over[:LIMIT])
    expect(counter).to_have_text(f"{LIMIT:,} of {LIMIT:,} characters: the limit")
    page.get_by_role("button", name="Save report").click()
    card = synced(page).filter(has_text=tag)
    expect(card).to_have_count(1, timeout=15_000)
    assert len(card.locator(".text").inner_text()) == LIMIT
    context.close()


def test_the_new_report_is_in_view_after_saving(browser, live_server, screenshot):
    tag = uuid.uuid4().hex[:8]
    context, page = open_app(browser, live_server, PHONE)
    release = hold_sending(page)
    for number in range(4):
        capture(page, f"Earlier report {number} {tag}")
    capture(page, f"The newest report {tag}")
    expect(unsent(page)).to_have_count(5)
    newest = unsent(page).filter(has_text=f"The newest report {tag}")
    expect(newest).to_be_in_viewport()
    assert "just-saved" in newest.get_attribute("class")
    screenshot(page, "phone-my-reports-just-saved")

    release()
    page.get_by_role("button", name="Sync now").click()
    expect(unsent(page)).to_have_count(0, timeout=20_000)
    sent = synced(page).filter(has_text=f"The newest report {tag}")
    expect(sent).to_be_in_viewport()
    context.close()


def test_a_sent_report_opens_with_its_photos(browser, live_server, tmp_path, screenshot):
    tag = uuid.uuid4().hex[:8]
    context, page = open_app(browser, live_server, PHONE)
    capture(page, f"Oil drum leaking by the gate {tag}", [make_photo(tmp_path)])
    card = synced(page).filter(has_text=tag)
    expect(card).to_have_count(1, timeout=15_000)
    card.click()
    expect(page.get_by_role("heading", name="Hazard")).to_be_visible()
    expect(page.get_by_text(f"Oil drum leaking by the gate {tag}")).to_be_visible()
    thumb = page.get_by_role("img", name="Photo 1")
    expect(thumb).to_be_visible()
    assert "/api/photos/" in thumb.get_attribute("src")
    assert thumb.evaluate("(img) => img.decode().then(() => img.naturalWidth)") > 0
    page.get_by_role("button", name="Show photo 1 large").click()
    large = page.get_by_role("img", name="Photo 1, large")
    expect(large).to_be_visible()
    assert large.evaluate("(img) => img.decode().then(() => img.naturalWidth)") > 0
    screenshot(page, "phone-sent-report")
    page.get_by_role("link", name="← My reports").click()
    expect(page.get_by_role("heading", name="My reports")).to_be_visible()
    context.close()


def test_the_capture_form_and_my_reports_on_a_desktop(browser, live_server, tmp_path, screenshot):
    tag = uuid.uuid4().hex[:8]
    context, page = open_app(browser, live_server, DESKTOP)
    page.get_by_role("link", name="Injury", exact=True).click()
    save = page.get_by_role("button", name="Save report")
    assert fully_in_viewport(page, save) and not covered(page, save)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1440
    page.set_input_files("#gallery", str(make_photo(tmp_path)))
    page.fill("#description", f"Bruised knee on the loading ramp {tag}")
    screenshot(page, "desktop-capture")
    save.click()
    card = synced(page).filter(has_text=tag)
    expect(card).to_have_count(1, timeout=15_000)
    screenshot(page, "desktop-my-reports")
    card.click()
    thumb = page.get_by_role("img", name="Photo 1")
    assert thumb.evaluate("(img) => img.decode().then(() => img.naturalWidth)") > 0
    screenshot(page, "desktop-sent-report")
    context.close()
