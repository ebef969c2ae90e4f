"""The mails people get about their account: an invitation and a password reset link."""

import logging

from flask import after_this_request, current_app

from server.mail.smtp import MailNotSent, mail_enabled, send

log = logging.getLogger(__name__)


def send_quietly(to: str, subject: str, text: str) -> bool:
    """Mail one message now when mail is set up; False (logged) when it could not go out, since
    the link is shown to the admin anyway and a refused mail must not fail the request."""
    if not mail_enabled():
        return False
    try:
        send(to, subject, text)
    except (MailNotSent, ValueError) as error:
        log.warning("Account mail to %s not sent: %s", to, error)
        return False
    return True


def send_after_response(to: str, subject: str, text: str) -> None:
    """Mail one message once this request's answer has gone out, so how long the SMTP server
    takes does not show in the answer's time (which would tell who has an account)."""
    app = current_app._get_current_object()

    def deliver() -> None:
        with app.app_context():
            send_quietly(to, subject, text)

    @after_this_request
    def later(response):
        response.call_on_close(deliver)
        return response


def invitation(
    name: str, organization: str, inviter: str, url: str, days: int, existing: bool
) -> tuple[str, str]:
    """The subject and text of an invitation."""
    if existing:
        step = "Open this link and sign in with the password you already use for Safeloop:"
    else:
        step = "Open this link to choose your password and sign in:"
    text = (
        f"Hello {name},\n\n"
        f"{inviter} has invited you to {organization} on Safeloop, where you report hazards and "
        f"incidents and follow up on safety work.\n\n"
        f"{step}\n\n{url}\n\n"
        f"The link works once, for {days} day{'s' if days != 1 else ''}. If it has expired, ask "
        f"{inviter} for a new one.\n"
    )
    return f"You are invited to {organization} on Safeloop", text


def password_reset(name: str, url: str, minutes: int) -> tuple[str, str]:
    """The subject and text of a password reset link."""
    text = (
        f"Hello {name},\n\n"
        "Someone (we hope you) asked to reset your Safeloop password. Open this link to choose "
        f"a new one; it signs you out everywhere else:\n\n{url}\n\n"
        f"The link works once, for {minutes} minutes. If you did not ask for it, you can ignore "
        "this mail: your password stays as it is.\n"
    )
    return "Reset your Safeloop password", text
