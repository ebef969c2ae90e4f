"""The rq queue and its Redis connection, made on first use (nothing connects at import)."""

import redis
from flask import current_app
from rq import Queue

from server.exceptions import Unavailable

QUEUE_NAME = "safeloop"


class QueueUnavailable(Unavailable):
    """No Redis is configured for this app: an API call that needs the queue answers 503."""


def redis_connection() -> redis.Redis:
    """The app's Redis client (shared, lazily made); QueueUnavailable without REDIS_URL."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        raise QueueUnavailable("REDIS_URL is not set")
    state = current_app.extensions.setdefault("redis", {})
    if state.get("url") != url:
        # Short timeouts: a report must be accepted quickly even when Redis is down.
        state.update(
            url=url,
            client=redis.Redis.from_url(
                url, socket_connect_timeout=1, socket_timeout=5, health_check_interval=30
            ),
        )
    return state["client"]


def job_queue() -> Queue:
    """The queue every Safeloop job goes through."""
    return Queue(QUEUE_NAME, connection=redis_connection(), default_timeout=300)
