"""Cross-site request forgery guard for the cookie-authenticated API.

A cross-site HTML form can only send form-urlencoded, multipart or text/plain bodies, and a
cross-site script cannot send JSON or image bodies without a CORS preflight, which this API never
grants. So state-changing calls accept JSON bodies (or image bodies where a view says so) and
nothing else: any form encoding gets 415 before the view runs.
"""

from collections.abc import Callable

from flask import Flask, current_app, request

from server.exceptions import UnsupportedMedia

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
IMAGE_TYPES = {"image/jpeg", "image/png", "image/webp"}


def accepts_images(view: Callable) -> Callable:
    """Mark a view as taking a raw image body instead of JSON."""
    view.accepts_images = True
    return view


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
    if getattr(view, "accepts_images", False):
        if mimetype in IMAGE_TYPES:
            return
        raise UnsupportedMedia(
            f"Send the image as {', '.join(sorted(IMAGE_TYPES))}, not {mimetype or 'nothing'}."
        )
    if not _is_json(mimetype):
        raise UnsupportedMedia(f"Send JSON (application/json), not {mimetype or 'nothing'}.")


def init_app(app: Flask) -> None:
    """Install the guard in front of every view."""
    app.before_request(check_content_type)
