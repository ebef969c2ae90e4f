"""Cross-site request forgery guard for the cookie-authenticated API.

A cross-site HTML form can only send form-urlencoded, multipart or text/plain bodies, and a
cross-site script cannot send JSON or image bodies without a CORS preflight, which this API never
grants. So state-changing calls accept JSON bodies (or image or CSV bodies where a view says so)
and nothing else: any form encoding gets 415 before the view runs.
"""

from collections.abc import Callable

from flask import Flask, current_app, request

from server.exceptions import UnsupportedMedia

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
IMAGE_TYPES = {"image/jpeg", "image/png", "image/webp"}
# Not a type a cross-site form can send, and not one CORS lets a script send without asking.
CSV_TYPES = {"text/csv"}


def accepts(*mimetypes: set[str]) -> Callable[[Callable], Callable]:
    """Mark a view as taking a raw body of these types instead of JSON."""

    def mark(view: Callable) -> Callable:
        view.accepted_types = frozenset().union(*mimetypes)
        return view

    return mark


accepts_images = accepts(IMAGE_TYPES)
accepts_csv = accepts(CSV_TYPES)


def _is_json(mimetype: str) -> bool:
    return mimetype == "application/json" or mimetype.endswith("+json")


def check_content_type() -> None:
    """Refuse any state-changing /api request whose body is not JSON (or an image where allowed)."""
    if request.method in SAFE_METHODS or not request.path.startswith("/api/"):
        return
    mimetype = request.mimetype
    has_body = bool(request.content_length) or "chunked" in request.headers.get(
        "Transfer-Encoding", ""
    )
    if not mimetype and not has_body:
        return
    view = current_app.view_functions.get(request.endpoint)
    accepted = getattr(view, "accepted_types", None)
    if accepted:
        if mimetype in accepted:
            return
        raise UnsupportedMedia(f"Send {', '.join(sorted(accepted))}, not {mimetype or 'nothing'}.")
    if not _is_json(mimetype):
        raise UnsupportedMedia(f"Send JSON (application/json), not {mimetype or 'nothing'}.")


def init_app(app: Flask) -> None:
    """Install the guard in front of every view."""
    app.before_request(check_content_type)
