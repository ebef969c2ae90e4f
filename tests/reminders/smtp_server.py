"""A real SMTP server process (aiosmtpd) that keeps what it receives in a Maildir.

Run as `python -m tests.reminders.smtp_server --port N --maildir DIR [--cert C --key K]
[--user U --password P]`; SmtpServer starts and stops it from a test.
"""

import argparse
import mailbox
import os
import signal
import socket
import ssl
import subprocess
import sys
import time
from email.message import Message
from pathlib import Path

from tests.redis_server import free_port

ROOT = Path(__file__).resolve().parents[2]


class SmtpServer:
    """`python -m tests.reminders.smtp_server` on a loopback port, in its own process group."""

    def __init__(self, maildir: Path, port: int | None = None, **options):
        self.maildir = maildir
        self.port = port or free_port()
        self.options = options
        self.process = None

    @property
    def url(self) -> str:
        scheme = "smtps" if "cert" in self.options else "smtp"
        user = self.options.get("user")
        login = f"{user}:{self.options['password']}@" if user else ""
        return f"{scheme}://{login}127.0.0.1:{self.port}"

    def start(self) -> "SmtpServer":
        arguments = [f"--{name}={value}" for name, value in self.options.items()]
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.reminders.smtp_server", f"--port={self.port}",
             f"--maildir={self.maildir}", *arguments],
            cwd=ROOT,
            start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("the SMTP server did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=10)

    def messages(self) -> list[Message]:
        """What the server has received so far."""
        if not (self.maildir / "new").exists():
            return []
        return list(mailbox.Maildir(self.maildir, create=False))


def _serve(options: argparse.Namespace) -> None:
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Mailbox
    from aiosmtpd.smtp import AuthResult

    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = (auth_data.login, auth_data.password) == (
            options.user.encode(),
            options.password.encode(),
        )
        return AuthResult(success=ok, handled=False)

    settings = {}
    if options.cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(options.cert, options.key)
        settings["ssl_context"] = context
    if options.user:
        settings.update(authenticator=authenticate, auth_require_tls=False)
    controller = Controller(
        Mailbox(options.maildir), hostname="127.0.0.1", port=options.port, **settings
    )
    controller.start()
    signal.signal(signal.SIGTERM, lambda *_: controller.stop() or sys.exit(0))
    while True:
        signal.pause()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--maildir", required=True)
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--user")
    parser.add_argument("--password")
    _serve(parser.parse_args())
