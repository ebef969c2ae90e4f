"""The app bench/ingest.py serves: Safeloop plus one bare JSON route to compare /api/sync with.

gunicorn loads it as `bench.ingest_app:create()`; settings come from the environment
(DATABASE_URL, SECRET_KEY, MEDIA_ROOT, RATELIMIT_STORAGE_URI), as server/config.py reads them.
"""

import time

from flask import Flask, request

from server import create_app


def echo() -> dict:
    """Parse the JSON body and answer how many reports it held: no sign-in, no database."""
    body = request.get_json()
    return {"received": len(body["reports"])}


class ServerTiming:
    """WSGI middleware adding `Server-Timing: app;dur=MS`, the time the Flask app took.

    The client's latency also holds the wait in gunicorn's queue; this tells the two apart.
    """

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        started = time.perf_counter()

        def timed_start_response(status, headers, exc_info=None):
            elapsed_ms = (time.perf_counter() - started) * 1000
            headers.append(("Server-Timing", f"app;dur={elapsed_ms:.3f}"))
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, timed_start_response)


def create() -> Flask:
    """Safeloop's app with POST /bench/echo, timing every answer."""
    app = create_app()
    app.add_url_rule("/bench/echo", "bench_echo", echo, methods=["POST"])
    app.wsgi_app = ServerTiming(app.wsgi_app)
    return app
