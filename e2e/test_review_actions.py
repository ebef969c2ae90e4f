"""An action a management review decided, on the owner's phone: the officer records it in this
quarter's review; the worker's My actions names the review (not an NC), the action's page says
what it is for, and marking it done reaches the review's outputs."""

import os
import uuid
from datetime import date, timedelta
from pathlib import Path

from playwright.sync_api import expect

from e2e.conftest import PHONE
from e2e.steps import api_session, open_app
from server.reviews.periods import quarter_of

SCREENS = Path(os.environ.get("REVIEW_SCREENS", "/work/screens/reviews-api"))


def shot(page, name: str) -> None:
    """A screenshot of what the person sees, kept to look at."""
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.evaluate("() => window.scrollTo(0, 0)")
    page.screenshot(path=str(SCREENS / f"{name}.png"), full_page=True)


def test_a_review_action_on_the_owner_s_phone(browser, live_server):
    officer = api_session(browser, live_server, "officer")
    worker_me = api_session(browser, live_server, "worker").get("/api/auth/me").json()
    quarter = quarter_of(date.today())
    review = officer.post(
        "/api/reviews",
        data={
            "id": str(uuid.uuid4()),
            "period_start": quarter.start.isoformat(),
            "period_end": quarter.end.isoformat(),
        },
    )
    assert review.status == 201, review.text()
    title = review.json()["title"]
    tag = uuid.uuid4().hex[:6]
    action_title = f"Fit a second barrier at the loading bay {tag}"
    site = worker_me["sites"][0]
    decided = officer.post(
        f"/api/reviews/{review.json()['id']}/actions",
        data={
            "id": str(uuid.uuid4()),
            "title": action_title,
            "owner_id": worker_me["user"]["id"],
            "site_id": site["id"],
            "due_on": (date.today() + timedelta(days=5)).isoformat(),
        },
    )
    assert decided.status == 201, decided.text()

    context, phone = open_app(browser, live_server, PHONE, "worker")
    phone.get_by_role("button", name="Sync now").click()
    phone.get_by_role("navigation").get_by_role("link", name="My actions").click()
    card = phone.locator("#open-actions .card", has_text=action_title)
    expect(card).to_contain_text(f"{title} · {site['name']}")
    expect(card).to_contain_text("Due in 5 days")
    shot(phone, "my-actions-review-phone")

    card.get_by_role("link", name=action_title).click()
    facts = phone.locator(".facts")
    expect(facts).to_contain_text(title)
    expect(facts).to_contain_text("Preventive action")
    shot(phone, "review-action-phone")
    phone.get_by_label("What was done?").fill("Second barrier bolted down, checked by the lead.")
    phone.get_by_role("button", name="Mark done").click()
    done = phone.locator("#done-actions .card", has_text=action_title)
    expect(done).to_have_attribute("data-state", "synced", timeout=30_000)
    expect(done).to_contain_text(title)
    shot(phone, "my-actions-review-done-phone")
    context.close()

    outputs = officer.get(f"/api/reviews/{review.json()['id']}").json()["outputs"]["actions"]
    assert [(a["title"], a["status"]) for a in outputs] == [(action_title, "done")]
