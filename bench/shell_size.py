"""The field app's first load: gzipped size of the shell, and offline cold start in Chromium.

Run: .venv/bin/python -m bench.shell_size
Goals: shell at most 60 KiB gzipped; offline cold start to a usable capture screen under 500 ms.
"""

import gzip
import re
import statistics
import tempfile
import threading
import time
from pathlib import Path

import flask_migrate
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from server import create_app
from server.demo import DEMO_PASSWORD, demo_email, seed_demo
from server.extensions import db

PWA = Path(__file__).resolve().parent.parent / "pwa"
CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
RUNS = 15


def shell_files() -> list[str]:
    """The files the service worker precaches: what the first load needs."""
    source = (PWA / "sw.js").read_text()
    listed = re.search(r"const SHELL = \[(.*?)\];", source, re.S).group(1)
    return [url for url in re.findall(r"'([^']+)'", listed)]


def gzipped_sizes() -> dict[str, tuple[int, int]]:
    """Raw and gzipped bytes of each text file of the shell (icons are already compressed)."""
    sizes = {}
    for url in shell_files():
        path = PWA / ("index.html" if url == "/" else url.lstrip("/"))
        raw = path.read_bytes()
        sizes[url] = (len(raw), len(gzip.compress(raw, 9)) if path.suffix != ".png" else len(raw))
    return sizes


def serve(folder: Path):
    """Start the app on a fresh migrated SQLite database with demo data; returns the server."""
    app = create_app(
        {
            "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/b.db",
            "MEDIA_ROOT": str(folder / "media"),
            "RATELIMIT_STORAGE_URI": "memory://",
        }
    )
    with app.app_context():
        flask_migrate.upgrade()
        seed_demo()
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def wait_until(page, condition: str, timeout_s: float = 30) -> None:
    """Poll a condition in the page.

    Not wait_for_function: its polling evaluates strings in the page, which the app's
    Content-Security-Policy (no 'unsafe-eval') forbids.
    """
    deadline = time.monotonic() + timeout_s
    while not page.evaluate(condition):
        if time.monotonic() > deadline:
            raise TimeoutError(f"not true within {timeout_s} s: {condition}")
        page.wait_for_timeout(50)


def cold_starts(url: str, server) -> list[float]:
    """Milliseconds from navigation to the capture screen, offline, in fresh pages."""
    with sync_playwright() as playwright:
        options = {"args": FLAGS}
        if CHROMIUM.exists():
            options["executable_path"] = str(CHROMIUM)
        browser = playwright.chromium.launch(**options)
        context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
        page = context.new_page()
        page.goto(url)
        page.fill("#email", demo_email("worker"))
        page.fill("#password", DEMO_PASSWORD)
        page.click("button[type=submit]")
        wait_until(page, "navigator.serviceWorker.controller !== null && window.__appReady")
        page.close()
        server.shutdown()
        server.server_close()
        timings = []
        for _ in range(RUNS):
            page = context.new_page()
            page.goto(url + "/#/report")
            page.wait_for_selector(".kind")
            timings.append(page.evaluate("performance.now()"))
            page.close()
        browser.close()
    return timings


def main() -> None:
    sizes = gzipped_sizes()
    total_raw = sum(raw for raw, _ in sizes.values())
    total_gz = sum(gz for _, gz in sizes.values())
    print(f"{'file':34} {'bytes':>8} {'gzip':>8}")
    for url, (raw, gz) in sizes.items():
        print(f"{url:34} {raw:8d} {gz:8d}")
    print(
        f"{'shell total':34} {total_raw:8d} {total_gz:8d}  = {total_gz / 1024:.1f} KiB gzipped "
        f"(goal <= 60 KiB: {'met' if total_gz <= 60 * 1024 else 'MISSED'})"
    )
    with tempfile.TemporaryDirectory() as folder:
        server = serve(Path(folder))
        timings = cold_starts(f"http://127.0.0.1:{server.server_port}", server)
    p50 = statistics.median(timings)
    p95 = sorted(timings)[int(0.95 * (len(timings) - 1))]
    print(
        f"offline cold start to capture screen, {RUNS} runs: median {p50:.0f} ms, "
        f"p95 {p95:.0f} ms, max {max(timings):.0f} ms (goal < 500 ms: "
        f"{'met' if p95 < 500 else 'MISSED'})"
    )


if __name__ == "__main__":
    main()
