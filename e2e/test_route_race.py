"""A slow answer for a screen the person already left never draws over the screen they went to."""

import uuid

from playwright.sync_api import Page, Route, expect

from e2e.conftest import DESKTOP, PHONE
from e2e.journeys import synced
from e2e.steps import api_session, open_app, send_report


class Held:
    """Requests matching a URL pattern wait here until release() lets them through."""

    def __init__(self, page: Page, pattern: str):
        self.page = page
        self.routes: list[Route] = []
        page.route(pattern, lambda route: self.routes.append(route))

    def wait(self) -> None:
        """Until at least one request is being held."""
        for _ in range(200):
            if self.routes:
                return
            self.page.wait_for_timeout(50)
        raise AssertionError("no request was held")

    def release(self) -> None:
        """Let the held requests reach the server, and wait until their answers have arrived."""
        for route in self.routes:
            with self.page.expect_request_finished(lambda r, route=route: r == route.request):
                route.continue_()
        # The app draws once it has read the answer: give it the moment it would take.
        self.page.wait_for_timeout(700)


def test_a_slow_report_does_not_cover_the_capture_screen(browser, live_server):
    tag = uuid.uuid4().hex[:8]
    context, page = open_app(browser, live_server, PHONE)
    report_id = send_report(api_session(browser, live_server, "worker"), f"Loose handrail {tag}")
    page.get_by_role("navigation").get_by_role("link", name="My reports").click()
    page.get_by_role("button", name="Sync now").click()
    card = synced(page).filter(has_text=tag)
    expect(card).to_have_count(1, timeout=15_000)

    held = Held(page, f"**/api/reports/{report_id}")
    card.get_by_role("link").click()
    held.wait()
    page.get_by_role("navigation").get_by_role("link", name="Report", exact=True).click()
    expect(page.get_by_role("heading", name="What did you see?")).to_be_visible()
    held.release()

    expect(page.get_by_role("heading", name="What did you see?")).to_be_visible()
    expect(page.get_by_text(f"Loose handrail {tag}")).to_have_count(0)
    assert page.evaluate("location.hash") == "#/report"
    context.close()


def test_a_slow_desk_report_does_not_cover_the_overview(browser, live_server):
    tag = uuid.uuid4().hex[:8]
    send_report(api_session(browser, live_server, "worker"), f"Blocked fire exit {tag}")
    context, desk = open_app(browser, live_server, DESKTOP, role="officer")
    desk.get_by_label("Search").fill(tag)
    desk.get_by_role("button", name="Apply").click()
    row = desk.locator("table.queue tbody tr")
    expect(row).to_have_count(1)

    held = Held(desk, "**/api/reports/*/events")
    row.get_by_role("link").click()
    held.wait()
    desk.get_by_role("navigation").get_by_role("link", name="Overview").click()
    expect(desk.get_by_role("heading", name="Overview")).to_be_visible()
    held.release()

    expect(desk.get_by_role("heading", name="Overview")).to_be_visible()
    expect(desk.get_by_role("heading", name="Triage", exact=True)).to_have_count(0)
    context.close()


def test_a_slow_overview_does_not_cover_the_queue(browser, live_server):
    context, desk = open_app(browser, live_server, DESKTOP, role="officer")
    expect(desk.get_by_role("heading", name="Triage queue")).to_be_visible()

    held = Held(desk, "**/api/overview")
    desk.get_by_role("navigation").get_by_role("link", name="Overview").click()
    held.wait()
    desk.get_by_role("navigation").get_by_role("link", name="Queue").click()
    expect(desk.get_by_role("heading", name="Triage queue")).to_be_visible()
    held.release()

    expect(desk.get_by_role("heading", name="Triage queue")).to_be_visible()
    expect(desk.get_by_role("heading", name="Overview")).to_have_count(0)
    context.close()
