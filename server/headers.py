"""Security headers on every response: a strict Content-Security-Policy, no sniffing, HSTS on https.

Scripts run only from this origin's files (never inline), nothing may frame the app, and the
browser is told not to guess content types. A view may set its own Content-Security-Policy
(the API docs page does); every other header here is the same for all responses.
"""

from flask import Flask, Response, request

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    # Photo previews on the phone are blob: URLs of the bytes waiting in the outbox.
    "img-src": "'self' blob: data:",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}
# A year; subdomains are left to their own servers.
HSTS = "max-age=31536000"


def policy(**changes: str) -> str:
    """The Content-Security-Policy header value, with some directives changed."""
    return "; ".join(f"{name} {value}" for name, value in {**POLICY, **changes}.items())


CONTENT_SECURITY_POLICY = policy()


def add_security_headers(response: Response) -> Response:
    """Set the security headers a response does not set itself."""
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response


def init_app(app: Flask) -> None:
    """Add the headers to every response, errors included."""
    app.after_request(add_security_headers)
