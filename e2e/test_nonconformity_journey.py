"""A nonconformity from a worker's report to its effectiveness check, in two browsers: the officer
raises it on the desk, records 5 Whys and gives the worker an action; the worker, offline on a
phone, marks it done with a photo; back online it syncs exactly once; the officer's check closes it.
"""

import json
import time
import uuid
from datetime import date, timedelta

import pytest
from playwright.sync_api import APIRequestContext, Page, expect
from sqlalchemy import select

from e2e.conftest import DESKTOP, PHONE
from e2e.journeys import make_photo, synced, wait_for_service_worker
from e2e.steps import (
    api_session,
    open_app,
    outbox_items,
    send_report,
    upload_photo,
    wait_for_triage,
)
from server.extensions import db
from server.nonconformities.models import Action
from server.reminders.scan import scan
from tests.live_server import GunicornServer, app_environment

DUE_IN_DAYS = 3


@pytest.fixture(scope="module")
def nc_server(live_app, tmp_path_factory):
    """The journey's own gunicorn on the session's app, with the check allowed at once."""
    log = tmp_path_factory.mktemp("nc-gunicorn") / "gunicorn.log"
    served = GunicornServer(app_environment(live_app, VERIFY_WAIT_DAYS=0), log_path=log).start()
    yield served
    served.kill()


@pytest.fixture
def url(nc_server):
    """The base URL of the journey's server, started again if a step left it stopped."""
    if not nc_server.running:
        nc_server.start()
    return nc_server.url


def whole_page(screenshot, page: Page, name: str) -> None:
    """A full-page screenshot from the top (the sticky header then sits where it belongs)."""
    page.evaluate("() => window.scrollTo(0, 0)")
    screenshot(page, name, full_page=True)


def log_nc(request: APIRequestContext, site_id: int, title: str) -> str:
    """Log a minor NC from a complaint under clause 8.1.2, as the desk's API takes it."""
    body = {
        "id": str(uuid.uuid4()),
        "site_id": site_id,
        "title": title,
        "description": f"{title}: seen by the night shift.",
        "severity": "minor",
        "source": "complaint",
        "clause": "8.1.2",
    }
    response = request.post("/api/nonconformities", data=body)
    assert response.status == 201, response.text()
    return body["id"]


def overdue_and_repeat(app, officer: APIRequestContext, worker: dict, tag: str) -> str:
    """An NC whose correction for the worker is 2 days overdue, and a later one repeating it
    (same site and clause); returns the overdue action's title."""
    site_id = worker["sites"][0]["id"]
    first = log_nc(officer, site_id, f"Forklift route crosses the walkway {tag}")
    action = {
        "id": str(uuid.uuid4()),
        "title": f"Paint a crossing where the walkway meets the route {tag}",
        "kind": "correction",
        "control": "engineering",
        "owner_id": worker["user"]["id"],
        "due_on": date.today().isoformat(),
    }
    response = officer.post(f"/api/nonconformities/{first}/actions", data=action)
    assert response.status == 201, response.text()
    with app.app_context():  # the API takes no day in the past: the days went by
        row = db.session.scalar(select(Action).where(Action.id == uuid.UUID(action["id"])))
        row.due_on = date.today() - timedelta(days=2)
        db.session.commit()
        scan()  # the reminder job's round: the owner is told it is overdue
        db.session.remove()
    log_nc(officer, site_id, f"Forklift on the walkway again {tag}")
    return action["title"]


def lose_first_action_answer(page: Page) -> list[str]:
    """The first POST /api/sync with actions reaches the server, but its answer is lost on the
    way back (the phone must send it again); returns the log of such posts."""
    posts = []

    def handle(route):
        request = route.request
        if request.method != "POST" or "actions" not in json.loads(request.post_data or "{}"):
            route.continue_()
            return
        posts.append(request.post_data)
        if len(posts) == 1:
            route.fetch()  # the server takes it ...
            route.abort("connectionreset")  # ... and the phone never hears back
        else:
            route.continue_()

    page.route("**/api/sync", handle)
    return posts


def wait_for_analysis(request: APIRequestContext, report_id: str, timeout_s: float = 30) -> None:
    """Ask for the report's Ishikawa analysis and wait until the worker has built it."""
    assert request.post(f"/api/reports/{report_id}/analysis").status == 202
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if request.get(f"/api/reports/{report_id}/analysis").json().get("status") == "ready":
            return
        time.sleep(0.5)
    raise AssertionError(f"no analysis of report {report_id} within {timeout_s} s")


def raise_nc(
    page: Page, report_id: str, title: str, severity: str = "Major", clause="", screenshot=None
) -> None:
    """On the report's desk page: Raise NC with a severity, a title and maybe a clause; the
    NC's page opens."""
    page.goto(f"{page.url.split('#')[0]}#/desk/report/{report_id}")
    panel = page.locator(".nc-panel")
    expect(panel.get_by_role("button", name="Raise NC")).to_be_visible()
    if screenshot:
        screenshot(page, "report-raise-nc-desktop")
    panel.get_by_text(severity, exact=True).click()
    panel.get_by_label("Title").fill(title)
    panel.get_by_label("Clause of the standard").fill(clause)
    panel.get_by_role("button", name="Raise NC").click()
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    expect(page.locator(".nc-head .nc-status")).to_have_text("Open")


def record_five_whys(page: Page, whys: list[str], statement: str) -> None:
    """Write the whys one by one, the statement, and save the root cause."""
    for index, why in enumerate(whys):
        if index:
            page.get_by_role("button", name="Add a why").click()
        page.get_by_label(f"Why {index + 1}", exact=True).fill(why)
    page.get_by_label("Root-cause statement").fill(statement)
    page.get_by_role("button", name="Save root cause").click()
    expect(page.locator(".nc-head .nc-status")).to_have_text("Root cause recorded")


def plan_action(page: Page, title: str, owner: str, due_on: str) -> None:
    """Plan an administrative corrective action for owner, due on due_on."""
    form = page.locator("form.plan-action")
    form.get_by_label("What is to be done").fill(title)
    form.get_by_label("Kind").select_option(label="Corrective action")
    form.get_by_label("Control").select_option(label="Administrative control")
    form.get_by_label("Owner").select_option(label=owner)
    form.get_by_label("Due").fill(due_on)
    form.get_by_role("button", name="Plan the action").click()
    expect(page.locator(".nc-actions tbody tr")).to_have_count(1)
    expect(page.locator(".nc-head .nc-status")).to_have_text("Actions planned")


def test_an_nc_is_raised_acted_on_offline_and_closed_by_its_check(
    browser, live_app, nc_server, url, tmp_path, screenshot
):
    tag = uuid.uuid4().hex[:8]
    worker_api = api_session(browser, url, "worker")
    officer_api = api_session(browser, url, "officer")
    photo = upload_photo(worker_api, make_photo(tmp_path))
    report_id = send_report(
        worker_api, f"Guard rail loose on the mezzanine stairs {tag}", photos=[photo]
    )
    wait_for_triage(worker_api, report_id)
    late_title = overdue_and_repeat(
        live_app, officer_api, worker_api.get("/api/auth/me").json(), tag
    )
    phone, worker = open_app(browser, url, PHONE, "worker")
    wait_for_service_worker(worker)

    # The officer raises a major NC from the report, finds the root cause, plans the action.
    desk, officer = open_app(browser, url, DESKTOP, "officer")
    title = f"Loose guard rail, mezzanine stairs {tag}"
    raise_nc(officer, report_id, title, clause="8.1.2", screenshot=screenshot)
    # The same site and clause as the forklift NCs within a year: a repeat, and why.
    expect(officer.locator(".repeat-note")).to_contain_text(f"Forklift on the walkway again {tag}")
    expect(officer.locator(".repeat-note")).to_contain_text("Same site and clause (8.1.2)")
    nc_id = officer.url.rsplit("/", 1)[-1]
    expect(officer.locator(".nc-page .thumb img")).to_have_count(1)  # the report's photo
    expect(
        officer.get_by_role("link", name=f"Guard rail loose on the mezzanine stairs {tag}")
    ).to_be_visible()
    record_five_whys(
        officer,
        ["The rail's bolts worked loose", "Nobody checks the bolts", "No inspection covers stairs"],
        "The stairs are missing from the monthly inspection round.",
    )
    action_title = f"Add the stair rails to the monthly inspection {tag}"
    due_on = (date.today() + timedelta(days=DUE_IN_DAYS)).isoformat()
    plan_action(officer, action_title, "Demo Worker (Worker)", due_on)
    warning = officer.locator(".big-warning")
    expect(warning).to_contain_text("hierarchy of controls")
    whole_page(screenshot, officer, "nc-page-warning-desktop")
    small, officer_phone = open_app(browser, url, PHONE, "officer")
    officer_phone.goto(f"{url}/#/desk/nc/{nc_id}")
    expect(officer_phone.locator(".big-warning")).to_be_visible()
    whole_page(screenshot, officer_phone, "nc-page-warning-phone")
    assert officer_phone.evaluate("() => document.documentElement.scrollWidth") <= 390
    small.close()
    officer.get_by_label("Or record why no higher control").fill(
        "The rail must stay; engineering it away needs the stair rebuilt next year."
    )
    officer.get_by_role("button", name="Record why not").click()
    expect(warning).to_have_count(0)
    expect(officer.locator(".status-note")).to_contain_text("stair rebuilt next year")

    officer.get_by_role("navigation").get_by_role("link", name="NCs").click()
    row = officer.locator(".nc-list tbody tr", has_text=title)
    expect(row).to_contain_text("Demo Worker")
    expect(row).to_contain_text(f"Due in {DUE_IN_DAYS} days")
    rows = officer.locator(".nc-list tbody tr")
    expect(rows.filter(has_text=f"Forklift route crosses the walkway {tag}")).to_contain_text(
        "Overdue by 2 days"
    )
    expect(
        rows.filter(has_text=f"Forklift on the walkway again {tag}").locator(".flag")
    ).to_have_text("Repeat")
    screenshot(officer, "nc-list-desktop")
    officer.get_by_label("Overdue only").check()
    expect(rows.filter(has_text=tag)).to_have_count(1)
    expect(rows.filter(has_text=tag)).to_contain_text("Forklift route crosses the walkway")
    assert "overdue=true" in officer.url  # the filter is in the link
    officer.get_by_label("Overdue only").uncheck()
    expect(rows.filter(has_text=tag)).to_have_count(3)

    # The worker's phone learns of the action by the change feed: My actions appears.
    worker.get_by_role("button", name="Sync now").click()
    worker.get_by_role("navigation").get_by_role("link", name="My actions").click()
    # Other journeys on this server give the demo worker actions of their own: count this one's.
    cards = worker.locator("#open-actions .card", has_text=tag)
    expect(cards).to_have_count(2)
    expect(cards.first).to_contain_text(late_title)  # overdue first
    expect(cards.first).to_contain_text("Overdue by 2 days")
    card = cards.filter(has_text=action_title)
    # The late action's reminder among the worker's others (the demo's training coming due).
    notices = worker.locator(".notices")
    expect(notices.locator(".notice", has_text=late_title)).to_have_count(1)
    expect(worker.locator("nav .tab-badge")).to_have_text(str(notices.locator(".notice").count()))
    expect(card).to_contain_text(f"Due in {DUE_IN_DAYS} days")
    expect(card).to_contain_text(title)
    screenshot(worker, "my-actions-phone")
    notices.get_by_role("button", name="Mark all read").click()
    expect(notices).to_have_count(0)
    expect(worker.locator("nav .tab-badge")).to_have_count(0)
    card.get_by_role("link", name=action_title).click()
    expect(worker.get_by_role("heading", name=action_title)).to_be_visible()
    whole_page(screenshot, worker, "action-phone")

    # The same, on a desktop.
    wide, worker_desk = open_app(browser, url, DESKTOP, "worker")
    tab = worker_desk.get_by_role("navigation").get_by_role("link", name="My actions")
    tab.click()
    expect(worker_desk.locator("#open-actions .card", has_text=action_title)).to_be_visible()
    expect(tab).to_have_attribute("aria-current", "true")
    screenshot(worker_desk, "my-actions-desktop")
    worker_desk.get_by_role("link", name=action_title).click()
    expect(worker_desk.get_by_role("button", name="Mark done")).to_be_visible()
    whole_page(screenshot, worker_desk, "action-desktop")
    wide.close()

    # Offline (the server is gone): the update and its photo are kept on the phone.
    nc_server.kill()
    worker.get_by_label("What was done?").fill(
        "Rails added to the round; bolts tightened and marked."
    )
    worker.set_input_files("#gallery", str(make_photo(tmp_path)))
    expect(worker.locator(".action-done .thumbs img")).to_have_count(1)
    worker.get_by_role("button", name="Mark done").click()
    saved = worker.locator("#done-actions .card", has_text=action_title)
    expect(cards).to_have_count(1)
    expect(saved).to_have_attribute("data-state", "saved")
    expect(saved.locator(".badge")).to_have_text("Saved on this phone")
    (update,) = [item for item in outbox_items(worker) if item["type"] == "action_update"]
    assert update["body"]["status"] == "done" and len(update["photos"]) == 1
    screenshot(worker, "my-actions-saved-offline-phone")

    # Back online: sent once; its first answer is lost, so the phone sends it again.
    posts = lose_first_action_answer(worker)
    nc_server.start()
    worker.get_by_role("button", name="Sync now").click()
    expect(saved).to_have_attribute("data-state", "synced", timeout=30_000)
    assert len(posts) >= 2, "the phone should have sent the update again"
    events = officer_api.get(f"/api/nonconformities/{nc_id}/events").json()
    done = [e for e in events if e["record_type"] == "action" and e["action"] == "done"]
    assert len(done) == 1, done
    screenshot(worker, "my-actions-synced-phone")
    saved.get_by_role("link", name=action_title).click()
    expect(worker.locator(".action-state .badge")).to_have_text("Synced")
    whole_page(screenshot, worker, "action-done-phone")

    # The officer sees it verifying, with its evidence, and records the check: closed.
    officer.goto(f"{url}/#/desk/nc/{nc_id}")
    expect(officer.locator(".nc-head .nc-status")).to_have_text("Verifying")
    evidence = officer.locator(".nc-actions tbody tr").first
    expect(evidence).to_contain_text("Rails added to the round")
    expect(evidence.locator(".thumb img")).to_have_count(1)
    officer.get_by_text("Effective: it has not come back").click()
    officer.get_by_label("What was checked, and what was found").fill(
        "Walked the round with the supervisor: rails on the list, all tight."
    )
    officer.get_by_role("button", name="Record the check").click()
    expect(officer.locator(".nc-head .nc-status")).to_have_text("Closed")
    expect(officer.locator(".last-check")).to_contain_text("Walked the round")
    whole_page(screenshot, officer, "nc-page-desktop")
    officer.get_by_role("navigation").get_by_role("link", name="NCs").click()
    expect(officer.locator(".nc-list tbody tr", has_text=title)).to_contain_text("Closed")
    screenshot(officer, "nc-list-closed-desktop")
    officer.goto(f"{url}/#/desk/report/{report_id}")
    expect(officer.locator(".nc-panel")).to_contain_text("Closed")
    desk.close()

    # The worker sees on their own report that an NC was raised, and where it stands.
    worker.get_by_role("link", name="← My actions").click()
    worker.get_by_role("navigation").get_by_role("link", name="My reports").click()
    worker.get_by_role("button", name="Sync now").click()
    expect(synced(worker).filter(has_text=tag).locator(".nc-line")).to_contain_text("Closed")
    phone.close()

    # The desk on a phone: the list and the page, closed.
    small, officer_phone = open_app(browser, url, PHONE, "officer")
    officer_phone.goto(f"{url}/#/desk/ncs")
    expect(officer_phone.locator(".nc-list tbody tr", has_text=title)).to_be_visible()
    screenshot(officer_phone, "nc-list-phone")
    officer_phone.goto(f"{url}/#/desk/nc/{nc_id}")
    expect(officer_phone.locator(".nc-head .nc-status")).to_have_text("Closed")
    whole_page(screenshot, officer_phone, "nc-page-phone")
    assert officer_phone.evaluate("() => document.documentElement.scrollWidth") <= 390
    small.close()


def test_an_nc_takes_the_reports_fishbone_and_is_cancelled_with_a_reason(browser, url, screenshot):
    tag = uuid.uuid4().hex[:8]
    worker_api = api_session(browser, url, "worker")
    officer_api = api_session(browser, url, "officer")
    report_id = send_report(worker_api, f"Oil leaking under the hydraulic press {tag}")
    wait_for_triage(officer_api, report_id)
    wait_for_analysis(officer_api, report_id)
    desk, officer = open_app(browser, url, DESKTOP, "officer")
    title = f"Hydraulic oil on the press floor {tag}"
    raise_nc(officer, report_id, title, severity="Minor")
    expect(officer.locator(".nc-head .nc-severity")).to_have_text("Minor")

    officer.get_by_label("What was done at once to contain it").fill(
        "Spill kit used; area coned off."
    )
    officer.get_by_role("button", name="Save containment").click()
    expect(officer.locator(".log")).to_contain_text("Updated containment")  # drawn again
    expect(officer.locator("#containment")).to_have_value("Spill kit used; area coned off.")
    officer.get_by_text("Use the report’s Ishikawa analysis").click()
    expect(officer.locator(".ishikawa-choice img.fishbone")).to_be_visible()
    expect(officer.get_by_label("Why 1", exact=True)).to_be_hidden()
    officer.get_by_label("Root-cause statement").fill(
        "The press's seals are past their service life."
    )
    officer.get_by_role("button", name="Save root cause").click()
    expect(officer.locator(".nc-head .nc-status")).to_have_text("Root cause recorded")
    view = officer_api.get(f"/api/nonconformities/{officer.url.rsplit('/', 1)[-1]}").json()
    assert view["root_cause"]["method"] == "ishikawa"
    assert view["root_cause"]["analysis_report_id"] == report_id
    assert view["containment"] == "Spill kit used; area coned off."

    officer.get_by_text("Cancel this nonconformity").click()
    officer.get_by_role("button", name="Cancel the nonconformity").click()
    expect(officer.locator(".cancel-box .message")).to_have_text("Say why it is cancelled.")
    officer.get_by_label("Why it is cancelled (required)").fill("Logged twice: the press is NC 12.")
    officer.get_by_role("button", name="Cancel the nonconformity").click()
    officer.get_by_role("button", name="Cancel it").click()
    expect(officer.locator(".nc-head .nc-status")).to_have_text("Cancelled")
    expect(officer.locator(".status-note")).to_contain_text("Logged twice")
    expect(officer.locator(".log")).to_contain_text("Reason: Logged twice")
    expect(officer.get_by_role("button", name="Save root cause")).to_have_count(0)
    whole_page(screenshot, officer, "nc-page-cancelled-desktop")
    desk.close()
