"""A sync of ten reports while the network keeps dropping: nothing lost, nothing doubled."""

import itertools
import uuid

from playwright.sync_api import expect
from sqlalchemy import select

from e2e.conftest import PHONE
from e2e.journeys import capture, make_photo, sign_in, synced, unsent, wait_for_service_worker
from server.extensions import db
from server.reports.models import Report

REPORTS = 10


class FlakyNetwork:
    """Breaks uploads and syncs in turn: refused before the server sees them, or answered by the
    server and then lost on the way back (the case that tempts a client to send twice)."""

    def __init__(self, disruptions: int):
        self.left = disruptions
        self.pattern = itertools.cycle(["lose_answer", "pass", "refuse", "pass", "pass"])
        self.lost_answers = self.refused = 0

    def handle(self, route):
        request = route.request
        writes = request.method in ("PUT", "POST") and "/api/auth/" not in request.url
        if not writes or self.left <= 0:
            route.continue_()
            return
        step = next(self.pattern)
        if step == "pass":
            route.continue_()
            return
        self.left -= 1
        if step == "lose_answer":
            route.fetch()
            self.lost_answers += 1
        else:
            self.refused += 1
        route.abort("connectionreset")


def test_ten_reports_sync_exactly_once_through_a_flaky_network(
    browser, server, live_server, tmp_path
):
    tag = uuid.uuid4().hex[:8]
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(live_server)
    sign_in(page)
    wait_for_service_worker(page)
    server.stop()
    for number in range(REPORTS):
        capture(page, f"Flaky {number} {tag}", [make_photo(tmp_path)])
    expect(unsent(page)).to_have_count(REPORTS)

    network = FlakyNetwork(disruptions=12)
    page.route("**/api/**", network.handle)
    server.start()
    for _ in range(60):
        page.get_by_role("button", name="Sync now").click()
        page.wait_for_timeout(250)
        if unsent(page).count() == 0:
            break
    expect(unsent(page)).to_have_count(0, timeout=15_000)
    expect(synced(page).filter(has_text=tag)).to_have_count(REPORTS)
    assert network.lost_answers >= 3 and network.refused >= 3
    context.close()

    with server.app.app_context():
        reports = db.session.scalars(select(Report).where(Report.description.contains(tag))).all()
        assert len(reports) == REPORTS
        assert len({r.id for r in reports}) == REPORTS
        assert all(len(r.photos) == 1 and r.status != "awaiting_photos" for r in reports)
        db.session.remove()
