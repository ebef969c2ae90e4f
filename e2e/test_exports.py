"""Exports and evidence on the desk: an officer picks a period, sees the CSV downloads, builds the
evidence bundle and follows its progress, downloads it, and the zip passes unzip and
sha256sum -c; the same page on a phone."""

import os
import re
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from e2e.conftest import DESKTOP, PHONE
from e2e.steps import api_session, open_app, send_report

SCREENS = Path(os.environ.get("EXPORT_SCREENS", "test-artifacts/exports"))


def shot(page: Page, name: str) -> None:
    """A full-page screenshot from the top, into SCREENS."""
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.evaluate("() => window.scrollTo(0, 0)")
    page.screenshot(path=str(SCREENS / f"{name}.png"), full_page=True)


def wide_enough(page: Page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.e2e
def test_an_officer_builds_and_downloads_the_evidence_bundle(browser, live_server, tmp_path):
    worker = api_session(browser, live_server, "worker")
    send_report(worker, "Pallet stacked too high by the dock door")
    context, page = open_app(browser, live_server, DESKTOP, role="officer", accept_downloads=True)
    page.goto(f"{live_server}/#/desk/exports")
    expect(page.get_by_role("heading", name="Exports and evidence")).to_be_visible()
    page.get_by_label("Last 12 months").check()
    reports = page.get_by_role("link", name="Reports (CSV)")
    expect(reports).to_have_attribute("href", re.compile(r"^/api/exports/reports.csv\?from=\d{4}"))
    shot(page, "desk-1440")
    wide_enough(page, 1440)

    # Days of my choosing, the wrong way round: said at once, and nothing can be downloaded.
    page.get_by_label("Days of my choosing").check()
    page.get_by_label("From (first day)").fill("2026-06-30")
    page.get_by_label("To (last day, included)").fill("2026-06-01")
    expect(page.locator(".choice-problem")).to_have_text(
        "The last day comes before the first: swap them."
    )
    expect(reports).to_have_attribute("aria-disabled", "true")
    shot(page, "desk-1440-wrong-days")
    page.get_by_label("Last 12 months").check()
    expect(reports).to_have_attribute("aria-disabled", "false")

    with page.expect_download() as csv_download:
        reports.click()
    assert csv_download.value.suggested_filename.startswith("reports-")
    text = Path(csv_download.value.path()).read_text(encoding="utf-8-sig")
    assert "Pallet stacked too high by the dock door" in text

    page.get_by_role("button", name="Build the evidence bundle").click()
    download_button = page.get_by_role("link", name="Download the evidence bundle")
    expect(download_button).to_be_visible(timeout=60_000)
    expect(page.locator(".bundle-ready")).to_contain_text("is ready")
    shot(page, "desk-1440-ready")
    with page.expect_download() as bundle_download:
        download_button.click()
    archive = tmp_path / "evidence.zip"
    bundle_download.value.save_as(archive)
    assert bundle_download.value.suggested_filename.startswith("evidence-")
    folder = tmp_path / "evidence"
    subprocess.run(["unzip", "-q", str(archive), "-d", str(folder)], check=True)
    checked = subprocess.run(
        ["sha256sum", "-c", "SHA256SUMS"], cwd=folder, capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stdout
    context.close()

    # On a phone: the same page in one column.
    context, page = open_app(browser, live_server, PHONE, role="officer")
    page.goto(f"{live_server}/#/desk/exports")
    page.get_by_role("button", name="Build the evidence bundle").click()
    expect(page.get_by_role("link", name="Download the evidence bundle")).to_be_visible(
        timeout=60_000
    )
    shot(page, "phone-390")
    wide_enough(page, 390)
    context.close()
