"""The API describes itself; the docs page works without the internet."""

import re

from openapi_spec_validator import validate

from server.apidoc import STORABLE_TEXT
from server.validation import ID_MAX, text_problem


def test_openapi_document_validates(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    document = response.json
    validate(document)
    assert "/api/auth/login" in document["paths"]
    assert "/api/sites/{site_id}" in document["paths"]
    error_schema = document["components"]["schemas"]["Problem"]
    assert {"type", "title", "status", "detail", "errors"} <= set(error_schema["properties"])


def test_docs_page_uses_only_local_assets(client):
    page = client.get("/api/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "https://" not in html and "http://" not in html
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css"):
        with client.get(f"/api/docs/assets/{asset}") as response:
            assert response.status_code == 200


def test_errors_are_documented_as_problem_json(client):
    document = client.get("/api/openapi.json").json
    responses = document["components"]["responses"]
    assert list(responses["DEFAULT_ERROR"]["content"]) == ["application/problem+json"]
    for name in ("NOT_FOUND", "UNPROCESSABLE_ENTITY", "CONFLICT"):
        assert list(responses[name]["content"]) == ["application/problem+json"]
    for path in document["paths"].values():
        for operation in path.values():
            if isinstance(operation, dict) and "responses" in operation:
                assert "default" in operation["responses"]


def test_ids_in_paths_are_documented_within_their_column(client):
    document = client.get("/api/openapi.json").json
    (site_id,) = document["paths"]["/api/sites/{site_id}"]["parameters"]
    assert site_id["schema"] == {"type": "integer", "minimum": 0, "maximum": ID_MAX}


def test_the_documented_text_pattern_is_what_validation_refuses():
    pattern = re.compile(STORABLE_TEXT)
    for code in range(0x10000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        character = chr(code)
        assert (pattern.match(character) is None) == bool(text_problem(character)), hex(code)


def test_text_fields_and_free_text_queries_carry_the_pattern(client):
    document = client.get("/api/openapi.json").json
    site_in = document["components"]["schemas"]["SiteIn"]["properties"]
    assert site_in["name"]["pattern"] == STORABLE_TEXT
    queue = document["paths"]["/api/queue"]["get"]["parameters"]
    (q,) = (p for p in queue if p["name"] == "q")
    assert q["schema"]["pattern"] == STORABLE_TEXT
