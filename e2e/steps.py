"""Steps shared by the journeys of the field app and the desk (beside e2e/journeys.py)."""

import hashlib
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from PIL import Image
from playwright.sync_api import APIRequestContext, Browser, BrowserContext, Page, expect

from e2e.journeys import outbox_items, sign_in  # noqa: F401  (steps re-exports it)
from server.demo import DEMO_PASSWORD, demo_email


def open_app(
    browser: Browser, live_server: str, device: dict, role: str = "worker", **options
) -> tuple[BrowserContext, Page]:
    """A new browser context on the app, signed in with the demo account of a role."""
    context = browser.new_context(**device, **options)
    page = context.new_page()
    page.goto(live_server)
    sign_in(page, role)
    return context, page


def api_session(browser: Browser, live_server: str, role: str) -> APIRequestContext:
    """An API client signed in as the demo account of a role (for what another person does)."""
    request = browser.new_context(base_url=live_server).request
    response = request.post(
        "/api/auth/login", data={"email": demo_email(role), "password": DEMO_PASSWORD}
    )
    assert response.ok, response.text()
    return request


def send_report(request: APIRequestContext, description: str, **fields) -> str:
    """Send one report through POST /api/sync, as a phone would; returns its id."""
    site_id = request.get("/api/auth/me").json()["sites"][0]["id"]
    report = {
        "id": str(uuid.uuid4()),
        "kind": "hazard",
        "site_id": site_id,
        "observed_at": datetime.now(UTC).isoformat(),
        "description": description,
        "photos": [],
        **fields,
    }
    response = request.post("/api/sync", data={"reports": [report]})
    assert response.ok and response.json()["results"][0]["status"] == "created", response.text()
    return report["id"]


def upload_photo(request: APIRequestContext, path: Path) -> dict:
    """PUT a JPEG as a phone does; returns the photo as a sync item names it."""
    data = path.read_bytes()
    sha256 = hashlib.sha256(data).hexdigest()
    response = request.put(
        f"/api/photos/{sha256}", data=data, headers={"Content-Type": "image/jpeg"}
    )
    assert response.ok, response.text()
    with Image.open(path) as image:
        width, height = image.size
    return {"sha256": sha256, "content_type": "image/jpeg", "width": width, "height": height}


def wait_for_triage(request: APIRequestContext, report_id: str, timeout_s: float = 30) -> dict:
    """The report's triage, once the worker has made it."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        triage = request.get(f"/api/reports/{report_id}").json().get("triage")
        if triage:
            return triage
        time.sleep(0.5)
    raise AssertionError(f"report {report_id} was not triaged within {timeout_s} s")


def queue_ids(request: APIRequestContext, text: str) -> list[str]:
    """Ids of the reports in the officer's queue whose description contains text."""
    response = request.get("/api/queue", params={"q": text, "status": "all"})
    assert response.ok, response.text()
    return [item["id"] for item in response.json()["items"]]


def hold_sending(page: Page) -> Callable[[], None]:
    """Refuse every report and photo upload before it reaches the server (the phone keeps them
    unsent); returns the function that lets them through again."""

    def refuse(route):
        if route.request.method in ("POST", "PUT"):
            route.abort("internetdisconnected")
        else:
            route.continue_()

    patterns = ["**/api/sync", "**/api/photos/*"]
    for pattern in patterns:
        page.route(pattern, refuse)

    def release() -> None:
        for pattern in patterns:
            page.unroute(pattern, refuse)

    return release


def sign_out(page: Page, confirm: bool = False) -> None:
    """Sign out from the tab bar, confirming when the app warns of unsent reports."""
    page.get_by_role("button", name="Sign out").click()
    if confirm:
        page.get_by_role("button", name="Sign out anyway").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def covered(page: Page, locator) -> bool:
    """True when another element sits over the centre of the element (it cannot be tapped)."""
    return locator.evaluate("""(el) => {
        const box = el.getBoundingClientRect();
        const hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
        return !(hit && (hit === el || el.contains(hit)));
    }""")


def fully_in_viewport(page: Page, locator) -> bool:
    """True when the whole element is inside the viewport, without scrolling."""
    return locator.evaluate("""(el) => {
        const box = el.getBoundingClientRect();
        return box.top >= 0 && box.left >= 0
            && box.bottom <= innerHeight && box.right <= innerWidth;
    }""")


def line_count(locator) -> int:
    """How many lines of the element's text show, as laid out (lines clipped away not counted)."""
    return locator.evaluate("""(el) => {
        const visible = (node, middle) => {
            const stop = el.parentElement;
            for (let box = node.parentElement; box && box !== stop; box = box.parentElement) {
                if (getComputedStyle(box).overflowY === 'visible') continue;
                const clip = box.getBoundingClientRect();
                if (middle < clip.top || middle > clip.bottom) return false;
            }
            return true;
        };
        const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        const middles = [];
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const range = document.createRange();
            range.selectNodeContents(node);
            for (const r of range.getClientRects()) {
                const middle = r.top + r.height / 2;
                if (r.width > 0 && visible(node, middle)) middles.push(middle);
            }
        }
        middles.sort((a, b) => a - b);
        return middles.filter((m, i) => i === 0 || m - middles[i - 1] > 8).length;
    }""")
