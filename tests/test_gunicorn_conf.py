"""gunicorn's settings as a web worker lives them: warmed before its first request, timed logs."""

import re

import requests

from tests.live_server import GunicornServer, app_environment


def test_a_web_worker_reads_its_vocabularies_before_its_first_request(app, tmp_path):
    log_path = tmp_path / "gunicorn.log"
    with GunicornServer(app_environment(app), workers=1, log_path=log_path) as server:
        assert requests.get(f"{server.url}/api/lists", timeout=30).status_code in (200, 401)
    lines = log_path.read_text().splitlines()
    loaded = next(i for i, line in enumerate(lines) if "Vocabularies loaded in" in line)
    first_request = next(i for i, line in enumerate(lines) if '"GET /api/lists' in line)
    assert loaded < first_request


def test_each_request_in_the_access_log_says_how_long_it_took(app, tmp_path):
    log_path = tmp_path / "gunicorn.log"
    with GunicornServer(app_environment(app), workers=1, log_path=log_path) as server:
        requests.get(f"{server.url}/api/openapi.json", timeout=30)
    line = next(
        line for line in log_path.read_text().splitlines() if '"GET /api/openapi.json' in line
    )
    assert re.search(r'" 200 \d+ "-" "[^"]*" \d+ms$', line), line
