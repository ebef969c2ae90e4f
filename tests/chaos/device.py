"""A phone for chaos tests: an outbox sent over plain HTTP, with retries and broken requests."""

import hashlib
import http.client
import json
import random
import socket
import time
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlsplit

from tests.factories import PASSWORD

BATCH = 4
# What a broken network looks like to the phone: refused, reset, timed out, half answered.
NETWORK_ERRORS = (OSError, http.client.HTTPException)


@dataclass(frozen=True)
class PhotoFile:
    sha256: str
    data: bytes


class Device:
    """One person's phone: sends its outbox until every report is acknowledged, as the PWA does.

    Retrying is always safe by the sync contract, so every failure is answered by trying again;
    on purpose, some uploads are cut off half way, some answers are never read and some batches
    are sent twice.
    """

    def __init__(self, base_url: str, email: str, items: list, seed: int):
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port
        self.email = email
        self.items = items
        self.outbox = [item for item, _ in items]
        self.photos = {p.sha256: p for _, photos in items for p in photos}
        self.rng = random.Random(seed)
        self.cookie = None
        self.counters = Counter(
            {"syncs": 0, "resends": 0, "aborted uploads": 0, "lost answers": 0, "errors": 0}
        )

    def request(self, method: str, path: str, body: bytes = b"", content_type: str = ""):
        """One request; (status, body). Signs in again once when the session is refused."""
        for _ in range(2):
            connection = http.client.HTTPConnection(self.host, self.port, timeout=10)
            try:
                headers = {"Cookie": self.cookie} if self.cookie else {}
                if content_type:
                    headers["Content-Type"] = content_type
                connection.request(method, path, body=body or None, headers=headers)
                response = connection.getresponse()
                answer = response.read()
            finally:
                connection.close()
            if response.status != 401 or path == "/api/auth/login":
                return response.status, answer
            self.sign_in()
        return response.status, answer

    def sign_in(self) -> None:
        """Start a session; raises ConnectionError unless it worked."""
        body = json.dumps({"email": self.email, "password": PASSWORD}).encode()
        connection = http.client.HTTPConnection(self.host, self.port, timeout=10)
        try:
            connection.request(
                "POST", "/api/auth/login", body=body, headers={"Content-Type": "application/json"}
            )
            response = connection.getresponse()
            response.read()
        finally:
            connection.close()
        if response.status != 200:
            raise ConnectionError(f"sign-in answered {response.status}")
        self.cookie = response.getheader("Set-Cookie").split(";", 1)[0]

    def broken_request(self, method: str, path: str, body: bytes, content_type: str) -> None:
        """Send the headers and half the body, or the whole request without reading the answer."""
        cut = self.rng.random() < 0.5
        head = (
            f"{method} {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            f"Cookie: {self.cookie or ''}\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode()
        with socket.create_connection((self.host, self.port), timeout=5) as raw:
            raw.sendall(head + (body[: len(body) // 2] if cut else body))
        self.counters["aborted uploads" if cut else "lost answers"] += 1

    def upload_missing(self, hashes: list[str]) -> None:
        """HEAD each photo, PUT those the server does not hold (some cut off first)."""
        for sha256 in hashes:
            status, _ = self.request("HEAD", f"/api/photos/{sha256}")
            if status == 200:
                continue
            data = self.photos[sha256].data
            if self.rng.random() < 0.25:
                self.broken_request("PUT", f"/api/photos/{sha256}", data, "image/jpeg")
            status, answer = self.request("PUT", f"/api/photos/{sha256}", data, "image/jpeg")
            if status not in (200, 201):
                raise ConnectionError(f"photo upload answered {status}: {answer[:200]!r}")

    def send_batch(self, batch: list[dict]) -> None:
        """Sync a batch (sometimes twice, sometimes losing the answer) and settle each result."""
        body = json.dumps({"reports": batch}).encode()
        if self.rng.random() < 0.2:
            self.broken_request("POST", "/api/sync", body, "application/json")
        self.upload_missing([p["sha256"] for item in batch for p in item["photos"]])
        status, answer = self.request("POST", "/api/sync", body, "application/json")
        self.counters["syncs"] += 1
        if status != 200:
            raise ConnectionError(f"sync answered {status}: {answer[:200]!r}")
        if self.rng.random() < 0.3:
            self.counters["resends"] += 1
            status, answer = self.request("POST", "/api/sync", body, "application/json")
            if status != 200:
                raise ConnectionError(f"resend answered {status}")
        done = set()
        for result in json.loads(answer)["results"]:
            if result["status"] in ("created", "duplicate"):
                done.add(result["id"])
            elif result["status"] == "missing_photos":
                self.upload_missing(result["missing_photos"])
            else:
                raise AssertionError(f"unexpected sync result {result}")
        self.outbox = [item for item in self.outbox if item["id"] not in done]

    def run(self, seconds: float) -> None:
        """Send the outbox until it is empty or time is up, backing off after each failure."""
        deadline = time.monotonic() + seconds
        delay = 0.1
        while self.outbox and time.monotonic() < deadline:
            try:
                if self.cookie is None:
                    self.sign_in()
                self.send_batch(self.outbox[:BATCH])
                delay = 0.1
            except NETWORK_ERRORS:
                self.counters["errors"] += 1
                time.sleep(delay * (1 + self.rng.random()))
                delay = min(delay * 2, 2.0)

    def verify_photos(self) -> int:
        """Download every original this phone sent; count those whose bytes hash to their name."""
        verified = 0
        for sha256 in self.photos:
            status, data = self.request("GET", f"/api/photos/{sha256}/original")
            assert status == 200, f"original {sha256} answered {status}"
            assert hashlib.sha256(data).hexdigest() == sha256, f"original {sha256} altered"
            verified += 1
        return verified
