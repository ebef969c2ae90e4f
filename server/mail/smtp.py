"""One message through the SMTP server that MAIL_URL names (smtp:// or smtps://)."""

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from urllib.parse import parse_qs, unquote, urlsplit

from flask import current_app

# Seconds to wait for the server to answer each step before the attempt fails (and is retried).
TIMEOUT = 20
DEFAULT_PORTS = {"smtp": 25, "smtps": 465}
TRUE = {"1", "true", "yes"}


class MailNotSent(Exception):
    """The message could not be handed to the SMTP server; sending it again may work."""


@dataclass(frozen=True)
class MailServer:
    """Where and how to hand mail over, as MAIL_URL says."""

    host: str
    port: int
    # smtps: TLS from the first byte; starttls: plain, then upgraded before anything is said.
    tls: bool = False
    starttls: bool = False
    username: str | None = None
    password: str | None = None


def parse_mail_url(url: str) -> MailServer:
    """Read smtp://user:pass@host:port (?starttls=true) or smtps://...; ValueError when unusable."""
    parts = urlsplit(url)
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        raise ValueError("MAIL_URL must look like smtp://user:password@host:port or smtps://...")
    query = {key: values[-1].lower() for key, values in parse_qs(parts.query).items()}
    return MailServer(
        host=parts.hostname,
        port=parts.port or (587 if query.get("starttls") in TRUE else DEFAULT_PORTS[parts.scheme]),
        tls=parts.scheme == "smtps",
        starttls=parts.scheme == "smtp" and query.get("starttls") in TRUE,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
    )


def mail_enabled() -> bool:
    """True when this app has an SMTP server to send through (MAIL_URL is set)."""
    return bool(current_app.config.get("MAIL_URL"))


def compose(to: str, subject: str, text: str) -> EmailMessage:
    """A plain-text message from MAIL_FROM to one address."""
    sender = current_app.config["MAIL_FROM"]
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2].strip("> ") or None)
    message.set_content(text)
    return message


def _connect(server: MailServer) -> smtplib.SMTP:
    if server.tls:
        context = ssl.create_default_context()
        return smtplib.SMTP_SSL(server.host, server.port, timeout=TIMEOUT, context=context)
    connection = smtplib.SMTP(server.host, server.port, timeout=TIMEOUT)
    if server.starttls:
        connection.starttls(context=ssl.create_default_context())
    return connection


def deliver(message: EmailMessage) -> None:
    """Hand message to the MAIL_URL server; MailNotSent says why it could not be."""
    server = parse_mail_url(current_app.config["MAIL_URL"])
    try:
        with _connect(server) as connection:
            if server.username:
                connection.login(server.username, server.password or "")
            connection.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        raise MailNotSent(f"{server.host}:{server.port}: {error}") from error


def send(to: str, subject: str, text: str) -> None:
    """Send one plain-text message to one address through MAIL_URL."""
    deliver(compose(to, subject, text))
