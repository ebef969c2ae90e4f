"""Steps a person takes in the field app, shared by the journeys."""

import io
import uuid
from pathlib import Path

from PIL import Image, ImageDraw
from playwright.sync_api import Page, expect

from server.demo import DEMO_PASSWORD, demo_email


def make_photo(folder: Path, name: str = "photo.jpg", size=(1600, 1200)) -> Path:
    """A JPEG that looks a little like a photo (shapes, gradients), unique per call."""
    image = Image.new("RGB", size, (90, 110, 130))
    draw = ImageDraw.Draw(image)
    seed = uuid.uuid4().int
    for i in range(12):
        x, y = (seed >> (i * 8)) % size[0], (seed >> (i * 5)) % size[1]
        draw.rectangle([x, y, x + 200, y + 140], fill=((seed >> i) % 255, 80 + i * 10, 40))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    path = folder / f"{uuid.uuid4().hex[:8]}-{name}"
    path.write_bytes(buffer.getvalue())
    return path


def sign_in(page: Page, role: str = "worker") -> None:
    """Fill the sign-in form with a demo account and wait until the app is open."""
    page.fill("#email", demo_email(role))
    page.fill("#password", DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()


def wait_for_service_worker(page: Page) -> None:
    """Wait until the service worker controls the page, so the shell works offline."""
    # A function, not an expression string: Playwright evals a string, which the app's CSP forbids.
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")


def capture(
    page: Page, description: str, photos: list[Path] = (), kind: str = "Hazard", risk_cell: int = 7
) -> None:
    """Report something in the three steps: kind, details, save."""
    page.get_by_role("navigation").get_by_role("link", name="Report", exact=True).click()
    page.get_by_role("link", name=kind, exact=True).click()
    for photo in photos:
        page.set_input_files("#gallery", str(photo))
    expect(page.locator(".thumbs img")).to_have_count(len(photos))
    page.fill("#description", description)
    page.locator(".risk-grid .cell").nth(risk_cell).click()
    page.get_by_role("button", name="Save report").click()
    expect(page.get_by_role("heading", name="My reports")).to_be_visible()


def unsent(page: Page):
    return page.locator("#outbox-list li")


def synced(page: Page):
    return page.locator("#synced-list li")


def outbox_items(page: Page) -> list[dict]:
    """Every item in the phone's outbox, whoever made it, as stored in IndexedDB."""
    return page.evaluate("""async () => {
        const db = await new Promise((ok, fail) => {
            const r = indexedDB.open('safeloop');
            r.onsuccess = () => ok(r.result);
            r.onerror = fail;
        });
        const items = await new Promise((ok) => {
            const r = db.transaction('outbox').objectStore('outbox').getAll();
            r.onsuccess = () => ok(r.result);
        });
        db.close();
        return items;
    }""")


def phone_photo_hashes(page: Page) -> list[str]:
    """The SHA-256 of every photo in the phone's outbox, as the phone computed them."""
    return [p["sha256"] for item in outbox_items(page) for p in item["photos"]]
