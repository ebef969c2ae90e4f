"""Training on the desk: an admin records a newcomer's internal-audit course with a photo of the
certificate, the matrix cell turns from missing to valid, and the newcomer can then be named as a
schedule's auditor; the matrix on a phone is a list person by person."""

import uuid
from datetime import date, timedelta

import pytest
from playwright.sync_api import APIRequestContext, Page, expect

from e2e.conftest import DESKTOP, PHONE
from e2e.journeys import make_photo
from e2e.steps import api_session, open_app
from server.auth.services import create_user
from server.demo import DEMO_ORGANIZATION, DEMO_PASSWORD
from server.extensions import db


def whole_page(screenshot, page: Page, name: str) -> None:
    """A full-page screenshot from the top (the sticky header then sits where it belongs)."""
    page.evaluate("() => window.scrollTo(0, 0)")
    screenshot(page, name, full_page=True)


def fits(page: Page, width: int) -> None:
    """No box of the screen (below the header) reaches past the right edge; the matrix may be
    wider than its box when modules are many, and scrolls sideways inside it."""
    wider = page.evaluate(
        """(width) => [...document.querySelectorAll('main *')]
        .filter((el) => !el.parentElement.closest('.train-wide'))
        .filter((el) => el.getBoundingClientRect().right > width + 1)
        .slice(0, 5).map((el) => `${el.tagName}.${el.className}`)""",
        width,
    )
    assert not wider, wider


def wide_enough(page: Page, width: int) -> None:
    """Nothing sticks out sideways: the page scrolls only up and down, no box is cut at the edge."""
    fits(page, width)
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def new_person(app, role: str, tag: str) -> dict:
    """A new member of the demo organization (so that no other journey gave them records)."""
    email = f"{role}-{tag}@demo.safeloop.test"
    with app.app_context():
        user = create_user(email, f"Robin Trainee {tag}", DEMO_PASSWORD, DEMO_ORGANIZATION, role)
        person = {"id": user.id, "name": user.name, "email": email}
        db.session.remove()
    return person


@pytest.fixture(scope="module")
def admin(browser, server) -> APIRequestContext:
    return api_session(browser, server.url, "admin")


def starter_template(request: APIRequestContext) -> dict:
    listed = request.get("/api/audit-templates")
    assert listed.ok, listed.text()
    return next(t for t in listed.json() if t["starter"] == "iso45001")


def schedule(request: APIRequestContext, auditor_id: int):
    """POST /api/audit-schedules naming the person as auditor; the response."""
    site_id = request.get("/api/auth/me").json()["sites"][0]["id"]
    body = {
        "id": str(uuid.uuid4()),
        "template_id": starter_template(request)["id"],
        "site_id": site_id,
        "auditor_id": auditor_id,
        "rrule": "FREQ=MONTHLY",
        "starts_on": (date.today() + timedelta(days=5)).isoformat(),
    }
    return request.post("/api/audit-schedules", data=body)


def matrix_cell(page: Page, person: dict, module: str = "internal_audit"):
    row = page.locator(f'table.train-matrix tr[data-user="{person["id"]}"]')
    return row.locator(f'.train-cell[data-module="{module}"]')


def test_an_admin_records_a_certificate_and_the_person_may_audit(
    browser, live_server, server, admin, screenshot, tmp_path
):
    tag = uuid.uuid4().hex[:6]
    newcomer = new_person(server.app, "auditor", tag)
    refused = schedule(admin, newcomer["id"])
    assert refused.status == 422, refused.text()
    # Enough modules of the organization's own that the matrix is wider than a desktop.
    for number in range(5):
        added = admin.post("/api/competences/modules", data={"label": f"Crane {tag} {number}"})
        assert added.status == 201, added.text()

    context, desk = open_app(browser, live_server, DESKTOP, role="admin")
    desk.goto(f"{live_server}/#/desk/training")
    expect(desk.locator("table.train-matrix tbody tr").first).to_be_visible()
    whole_page(screenshot, desk, "training-matrix-everyone-desktop")
    desk.goto(f"{live_server}/#/desk/training?q={tag}")
    expect(desk.get_by_role("heading", name="Training", exact=True)).to_be_focused()
    cell = matrix_cell(desk, newcomer)
    expect(cell).to_have_attribute("data-state", "missing")
    expect(cell).to_have_text("— Missing")
    wide_enough(desk, 1440)
    screenshot(desk, "training-matrix-wide-desktop")
    whole_page(screenshot, desk, "training-matrix-desktop")

    # The person's page links here with ?user=: the form opens for them.
    desk.goto(f"{live_server}/#/desk/training?user={newcomer['id']}")
    form = desk.locator("form.record-form")
    expect(desk.locator("#record-heading")).to_be_focused()
    expect(form.get_by_label("Person")).to_have_value(str(newcomer["id"]))
    form.get_by_label("Module").select_option("internal_audit")
    form.get_by_label("Course or qualification").fill("ISO 45001 internal auditor course")
    form.get_by_label("Completed on").fill((date.today() - timedelta(days=10)).isoformat())
    expires = date.today() + timedelta(days=3 * 365)
    form.get_by_label("Expires on (empty: it does not expire)").fill(expires.isoformat())
    form.locator("#cert-file").set_input_files(str(make_photo(tmp_path, "certificate.jpg")))
    expect(form.locator(".cert-preview img")).to_be_visible()
    screenshot(desk, "training-record-form-desktop")
    form.get_by_role("button", name="Record training").click()
    recorded = f"Recorded: Internal auditing for {newcomer['name']}"
    expect(form.locator(".message.info")).to_contain_text(recorded)

    # The record holds the certificate photo the browser sent, by its SHA-256.
    records = admin.get(f"/api/users/{newcomer['id']}/competences").json()
    assert [r["module"] for r in records] == ["internal_audit"]
    sha = records[0]["certificate_photo"]
    assert sha and len(sha) == 64
    held = admin.head(f"/api/photos/{sha}")
    assert held.status == 200, held.status

    # Two more records through the API: one expiring soon, one lapsed.
    soon, lapsed = date.today() + timedelta(days=20), date.today() - timedelta(days=10)
    for module, expires_on in (("document_control", soon), ("risk_based_thinking", lapsed)):
        body = {
            "module": module,
            "title": f"{module} course",
            "completed_on": (date.today() - timedelta(days=700)).isoformat(),
            "expires_on": expires_on.isoformat(),
        }
        made = admin.post(f"/api/users/{newcomer['id']}/competences", data=body)
        assert made.status == 201, made.text()
    desk.get_by_label("Search").fill(tag)
    desk.get_by_label("Search").press("Enter")
    cell = matrix_cell(desk, newcomer)
    expect(cell).to_have_attribute("data-state", "valid")
    expect(cell).to_contain_text("Valid until")
    expect(cell.locator(".state-sign")).to_have_text("✓")
    due = matrix_cell(desk, newcomer, "document_control")
    expect(due).to_have_attribute("data-state", "due")
    expect(due).to_contain_text("Due ")
    expect(due.locator(".state-sign")).to_have_text("!")
    expired = matrix_cell(desk, newcomer, "risk_based_thinking")
    expect(expired).to_have_attribute("data-state", "expired")
    expect(expired).to_contain_text("Expired ")
    expect(expired.locator(".state-sign")).to_have_text("✕")
    whole_page(screenshot, desk, "training-matrix-valid-desktop")

    # An own module: a column of its own.
    desk.locator("details.module-box summary").click()
    desk.get_by_label("Name of the module").fill(f"Confined space {tag}")
    desk.get_by_role("button", name="Add the module").click()
    column = desk.locator("table.train-matrix thead th", has_text=f"Confined space {tag}")
    expect(column).to_be_visible()

    # Now qualified: the audit programme's form takes them as auditor.
    desk.get_by_role("navigation", name="Main").get_by_role("link", name="Audits").click()
    schedule_form = desk.locator("form.schedule-form")
    if not schedule_form.is_visible():
        desk.get_by_text("Add a schedule").click()
    schedule_form.get_by_label("Template").select_option(starter_template(admin)["id"])
    schedule_form.get_by_label("Site").select_option(label="Harbour Depot")
    schedule_form.get_by_label("Auditor", exact=True).select_option(str(newcomer["id"]))
    schedule_form.get_by_label("Start day").fill((date.today() + timedelta(days=4)).isoformat())
    schedule_form.get_by_role("button", name="Add to the programme").click()
    expect(desk.locator("table.schedule-list tr", has_text=newcomer["name"])).to_be_visible()
    expect(schedule_form.locator(".field-error:not(:empty)")).to_have_count(0)
    accepted = schedule(admin, newcomer["id"])
    assert accepted.status == 201, accepted.text()
    context.close()

    context, phone = open_app(browser, live_server, PHONE, role="admin")
    phone.goto(f"{live_server}/#/desk/training?q={tag}")
    card = phone.locator(f'.train-list li.card[data-user="{newcomer["id"]}"]')
    expect(card).to_be_visible()
    expect(card.locator('.train-cell[data-module="internal_audit"]')).to_contain_text("Valid until")
    expect(card.locator('.train-cell[data-module="root_cause_analysis"]')).to_contain_text(
        "Missing"
    )
    expect(phone.locator("table.train-matrix")).to_be_hidden()
    wide_enough(phone, 390)
    whole_page(screenshot, phone, "training-matrix-phone")
    # A tap on a cell opens the form for that person and module.
    card.locator('.train-cell[data-module="root_cause_analysis"]').click()
    form = phone.locator("form.record-form")
    expect(form.get_by_label("Module")).to_have_value("root_cause_analysis")
    expect(form.get_by_label("Person")).to_have_value(str(newcomer["id"]))
    wide_enough(phone, 390)
    screenshot(phone, "training-record-form-phone")
    # Left empty, the title is refused beside it, where the focus goes.
    title = form.get_by_label("Course or qualification")
    title.fill("")
    form.get_by_role("button", name="Record training").click()
    expect(title).to_have_attribute("aria-invalid", "true")
    expect(title).to_be_focused()
    expect(form.locator('.field-error[data-for="title"]')).to_have_text("Fill this in.")
    context.close()
