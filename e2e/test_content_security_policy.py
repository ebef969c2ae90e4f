"""Under the Content-Security-Policy the app and the API docs work; the browser blocks nothing."""

import uuid
from datetime import UTC, datetime

from playwright.sync_api import Page, expect

from e2e.conftest import DESKTOP, PHONE
from e2e.journeys import make_photo, sign_in, synced, wait_for_service_worker
from server.demo import DEMO_PASSWORD, demo_email

# Runs before any script of the page, outside its policy: records what the browser blocks.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__violations.push(`${event.violatedDirective} blocked ${event.blockedURI || 'inline'}`);
});
"""


def watch(page: Page) -> list[str]:
    """Collect the page's CSP violations as the console reports them."""
    seen = []
    page.add_init_script(RECORD_VIOLATIONS)
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and seen.append(message.text),
    )
    return seen


def violations(page: Page, console: list[str]) -> list[str]:
    return console + page.evaluate("window.__violations")


def script_sources(response) -> list[str]:
    """The script-src sources of a response's Content-Security-Policy."""
    for directive in response.headers["content-security-policy"].split(";"):
        name, *sources = directive.split()
        if name == "script-src":
            return sources
    raise AssertionError("no script-src")


def test_the_api_docs_render_under_their_policy(browser, live_server):
    context = browser.new_context(**DESKTOP)
    page = context.new_page()
    console = watch(page)
    response = page.goto(live_server + "/api/docs")
    assert script_sources(response) == ["'self'"]
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Safeloop API")
    expect(page.locator(".opblock-summary-path").first).to_be_visible()
    page.locator(".opblock-summary").first.click()
    expect(page.locator(".opblock-body").first).to_be_visible()
    assert violations(page, console) == []
    context.close()


def test_the_field_app_shows_and_sends_a_photo_under_the_policy(browser, live_server, tmp_path):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    console = watch(page)
    response = page.goto(live_server)
    assert script_sources(response) == ["'self'"]
    sign_in(page)
    wait_for_service_worker(page)
    page.get_by_role("link", name="Hazard", exact=True).click()
    page.set_input_files("#gallery", str(make_photo(tmp_path)))
    preview = page.locator(".thumbs img")
    expect(preview).to_have_count(1)
    assert preview.get_attribute("src").startswith("blob:")
    page.wait_for_function("document.querySelector('.thumbs img').naturalWidth > 0")
    page.fill("#description", "Loose cable across the walkway")
    page.locator(".risk-grid .cell").nth(7).click()
    page.get_by_role("button", name="Save report").click()
    expect(synced(page).filter(has_text="Loose cable")).to_have_count(1, timeout=20000)
    assert violations(page, console) == []
    context.close()


def send_a_report(browser, live_server: str) -> None:
    """A worker's report through the API, so that the overview has something to chart."""
    context = browser.new_context()
    api = context.request
    login = {"email": demo_email("worker"), "password": DEMO_PASSWORD}
    assert api.post(f"{live_server}/api/auth/login", data=login).ok
    site = api.get(f"{live_server}/api/sites").json()[0]
    item = {
        "id": str(uuid.uuid4()),
        "kind": "hazard",
        "site_id": site["id"],
        "observed_at": datetime.now(UTC).isoformat(),
        "description": "Pallet stacked above the guard rail",
        "photos": [],
    }
    assert api.post(f"{live_server}/api/sync", data={"reports": [item]}).ok
    context.close()


def test_the_desk_overview_draws_its_chart_under_the_policy(browser, live_server):
    send_a_report(browser, live_server)
    context = browser.new_context(**DESKTOP)
    page = context.new_page()
    console = watch(page)
    page.goto(live_server)
    sign_in(page, "officer")
    page.get_by_role("link", name="Overview").click()
    expect(page.locator(".chart rect").first).to_be_visible()
    expect(page.locator(".legend li").first).to_be_visible()
    assert violations(page, console) == []
    context.close()
