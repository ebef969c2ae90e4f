"""The review pack as a PDF download and the review's charts as SVG, for the officers and admins
who may open the review (another organization's review, or one of sites not theirs, is a 404)."""

import hashlib
import re
import unicodedata
import uuid
from http import HTTPStatus
from urllib.parse import quote

from flask import Response, request
from flask_smorest import Blueprint

from server.auth.access import current_actor, role_required
from server.exceptions import NotFound
from server.reviews import charts
from server.reviews.pack import pack_pdf
from server.reviews.reading import review_view
from server.reviews.records import DESK_ROLES

blp = Blueprint(
    "review_pack",
    __name__,
    url_prefix="/api/reviews",
    description="The management review's pack (PDF) and its charts (SVG)",
)
_404 = HTTPStatus(404).name
# A chart is a picture: no script, its own inline styles, nothing fetched.
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"


def slug(text: str) -> str:
    """Text as a file name's lower-case ASCII words joined by '-', at most 80 characters."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", folded.lower()))[:80].strip("-")


def pack_filename(view: dict) -> tuple[str, str]:
    """The pack's file name in ASCII and as a person reads it: its title, 'draft' until held."""
    title = view.get("title") or "Management review"
    draft = view.get("status") != "held"
    ascii_name = (slug(title) or "management-review") + ("-draft" if draft else "") + ".pdf"
    readable = "".join(c for c in title if unicodedata.category(c)[0] != "C").strip()
    return ascii_name, f"{readable or 'Management review'}{' (draft)' if draft else ''}.pdf"


@blp.get("/<uuid:review_id>/pack.pdf")
@role_required(*DESK_ROLES)
@blp.response(200, description="The review pack, to download", content_type="application/pdf")
@blp.alt_response(404, response=_404)
def pack(review_id: uuid.UUID):
    """The review pack: cover, the inputs in the order of ISO 45001 9.3 with their charts, and
    the outputs; marked DRAFT on every page until the review is held."""
    view = review_view(current_actor(), review_id)
    pdf = pack_pdf(view)
    ascii_name, readable = pack_filename(view)
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(readable, safe='')}"
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@blp.get("/<uuid:review_id>/charts/<string:name>.svg")
@role_required(*DESK_ROLES)
@blp.response(200, description="One of the review's charts", content_type="image/svg+xml")
@blp.alt_response(404, response=_404)
def chart(review_id: uuid.UUID, name: str):
    """One chart of the review, the very drawing the pack prints: incidents-by-month,
    comparison, rates, audit-scores or heat-map."""
    view = review_view(current_actor(), review_id)
    if name not in charts.CHARTS:
        raise NotFound(f"No chart named {name}; the charts are {', '.join(charts.CHARTS)}.")
    svg = charts.svg(name, view)
    response = Response(svg, mimetype="image/svg+xml")
    # A draft's figures move with the records: the browser asks each time, by the drawing's hash.
    response.set_etag(hashlib.sha256(svg).hexdigest()[:32])
    response.headers["Cache-Control"] = "private, no-cache"
    response.headers["Content-Security-Policy"] = SVG_POLICY
    return response.make_conditional(request)
