"""Security headers on every response: API JSON, errors, the PWA, its assets, the service worker."""

import pytest

from tests.factories import make_organization, make_user


def directives(response) -> dict[str, list[str]]:
    """The Content-Security-Policy of a response, as directive -> sources."""
    policy = response.headers["Content-Security-Policy"]
    parsed = (part.split() for part in policy.split(";") if part.strip())
    return {name: sources for name, *sources in parsed}


def assert_secure_headers(response) -> dict[str, list[str]]:
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    policy = directives(response)
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    return policy


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/js/app.js",
        "/css/app.css",
        "/icons/icon-192.png",
        "/manifest.webmanifest",
        "/sw.js",
        "/api/openapi.json",
        "/api/docs/assets/swagger-ui.css",
        "/no-such-page",
    ],
)
def test_every_page_and_asset_has_the_headers(client, path):
    with client.get(path) as response:
        assert response.status_code in (200, 404)
        policy = assert_secure_headers(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "blob:", "data:"]
    assert "Strict-Transport-Security" not in response.headers


def test_api_json_and_problem_json_have_the_headers(client, auth):
    assert_secure_headers(client.get("/api/sites"))  # 401 problem+json
    auth.login(make_user(make_organization()).email)
    response = client.get("/api/sites")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert_secure_headers(response)
    missing = client.get("/api/sites/999999")
    assert missing.mimetype == "application/problem+json"
    assert_secure_headers(missing)


def test_a_500_has_the_headers(make_app):
    app = make_app()

    @app.get("/api/test-crash")
    def crash():
        raise RuntimeError("boom")

    response = app.test_client().get("/api/test-crash")
    assert response.status_code == 500
    assert_secure_headers(response)


@pytest.mark.parametrize("path", ["/", "/api/auth/me"])
def test_hsts_only_over_https(client, path):
    with client.get(path) as plain:
        assert "Strict-Transport-Security" not in plain.headers
    with client.get(path, base_url="https://localhost") as secure:
        hsts = secure.headers["Strict-Transport-Security"]
    assert hsts.startswith("max-age=")
    assert int(hsts.split("=")[1]) >= 180 * 86400


def test_the_docs_page_has_its_own_policy_and_no_inline_script(client):
    page = client.get("/api/docs")
    assert page.status_code == 200
    policy = assert_secure_headers(page)
    assert policy["script-src"] == ["'self'"]
    html = page.get_data(as_text=True)
    assert "<script>" not in html and "onload" not in html
    with client.get("/api/docs/start.js") as script:
        assert script.status_code == 200
        assert script.mimetype == "text/javascript"
        assert "SwaggerUIBundle" in script.get_data(as_text=True)
