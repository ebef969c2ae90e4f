"""An internal audit run on a phone, offline from start to sign-off: the auditor downloads the
ISO 45001 starter audit assigned to them, goes offline, answers every question (two of them
nonconformities with notes and photos), closes the browser, reopens it offline where they left
off, signs off, and goes online; the server then holds each answer once, the score the answers
give, and a nonconformity of source audit, with its photos, for each of the two."""

import math
import time
import uuid
from datetime import date, timedelta

from playwright.sync_api import APIRequestContext, Page, expect
from sqlalchemy import func, select

from e2e.conftest import DESKTOP, PHONE
from e2e.journeys import make_photo, sign_in, wait_for_service_worker
from e2e.steps import api_session, open_app, outbox_items
from server.audits.models import Audit, AuditResponse
from server.extensions import db
from server.media.attachments import attached_hashes
from server.nonconformities.models import Nonconformity
from server.nonconformities.records import NC_TYPE

DUE_IN_DAYS = 5


def start_audit(request: APIRequestContext, starter: str, site_id: int) -> dict:
    """Start an audit of an organization's starter template, run by the caller; its view."""
    templates = request.get("/api/audit-templates").json()
    template = next(t for t in templates if t["starter"] == starter)
    body = {"id": str(uuid.uuid4()), "template_id": template["id"], "site_id": site_id}
    response = request.post("/api/audits", data=body)
    assert response.status == 201, response.text()
    return response.json()


def set_due_on(app, audit_id: str, day: date) -> None:
    """Give the audit a planned day (as the programme would)."""
    with app.app_context():
        audit = db.session.scalar(select(Audit).where(Audit.id == uuid.UUID(audit_id)))
        audit.due_on = day
        db.session.commit()
        db.session.remove()


def plan_answers(template: dict) -> dict[str, str]:
    """Every question's result: mostly conforming, some observations and N/A, and a minor and a
    major NC on two questions that want a photo for a nonconforming answer."""
    questions = [q for section in template["sections"] for q in section["questions"]]
    evidence = [q["id"] for q in questions if q["evidence_on_nc"]]
    plan = {}
    for index, question in enumerate(questions):
        result = "observation" if index % 9 == 4 else "conforming"
        plan[question["id"]] = "not_applicable" if index % 13 == 7 else result
    plan[evidence[0]], plan[evidence[1]] = "minor_nc", "major_nc"
    return plan


def expected_score(template: dict, plan: dict[str, str], shares: dict) -> float:
    """Earned over possible, in percent to one decimal, as the scoring rule says."""
    earned = possible = 0.0
    for section in template["sections"]:
        for question in section["questions"]:
            share = shares[plan[question["id"]]]
            if share is None:
                continue
            earned += question["weight"] * share
            possible += question["weight"]
    return round(earned / possible * 100, 1)


def answer(page: Page, question_id: str, label: str, result: str) -> None:
    """Tap an answer button of a question; the phone shows it chosen at once."""
    card = page.locator(f"#q-{question_id}")
    card.get_by_role("button", name=label, exact=True).click()
    expect(card.locator(f'[data-result="{result}"]')).to_have_attribute("aria-pressed", "true")


def answer_nonconformity(page: Page, question_id: str, label: str, result: str, notes, photo):
    """A nonconforming answer: it waits for notes, then for its photo, then is saved."""
    card = page.locator(f"#q-{question_id}")
    answer(page, question_id, label, result)
    expect(card.locator(".q-state")).to_have_text("Needs notes: say what you found")
    card.get_by_label("Notes (required for a nonconformity)").fill(notes)
    card.get_by_label("Notes (required for a nonconformity)").blur()
    expect(card.locator(".q-state")).to_have_text("Needs a photo as evidence")
    page.set_input_files(f"#gallery-{question_id}", str(photo))
    expect(card.locator(".thumbs img")).to_have_count(1)
    assert_shown(page, card.locator(".thumbs img"))
    expect(card.locator(".q-state")).to_have_text("Saved on this phone")


def assert_shown(page: Page, image, timeout_s: float = 10) -> None:
    """The image is loaded and drawn (its bytes are on the phone: no server is needed)."""
    deadline = time.monotonic() + timeout_s
    while not image.evaluate("(img) => img.complete && img.naturalWidth > 0"):
        assert time.monotonic() < deadline, f"not shown: {image.get_attribute('src')}"
        page.wait_for_timeout(100)


def answer_section(page: Page, section: dict, plan: dict, labels: dict, notes: dict, photos):
    """Answer each question of the section on screen as planned (skipping those left out)."""
    expect(page.locator(".section-head h3")).to_have_text(f"{section['ref']} {section['title']}")
    for question in section["questions"]:
        result = plan.get(question["id"])
        if result is None:
            continue
        if result in notes:
            answer_nonconformity(
                page, question["id"], labels[result], result, notes[result], photos[result]
            )
        else:
            answer(page, question["id"], labels[result], result)


def changed_twice(page: Page, question_id: str, labels: dict, plan: dict) -> None:
    """Change an answer and change it back: each change is a new response (a new id and time)
    that takes the place of the unsent one it changes."""

    def waiting() -> list[dict]:
        return [
            i
            for i in outbox_items(page)
            if i["type"] == "response" and i["body"]["question_id"] == question_id
        ]

    (first,) = waiting()
    answer(page, question_id, labels["observation"], "observation")
    answer(page, question_id, labels[plan[question_id]], plan[question_id])
    deadline = time.monotonic() + 10  # the write lands just after the tap shows
    while [i["body"]["result"] for i in waiting()] != [plan[question_id]]:
        assert time.monotonic() < deadline, waiting()
        page.wait_for_timeout(50)
    (last,) = waiting()
    assert last["id"] != first["id"] and last["body"]["answered_at"] > first["body"]["answered_at"]
    assert last["body"]["result"] == plan[question_id]


def scroll_to(page: Page, selector: str) -> None:
    """Bring an element to the top of the screen (below the app's header)."""
    page.locator(selector).evaluate("(el) => el.scrollIntoView({block: 'start'})")


def test_an_audit_is_run_offline_on_a_phone_and_signed_off_once(
    browser, browser_type, browser_type_launch_args, server, live_server, tmp_path, screenshot
):
    app = server.app
    auditor_api = api_session(browser, live_server, "auditor")
    site = auditor_api.get("/api/auth/me").json()["sites"][0]
    lists = auditor_api.get("/api/lists").json()
    labels = {e["value"]: e["label"] for e in lists["audit_results"]}
    shares = {e["value"]: e["earned_share"] for e in lists["audit_results"]}
    audit = start_audit(auditor_api, "iso45001", site["id"])
    other = start_audit(auditor_api, "iso14001", site["id"])
    set_due_on(app, audit["id"], date.today() + timedelta(days=DUE_IN_DAYS))
    set_due_on(app, other["id"], date.today() - timedelta(days=2))
    template = audit["template"]
    sections = template["sections"]
    questions = [q for s in sections for q in s["questions"]]
    assert 45 <= len(questions) <= 60
    plan = plan_answers(template)
    minor_id = next(q for q, r in plan.items() if r == "minor_nc")
    major_id = next(q for q, r in plan.items() if r == "major_nc")
    notes = {
        "minor_nc": "Two of the five fire extinguishers on the mezzanine are out of date.",
        "major_nc": "Press 4 runs with its light curtain bypassed.",
    }
    photos = {result: make_photo(tmp_path, f"{result}.jpg") for result in notes}

    # On the phone, online: the audits assigned to me are downloaded with their templates.
    profile = tmp_path / "profile"
    launch = {**browser_type_launch_args, **PHONE}
    context = browser_type.launch_persistent_context(profile, **launch)
    page = context.pages[0]
    page.goto(live_server)
    sign_in(page, "auditor")
    wait_for_service_worker(page)
    page.get_by_role("navigation").get_by_role("link", name="Audits", exact=True).click()
    card = page.locator(f'.audit-card[data-id="{audit["id"]}"]')
    late = page.locator(f'.audit-card[data-id="{other["id"]}"]')
    expect(card).to_contain_text(template["name"])
    expect(card).to_contain_text(site["name"])
    expect(card).to_contain_text(f"0 of {len(questions)} answered")
    expect(late.locator(".overdue-badge")).to_have_text("Overdue by 2 days")
    expect(card.locator(".overdue-badge")).to_have_count(0)
    screenshot(page, "phone-my-audits")

    # The desk-sized runner (online, on another audit): the sections beside the questions.
    wide, desk = open_app(browser, live_server, DESKTOP, "auditor")
    desk.get_by_role("navigation").get_by_role("link", name="Audits", exact=True).click()
    expect(desk.locator(f'.audit-card[data-id="{other["id"]}"]')).to_be_visible()
    desk.goto(f"{live_server}/#/audit/{other['id']}?section=4")
    first = other["template"]["sections"][0]["questions"]
    answer(desk, first[0]["id"], labels["conforming"], "conforming")
    answer(desk, first[1]["id"], labels["observation"], "observation")
    desk.locator(f"#q-{first[1]['id']} .guidance-toggle").click()
    expect(desk.locator(".side-sections")).to_be_visible()
    desk.evaluate("() => window.scrollTo(0, 0)")
    screenshot(desk, "desktop-runner")
    wide.close()

    # Offline (the server is gone): every question answered, one tap each, saved at once.
    server.stop()
    card.get_by_role("link", name=template["name"]).click()
    expect(page.locator(".audit-overview .section-link")).to_have_count(len(sections))
    page.get_by_role("button", name="Start").click()
    last_question = sections[-1]["questions"][-1]["id"]
    held_back = {**plan}
    del held_back[last_question]
    for index, section in enumerate(sections):
        answer_section(page, section, held_back, labels, notes, photos)
        if index == 0:
            page.evaluate("() => window.scrollTo(0, 0)")
            screenshot(page, "phone-runner-section")
            changed_twice(page, section["questions"][0]["id"], labels, plan)
        if index < len(sections) - 1:
            page.get_by_role("link", name="Next →").click()
    expect(page.locator("#section-score")).to_contain_text(
        f"{len(sections[-1]['questions']) - 1}/{len(sections[-1]['questions'])} answered"
    )

    # The sign-off is refused with the one question left, which its link opens.
    page.get_by_role("link", name="Sign-off").click()
    expect(page.locator("#summary-unanswered")).to_have_text("1")
    page.get_by_role("button", name="Sign off", exact=True).click()
    expect(page.locator(".audit-signoff .message.error")).to_contain_text("1 question(s)")
    unanswered = page.locator("#unanswered a")
    expect(unanswered).to_have_count(1)
    expect(unanswered).to_contain_text(sections[-1]["questions"][-1]["ref"])
    unanswered.click()
    answer(page, last_question, labels[plan[last_question]], plan[last_question])
    expect(page.locator("#audit-score")).to_contain_text(
        f"{len(questions)}/{len(questions)} answered"
    )
    items = [i for i in outbox_items(page) if i["type"] == "response"]
    assert len(items) == len(questions)  # one per question: changes replaced what they changed
    phone_hashes = {i["body"]["question_id"]: [p["sha256"] for p in i["photos"]] for i in items}
    context.close()

    # The browser closed and opened again, still offline: all is kept, and it resumes there.
    context = browser_type.launch_persistent_context(profile, **launch)
    page = context.pages[0]
    page.goto(f"{live_server}/#/audits")
    card = page.locator(f'.audit-card[data-id="{audit["id"]}"]')
    expect(card).to_contain_text(f"{len(questions)} of {len(questions)} answered")
    expect(card.locator(".badge")).to_have_text(f"{len(questions)} answer(s) on this phone")
    card.get_by_role("link", name=template["name"]).click()
    last = sections[-1]
    expect(page.locator(".section-head h3")).to_have_text(f"{last['ref']} {last['title']}")
    expect(page.locator(f"#q-{last_question}")).to_be_in_viewport()
    expect(page.locator(f"#q-{last_question} .q-state")).to_have_text("Saved on this phone")
    expect(page.locator("#audit-sent")).to_have_text(
        f"{len(questions)} answer(s) on this phone, not sent yet"
    )

    # The nonconformity's photo is shown from the phone's own copy.
    minor_section = next(s for s in sections if minor_id in {q["id"] for q in s["questions"]})
    page.goto(f"{live_server}/#/audit/{audit['id']}?section={minor_section['ref']}&q={minor_id}")
    minor = page.locator(f"#q-{minor_id}")
    expect(minor.get_by_label("Notes (required for a nonconformity)")).to_have_value(
        notes["minor_nc"]
    )
    assert_shown(page, minor.locator(".thumbs img"))
    scroll_to(page, f"#q-{minor_id} .answer-buttons")
    screenshot(page, "phone-nc-answer-with-photo")

    # Nothing left to answer: Next unanswered leads to the sign-off; its summary; signed off.
    page.get_by_role("button", name="Next unanswered").click()
    score = expected_score(template, plan, shares)
    expect(page.locator("#summary-score")).to_have_text(f"{math.floor(score + 0.5)}%")
    expect(page.locator("#summary-findings")).to_have_text("2")
    observations = sum(1 for r in plan.values() if r == "observation")
    expect(page.locator("#summary-observations")).to_have_text(str(observations))
    expect(page.locator("#summary-unanswered")).to_have_text("0")
    expect(page.locator(".audit-signoff .finding")).to_have_count(2 + observations)
    page.evaluate("() => window.scrollTo(0, 0)")
    screenshot(page, "phone-signoff-summary", full_page=True)
    page.get_by_role("button", name="Sign off", exact=True).click()
    page.get_by_role("dialog").get_by_role("button", name="Sign off").click()
    expect(page.locator("#signoff-state")).to_contain_text("Signed off on this phone")
    assert [i["type"] for i in outbox_items(page)].count("audit_submit") == 1
    screenshot(page, "phone-signed-off-on-phone")

    # Online again: the answers go first, then the sign-off.
    server.start()
    page.get_by_role("button", name="Sync now").click()
    expect(page.locator("#signoff-state")).to_contain_text("the server holds it", timeout=30_000)
    expect(page.locator("#audit-sent")).to_contain_text("sent")
    assert not [i for i in outbox_items(page) if i["type"] in ("response", "audit_submit")]
    screenshot(page, "phone-signed-off-sent")
    context.close()

    view = auditor_api.get(f"/api/audits/{audit['id']}").json()
    assert view["status"] == "submitted"
    assert view["score"]["overall"] == score
    with app.app_context():
        row = db.session.scalar(select(Audit).where(Audit.id == uuid.UUID(audit["id"])))
        count = db.session.scalar(
            select(func.count()).select_from(AuditResponse).where(AuditResponse.audit_pk == row.pk)
        )
        assert count == len(questions)  # each answer once
        assert row.score == score
        ncs = db.session.scalars(
            select(Nonconformity)
            .join(AuditResponse, AuditResponse.nonconformity_pk == Nonconformity.pk)
            .where(AuditResponse.audit_pk == row.pk)
        ).all()
        assert sorted(nc.severity for nc in ncs) == ["major", "minor"]
        assert {nc.source for nc in ncs} == {"audit"}
        shown = attached_hashes(NC_TYPE, [nc.pk for nc in ncs])
        by_severity = {nc.severity: shown.get(nc.pk) for nc in ncs}
        assert by_severity["minor"] == phone_hashes[minor_id]
        assert by_severity["major"] == phone_hashes[major_id]
        assert all(len(hashes) == 1 for hashes in by_severity.values())
        db.session.remove()

    officer = api_session(browser, live_server, "officer")
    cancelled = officer.post(f"/api/audits/{other['id']}/cancel", data={"reason": "Test over"})
    assert cancelled.ok, cancelled.text()
