"""Controlled documents: an officer creates a procedure and uploads its PDF on the desk; the author
cannot approve it, an admin does; a worker on a phone finds it under Documents, opens the file and
says "I have read and understood" (kept on the phone while the network is gone, sent when it is
back); the officer sees who has read it."""

import hashlib
import io
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import APIRequestContext, Page, expect
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from e2e.conftest import DESKTOP, PHONE
from e2e.steps import api_session, open_app


def whole_page(screenshot, page: Page, name: str) -> None:
    """A full-page screenshot from the top (the sticky header then sits where it belongs)."""
    page.evaluate("() => window.scrollTo(0, 0)")
    screenshot(page, name, full_page=True)


def fits(page: Page, width: int) -> None:
    """No box of the screen (below the header) reaches past the right edge."""
    wider = page.evaluate(
        """(width) => [...document.querySelectorAll('main *')]
        .filter((el) => el.getBoundingClientRect().right > width + 1)
        .slice(0, 5).map((el) => `${el.tagName}.${el.className}`)""",
        width,
    )
    assert not wider, wider


def wide_enough(page: Page, width: int) -> None:
    """Nothing sticks out sideways: the page scrolls only up and down, no box is cut at the edge."""
    fits(page, width)
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def make_pdf(folder: Path, title: str) -> Path:
    """A one-page PDF procedure, as a word processor would export it."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setFont("Helvetica-Bold", 18)
    pdf.drawString(72, 770, title)
    pdf.setFont("Helvetica", 12)
    pdf.drawString(72, 740, "1. Inspect the harness before use. 2. Clip on before the edge.")
    pdf.showPage()
    pdf.save()
    path = folder / "working-at-height.pdf"
    path.write_bytes(buffer.getvalue())
    return path


@pytest.fixture(scope="module")
def officer(browser, server) -> APIRequestContext:
    return api_session(browser, server.url, "officer")


def create_document(desk: Page, code: str, title: str, screenshot) -> str:
    """The officer's "New document" form; the new document's id (its page opens)."""
    desk.get_by_role("navigation", name="Main").get_by_role("link", name="Documents").click()
    expect(desk.get_by_role("heading", name="Documents", exact=True)).to_be_focused()
    box = desk.locator("details.new-box")
    if box.get_attribute("open") is None:
        box.locator("summary").click()
    form = desk.locator("form.new-document")
    form.get_by_label("Code").fill(code)
    form.get_by_label("Title").fill(title)
    form.get_by_label("Kind").select_option("procedure")
    form.locator(".audience").first.get_by_label("Worker").check()
    whole_page(screenshot, desk, "documents-new-desktop")
    form.get_by_role("button", name="Create the document").click()
    expect(desk.get_by_role("heading", name=title)).to_be_focused()
    return desk.evaluate("location.hash").rsplit("/", 1)[1]


def test_a_procedure_is_approved_read_and_acknowledged(
    browser, live_server, officer, screenshot, tmp_path
):
    tag = uuid.uuid4().hex[:6]
    code, title = f"PRO-{tag}", f"Working at height {tag}"
    context, desk = open_app(browser, live_server, DESKTOP, role="officer")
    doc_id = create_document(desk, code, title, screenshot)
    page = desk.locator(".document-page")
    expect(page.locator(".doc-current")).to_contain_text("None approved yet")

    # The revision's PDF goes up by its SHA-256, then the draft names it.
    pdf = make_pdf(tmp_path, title)
    upload = desk.locator("form.upload-revision")
    upload.get_by_label("The file (PDF, JPEG, PNG or WebP; at most 25 MB)").set_input_files(
        str(pdf)
    )
    upload.get_by_label("What changed").fill("First issue")
    upload.get_by_role("button", name="Upload the revision").click()
    draft = desk.locator('table.doc-revisions tr[data-number="1"]')
    expect(draft).to_have_attribute("data-status", "draft")
    expect(draft).to_contain_text("working-at-height.pdf")
    held = officer.get(f"/api/documents/{doc_id}").json()["revisions"][0]
    assert held["file_sha256"] == hashlib.sha256(pdf.read_bytes()).hexdigest()
    # Its author cannot approve it, and reads why.
    approve = draft.get_by_role("button", name="Approve revision 1")
    expect(approve).to_be_disabled()
    expect(approve).to_have_accessible_description(
        "You wrote this revision: someone else approves it."
    )
    whole_page(screenshot, desk, "document-draft-desktop")

    # A second person approves it.
    admin_context, admin = open_app(browser, live_server, DESKTOP, role="admin")
    admin.goto(f"{live_server}/#/desk/document/{doc_id}")
    admin.locator('table.doc-revisions tr[data-number="1"]').get_by_role(
        "button", name="Approve revision 1"
    ).click()
    admin.get_by_role("dialog").get_by_role("button", name="Approve it").click()
    expect(admin.locator('table.doc-revisions tr[data-number="1"]')).to_have_attribute(
        "data-status", "approved"
    )
    expect(admin.locator(".doc-current")).to_contain_text("Approved by Demo Admin")
    admin_context.close()

    # A worker on a phone: it is there to read, first.
    phone_context, phone = open_app(browser, live_server, PHONE, role="worker")
    phone.get_by_role("navigation", name="Main").get_by_role("link", name="Documents").click()
    expect(phone.get_by_role("heading", name="Documents", exact=True)).to_be_focused()
    card = phone.locator(f'.to-read li[data-code="{code}"]')
    expect(card).to_contain_text("To read")
    wide_enough(phone, 390)
    whole_page(screenshot, phone, "documents-to-read-phone")
    card.get_by_role("link", name=title).click()
    expect(phone.get_by_role("heading", name=title)).to_be_focused()
    open_file = phone.get_by_role("link", name="Open the document")
    expect(open_file).to_have_attribute("href", f"/api/documents/{doc_id}/file")
    served = phone.request.get(f"{live_server}/api/documents/{doc_id}/file")
    assert served.ok and served.body() == pdf.read_bytes()
    wide_enough(phone, 390)
    whole_page(screenshot, phone, "document-read-phone")

    # No network at the moment of the tap: the acknowledgement waits on the phone.
    phone_context.set_offline(True)
    # By keyboard: from the heading, the file's link, then the button.
    phone.keyboard.press("Tab")
    expect(open_file).to_be_focused()
    phone.keyboard.press("Tab")
    expect(phone.get_by_role("button", name="I have read and understood")).to_be_focused()
    phone.keyboard.press("Enter")
    expect(phone.locator(".ack-waiting")).to_contain_text("Saved on this phone")
    screenshot(phone, "document-ack-waiting-phone")
    phone_context.set_offline(False)
    expect(phone.locator(".ack-done")).to_contain_text("You have read and understood revision 1")
    screenshot(phone, "document-ack-done-phone")
    phone.get_by_role("link", name="← Documents").click()
    expect(phone.locator(f'.done li[data-code="{code}"]')).to_contain_text("Read and understood")
    whole_page(screenshot, phone, "documents-done-phone")
    phone_context.close()

    # The officer sees who has read it.
    desk.reload()
    readers = desk.locator(".doc-readers")
    expect(readers.locator(".readers.done")).to_contain_text("Demo Worker")
    expect(readers.locator(".readers.pending li", has_text="Demo Worker")).to_have_count(0)
    fits(desk, 1440)
    whole_page(screenshot, desk, "document-approved-desktop")
    desk.get_by_role("link", name="← Documents").click()
    line = desk.locator(f'table.doc-list tr[data-code="{code}"]')
    expect(line).to_contain_text("Approved")
    expect(line).to_contain_text("Rev. 1")
    fits(desk, 1440)
    whole_page(screenshot, desk, "documents-list-desktop")
    context.close()

    # The desk's pages on a phone too.
    context, officer_phone = open_app(browser, live_server, PHONE, role="officer")
    officer_phone.goto(f"{live_server}/#/desk/documents")
    expect(officer_phone.locator(f'table.doc-list tr[data-code="{code}"]')).to_be_visible()
    wide_enough(officer_phone, 390)
    whole_page(screenshot, officer_phone, "documents-list-phone")
    officer_phone.goto(f"{live_server}/#/desk/document/{doc_id}")
    expect(officer_phone.get_by_role("heading", name=title)).to_be_visible()
    wide_enough(officer_phone, 390)
    whole_page(screenshot, officer_phone, "document-desk-phone")

    # Withdrawn: nobody is asked to read it any more.
    officer_phone.locator("details.withdraw-box summary").click()
    officer_phone.get_by_label("Why it is withdrawn").fill("Replaced by the site's rescue plan")
    officer_phone.get_by_role("button", name="Withdraw the document").click()
    officer_phone.get_by_role("dialog").get_by_role("button", name="Withdraw it").click()
    expect(officer_phone.locator(".document-page")).to_have_attribute("data-status", "obsolete")
    expect(officer_phone.get_by_text("This document is withdrawn")).to_be_visible()
    worker = api_session(browser, live_server, "worker")
    listed = {d["code"]: d for d in worker.get("/api/documents").json()}
    assert code not in listed or listed[code]["status"] == "obsolete"
    context.close()
