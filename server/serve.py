"""`flask serve`: everything on one machine: Redis (embedded by default), a worker, the web."""

import os
import subprocess
import sys
from pathlib import Path

import click
from flask import current_app

from server.jobs.embedded_redis import EmbeddedRedis

# gunicorn's settings (worker class, threads, timeouts): one module for production and tests.
GUNICORN_CONFIG = "python:server.gunicorn_conf"


def gunicorn_command(bind: str, workers: int) -> list[str]:
    """The command that serves the app under gunicorn on bind ("host:port") with its settings."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "--config",
        GUNICORN_CONFIG,
        "--bind",
        bind,
        "--workers",
        str(workers),
        "server:create_app()",
    ]


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
@click.option("--web-workers", default=2, show_default=True)
def serve_command(host: str, port: int, web_workers: int) -> None:
    """Start Redis when none is configured, one rq worker, and gunicorn; stop them all together."""
    embedded = None
    redis_url = current_app.config.get("REDIS_URL")
    if not redis_url:
        embedded = EmbeddedRedis(Path(current_app.instance_path) / "redis").start()
        redis_url = embedded.url
        click.echo(f"Embedded Redis on {embedded.socket}")
    env = {**os.environ, "REDIS_URL": redis_url}
    worker = subprocess.Popen([sys.executable, "-m", "flask", "worker"], env=env)
    click.echo(f"Safeloop is running on http://{host}:{port}  (Ctrl-C stops it)")
    try:
        subprocess.run(gunicorn_command(f"{host}:{port}", web_workers), env=env, check=False)
    except KeyboardInterrupt:
        pass
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        if embedded:
            embedded.stop()
