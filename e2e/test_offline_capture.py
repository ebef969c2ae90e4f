"""Journeys of a field worker with a phone that goes offline."""

import hashlib
import uuid

from playwright.sync_api import expect
from sqlalchemy import select

from e2e.conftest import PHONE
from e2e.journeys import (
    capture,
    make_photo,
    phone_photo_hashes,
    sign_in,
    synced,
    unsent,
    wait_for_service_worker,
)
from server.extensions import db
from server.media.services import open_variant
from server.reports.models import Report


def reports_tagged(app, tag: str) -> list[Report]:
    with app.app_context():
        rows = db.session.scalars(select(Report).where(Report.description.contains(tag))).all()
        for report in rows:
            report.photos  # noqa: B018 (load before the session closes)
        db.session.remove()
        return rows


def stored_sha256(app, sha256: str) -> str:
    """Hash the original bytes the server stored for a photo."""
    with app.app_context():
        file, _mimetype = open_variant(sha256, "original")
        with file:
            return hashlib.sha256(file.read()).hexdigest()


def test_offline_reports_survive_a_restart_and_sync_exactly_once(
    browser_type, browser_type_launch_args, server, live_server, tmp_path, screenshot
):
    tag = uuid.uuid4().hex[:8]
    profile = tmp_path / "profile"
    launch = {**browser_type_launch_args, **PHONE}

    context = browser_type.launch_persistent_context(profile, **launch)
    page = context.pages[0]
    page.goto(live_server)
    sign_in(page)
    wait_for_service_worker(page)

    server.stop()
    for number in range(3):
        photos = [make_photo(tmp_path) for _ in range(number + 1)]
        capture(page, f"Offline report {number} {tag}", photos)
    expect(unsent(page)).to_have_count(3)
    expect(page.locator("#outbox-list [data-state=saved]")).to_have_count(3)
    phone_hashes = sorted(phone_photo_hashes(page))
    assert len(phone_hashes) == 6
    context.close()

    context = browser_type.launch_persistent_context(profile, **launch)
    page = context.pages[0]
    page.goto(live_server + "/#/reports")
    expect(unsent(page)).to_have_count(3)
    expect(page.locator("#outbox-list .badge.saved")).to_have_count(3)
    expect(page.locator("#outbox-list .badge").first).to_have_text("Saved on this phone")
    screenshot(page, "phone-outbox-offline")

    server.start()
    page.get_by_role("button", name="Sync now").click()
    expect(unsent(page)).to_have_count(0, timeout=20_000)
    expect(synced(page).filter(has_text=tag)).to_have_count(3)
    expect(page.locator("#unsent")).to_have_text("All sent")
    screenshot(page, "phone-synced")
    context.close()

    reports = reports_tagged(server.app, tag)
    assert len(reports) == 3
    server_hashes = sorted(p.sha256 for r in reports for p in r.photos)
    assert server_hashes == phone_hashes
    assert all(stored_sha256(server.app, sha) == sha for sha in server_hashes)
    assert {r.status for r in reports} <= {"received", "triaged"}
