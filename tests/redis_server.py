"""A real `redis-server` process of a test's own, to stop and start in the middle of a test."""

import os
import shutil
import socket
import subprocess
import time

import redis
from redis.connection import parse_url


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def own_redis_url() -> str | None:
    """TEST_REDIS_URL, its database number moved on by this test process's xdist index.

    Parallel test processes then never flush or read each other's keys.
    """
    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        return None
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    base = int(parse_url(url).get("db", 0))
    number = (base + int(worker.removeprefix("gw"))) % 16
    return url.rsplit("/", 1)[0] + f"/{number}" if url.count("/") > 2 else f"{url}/{number}"


class RedisServer:
    """redis-server on a free loopback port, keeping nothing on disk; stop() makes it truly gone."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> "RedisServer":
        """Start the server (on the same port as before) and wait until it answers."""
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server is not installed")
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        with redis.Redis(port=self.port, socket_connect_timeout=0.2) as client:
            while True:
                try:
                    client.ping()
                    return self
                except redis.exceptions.ConnectionError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.05)

    def stop(self) -> None:
        """Stop the server; its data is gone with it."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None
