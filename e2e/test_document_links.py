"""Records that name the controlled document they concern: an officer links a nonconformity to an
approved procedure on the desk (and clears or changes it; a refused change says why beside the
box), and a template question names a procedure, which the auditor's phone shows, offline too, as
"Check against <code> <title>" in the running audit."""

import uuid

import pytest
from playwright.sync_api import APIRequestContext, Page, expect

from e2e.conftest import DESKTOP, PHONE
from e2e.journeys import wait_for_service_worker
from e2e.steps import api_session, open_app
from tests.documents.helpers import pdf, sha256


@pytest.fixture(scope="module")
def officer(browser, server) -> APIRequestContext:
    return api_session(browser, server.url, "officer")


@pytest.fixture(scope="module")
def admin(browser, server) -> APIRequestContext:
    """The second person, who approves what the officer wrote."""
    return api_session(browser, server.url, "admin")


def new_document(officer: APIRequestContext, code: str, title: str) -> dict:
    """A procedure with a first revision drafted by the officer (not approved)."""
    data = pdf(text=f"{code} {title}")
    stored = officer.put(
        f"/api/documents/files/{sha256(data)}",
        data=data,
        headers={"Content-Type": "application/pdf"},
    )
    assert stored.status in (200, 201), stored.text()
    body = {"id": str(uuid.uuid4()), "code": code, "title": title, "kind": "procedure"}
    made = officer.post("/api/documents", data=body)
    assert made.status == 201, made.text()
    revision = {
        "id": str(uuid.uuid4()),
        "file_sha256": sha256(data),
        "filename": f"{code}.pdf",
        "summary": "First issue",
    }
    drafted = officer.post(f"/api/documents/{body['id']}/revisions", data=revision)
    assert drafted.status == 201, drafted.text()
    return {**made.json(), "revision_id": revision["id"]}


def approved_document(officer, admin, code: str, title: str) -> dict:
    """A procedure the officer wrote and the admin approved."""
    document = new_document(officer, code, title)
    url = f"/api/documents/{document['id']}/revisions/{document['revision_id']}/approve"
    approved = admin.post(url, data={})
    assert approved.ok, approved.text()
    return document


def log_nc(request: APIRequestContext, title: str) -> str:
    site_id = request.get("/api/auth/me").json()["sites"][0]["id"]
    body = {
        "id": str(uuid.uuid4()),
        "site_id": site_id,
        "title": title,
        "description": f"{title}: the padlock was left in the drawer.",
        "severity": "major",
        "source": "other",
        "clause": "8.1.2",
    }
    response = request.post("/api/nonconformities", data=body)
    assert response.status == 201, response.text()
    return body["id"]


def whole_page(screenshot, page: Page, name: str) -> None:
    page.evaluate("() => window.scrollTo(0, 0)")
    screenshot(page, name, full_page=True)


def wide_enough(page: Page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_an_officer_links_a_nonconformity_to_an_approved_document(
    browser, live_server, officer, admin, screenshot
):
    tag = uuid.uuid4().hex[:6].upper()
    lockout = approved_document(officer, admin, f"SOP-L{tag}", "Lockout and tagout of presses")
    spill = approved_document(officer, admin, f"SOP-S{tag}", "Spill response at the fuel bay")
    draft = new_document(officer, f"SOP-D{tag}", "Confined space entry (draft)")
    nc_id = log_nc(officer, f"Press 3 serviced without a lock {tag}")
    named = f"{lockout['code']} {lockout['title']}"

    context, desk = open_app(browser, live_server, DESKTOP, role="officer")
    desk.goto(f"{live_server}/#/desk/nc/{nc_id}")
    page = desk.locator(".nc-page")
    expect(page.locator(".document-now")).to_have_text("No controlled document named.")
    box = desk.get_by_label("Procedure or policy this nonconformity concerns")
    # Approved documents only: a draft is not yet a document anyone works to.
    expect(box.locator("option", has_text=spill["code"])).to_have_count(1)
    expect(box.locator("option", has_text=draft["code"])).to_have_count(0)
    box.select_option(label=named)
    desk.get_by_role("button", name="Save the document").click()
    link = page.locator(".document-now a")
    expect(link).to_have_text(named)
    expect(link).to_have_attribute("href", f"#/desk/document/{lockout['id']}")
    expect(page.locator(".facts a.document-link")).to_have_text(named)
    assert officer.get(f"/api/nonconformities/{nc_id}").json()["document"] == {
        "id": lockout["id"],
        "code": lockout["code"],
        "title": lockout["title"],
    }
    expect(desk.get_by_label("Procedure or policy this nonconformity concerns")).to_have_value(
        lockout["id"]
    )
    expect(page.locator(".log")).to_contain_text("Updated document")
    page.locator(".document-now").scroll_into_view_if_needed()
    screenshot(desk, "nc-document-desktop")

    # Cleared, and named again.
    desk.get_by_label("Procedure or policy this nonconformity concerns").select_option("")
    desk.get_by_role("button", name="Save the document").click()
    expect(page.locator(".document-now")).to_have_text("No controlled document named.")
    assert officer.get(f"/api/nonconformities/{nc_id}").json()["document"] is None
    desk.get_by_label("Procedure or policy this nonconformity concerns").select_option(
        lockout["id"]
    )
    desk.get_by_role("button", name="Save the document").click()
    expect(page.locator(".document-now a")).to_have_text(named)

    # Cancelled meanwhile (by someone else): the change is refused and says why beside the box.
    cancelled = officer.patch(
        f"/api/nonconformities/{nc_id}",
        data={"status": "cancelled", "cancel_reason": "Logged twice"},
    )
    assert cancelled.ok, cancelled.text()
    desk.get_by_label("Procedure or policy this nonconformity concerns").select_option(spill["id"])
    desk.get_by_role("button", name="Save the document").click()
    alert = desk.locator("#nc-document-error")
    expect(alert).to_have_attribute("role", "alert")
    expect(alert).to_contain_text("can no longer be changed")
    box = desk.get_by_label("Procedure or policy this nonconformity concerns")
    expect(box).to_have_attribute("aria-invalid", "true")
    expect(box).to_be_focused()
    assert officer.get(f"/api/nonconformities/{nc_id}").json()["document"]["id"] == lockout["id"]

    # The link opens the document's desk page.
    desk.reload()
    expect(page.locator(".document-now a")).to_have_text(named)
    expect(desk.get_by_label("Procedure or policy this nonconformity concerns")).to_have_count(0)
    page.locator(".document-now a").click()
    expect(desk.get_by_role("heading", name=lockout["title"])).to_be_visible()
    assert desk.url.endswith(f"#/desk/document/{lockout['id']}")
    context.close()

    # On a phone-sized screen, an open NC's box fits.
    other = log_nc(officer, f"Guard left open on press 5 {tag}")
    context, phone = open_app(browser, live_server, PHONE, role="officer")
    phone.goto(f"{live_server}/#/desk/nc/{other}")
    box = phone.get_by_label("Procedure or policy this nonconformity concerns")
    box.select_option(label=named)
    phone.get_by_role("button", name="Save the document").click()
    expect(phone.locator(".document-now a")).to_have_text(named)
    wide_enough(phone, 390)
    phone.locator(".document-now").scroll_into_view_if_needed()
    screenshot(phone, "nc-document-phone")
    context.close()


def starter_copy(officer: APIRequestContext, name: str) -> dict:
    """A copy of the organization's ISO 45001 starter template, in full."""
    templates = officer.get("/api/audit-templates").json()
    source = next(t for t in templates if t["starter"] == "iso45001")
    copied = officer.post("/api/audit-templates", data={"copy_of": source["id"], "name": name})
    assert copied.status == 201, copied.text()
    return officer.get(f"/api/audit-templates/{copied.json()['id']}").json()


def test_a_template_question_names_a_document_and_the_auditor_sees_it_offline(
    browser, live_server, server, officer, admin, screenshot
):
    tag = uuid.uuid4().hex[:6].upper()
    lockout = approved_document(officer, admin, f"SOP-T{tag}", "Lockout and tagout of presses")
    named = f"{lockout['code']} {lockout['title']}"
    template = starter_copy(officer, f"Press shop walk {tag}")
    before = template["sections"][0]["questions"]

    # The officer names the document on the template's second question.
    context, desk = open_app(browser, live_server, DESKTOP, role="officer")
    desk.goto(f"{live_server}/#/desk/template/{template['id']}")
    card = desk.locator(".section-edit").first.locator("li.question-edit").nth(1)
    box = card.get_by_label("Check against the document")
    expect(box.locator("option").first).to_have_text("No document")
    box.select_option(label=named)
    card.scroll_into_view_if_needed()
    screenshot(desk, "template-question-document-desktop")
    desk.get_by_role("button", name="Save the template").click()
    expect(desk.locator(".saved-note")).to_have_text("Saved (version 1).")
    after = officer.get(f"/api/audit-templates/{template['id']}").json()["sections"][0]["questions"]
    assert after[1]["document_id"] == lockout["id"]
    assert not after[0].get("document_id")
    fields = ("id", "ref", "text", "guidance", "weight", "evidence_on_nc")
    assert [{k: q[k] for k in fields} for q in after] == [{k: q[k] for k in fields} for q in before]
    # Drawn again from the server, the box still names it.
    expect(
        desk.locator(".section-edit")
        .first.locator("li.question-edit")
        .nth(1)
        .get_by_label("Check against the document")
    ).to_have_value(lockout["id"])
    context.close()
    context, phone = open_app(browser, live_server, PHONE, role="officer")
    phone.goto(f"{live_server}/#/desk/template/{template['id']}")
    box = phone.locator(".section-edit").first.locator("li.question-edit").nth(1)
    expect(box.get_by_label("Check against the document")).to_have_value(lockout["id"])
    wide_enough(phone, 390)
    box.get_by_label("Check against the document").scroll_into_view_if_needed()
    screenshot(phone, "template-question-document-phone")
    context.close()

    # The auditor's audit of it, on a phone: downloaded, then run with the network gone.
    auditor = api_session(browser, live_server, "auditor")
    site_id = auditor.get("/api/auth/me").json()["sites"][0]["id"]
    audit_id = str(uuid.uuid4())
    body = {"id": audit_id, "template_id": template["id"], "site_id": site_id}
    started = auditor.post("/api/audits", data=body)
    assert started.status == 201, started.text()
    section = started.json()["template"]["sections"][0]
    question = section["questions"][1]
    assert question["document"] == {
        "id": lockout["id"],
        "code": lockout["code"],
        "title": lockout["title"],
    }

    context, phone = open_app(browser, live_server, PHONE, role="auditor")
    wait_for_service_worker(phone)
    phone.get_by_role("navigation").get_by_role("link", name="Audits", exact=True).click()
    expect(phone.locator(f'.audit-card[data-id="{audit_id}"]')).to_be_visible()
    server.stop()
    phone.evaluate(
        "(hash) => { location.hash = hash; }", f"#/audit/{audit_id}?section={section['ref']}"
    )
    check = phone.locator(f"#q-{question['id']} .q-document")
    expect(check).to_have_text(f"Check against {named}")
    expect(check).to_have_attribute("href", f"#/documents/{lockout['id']}")
    plain = phone.locator(f"#q-{section['questions'][0]['id']}")
    expect(plain.locator(".q-document")).to_have_count(0)
    expect(plain).not_to_contain_text("null")
    box = check.bounding_box()
    assert box["height"] >= 48 and box["x"] + box["width"] <= 390
    wide_enough(phone, 390)
    phone.locator(f"#q-{question['id']}").scroll_into_view_if_needed()
    screenshot(phone, "runner-check-against-offline-phone")

    # Online again, the link opens the document to read.
    server.start()
    check.click()
    expect(phone.get_by_role("heading", name=lockout["title"])).to_be_visible()
    assert phone.url.endswith(f"#/documents/{lockout['id']}")
    context.close()
    context, wide = open_app(browser, live_server, DESKTOP, role="auditor")
    wide.get_by_role("navigation").get_by_role("link", name="Audits", exact=True).click()
    expect(wide.locator(f'.audit-card[data-id="{audit_id}"]')).to_be_visible()
    wide.goto(f"{live_server}/#/audit/{audit_id}?section={section['ref']}")
    check = wide.locator(f"#q-{question['id']} .q-document")
    expect(check).to_have_text(f"Check against {named}")
    check.scroll_into_view_if_needed()
    screenshot(wide, "runner-check-against-desktop")
    context.close()

    # The desk's view of the audit names it on the question too.
    context, desk = open_app(browser, live_server, DESKTOP, role="officer")
    desk.goto(f"{live_server}/#/desk/audit/{audit_id}")
    answers = desk.locator("details.answers-section").first
    answers.locator("summary").click()
    line = answers.locator(".question-document")
    expect(line).to_have_count(1)
    expect(line).to_have_text(f"Check against {named}")
    expect(line.get_by_role("link")).to_have_attribute("href", f"#/desk/document/{lockout['id']}")
    line.scroll_into_view_if_needed()
    screenshot(desk, "desk-audit-check-against-desktop")
    context.close()
    context, phone = open_app(browser, live_server, PHONE, role="officer")
    phone.goto(f"{live_server}/#/desk/audit/{audit_id}")
    answers = phone.locator("details.answers-section").first
    answers.locator("summary").click()
    expect(answers.locator(".question-document")).to_have_text(f"Check against {named}")
    wide_enough(phone, 390)
    answers.locator(".question-document").scroll_into_view_if_needed()
    screenshot(phone, "desk-audit-check-against-phone")
    context.close()
