"""The app shell loads in a real Chromium at phone and desktop size."""

import pytest

from e2e.conftest import DESKTOP, PHONE


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_shell_loads_with_large_targets(browser, live_server, screenshot, size):
    context = browser.new_context(**size)
    page = context.new_page()
    page.goto(live_server + "/")
    assert page.title() == "Safeloop"
    link = page.get_by_role("link", name="Open the API documentation")
    box = link.bounding_box()
    assert box["height"] >= 48
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= size["viewport"]["width"]
    screenshot(page, f"shell-{size['viewport']['width']}")
    context.close()


def test_api_docs_render_offline(browser, live_server, screenshot):
    context = browser.new_context(**DESKTOP)
    page = context.new_page()
    outside = []
    page.on(
        "request", lambda r: outside.append(r.url) if not r.url.startswith(live_server) else None
    )
    page.goto(live_server + "/api/docs")
    page.get_by_text("/api/auth/login").first.wait_for()
    assert outside == []
    screenshot(page, "api-docs")
    context.close()
