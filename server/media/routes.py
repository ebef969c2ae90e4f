"""/api/photos: the phone asks which photos are missing and uploads their bytes."""

from http import HTTPStatus

from flask import Response, request, send_file
from flask_smorest import Blueprint

from server.auth.access import current_actor, role_required
from server.csrf import IMAGE_TYPES, accepts_images
from server.exceptions import NotFound
from server.extensions import db
from server.media import attachments, services
from server.media.schemas import PhotoOut
from server.media.upload import read_timeout

blp = Blueprint("photos", __name__, url_prefix="/api/photos", description="Photos")

_IMAGE_BODY = {
    "required": True,
    "content": {
        kind: {"schema": {"type": "string", "format": "binary"}} for kind in sorted(IMAGE_TYPES)
    },
}


@blp.route("/<sha256>", methods=["HEAD"])
@role_required()
@blp.response(200, description="My organization holds these bytes")
@blp.alt_response(404, response=HTTPStatus(404).name)
def photo_held(sha256):
    """200 when my organization holds the photo with this SHA-256, 404 when not."""
    if services.find_photo(current_actor(), sha256) is None:
        raise NotFound("Your organization holds no photo with this hash.")
    return Response(status=200)


@blp.route("/<sha256>", methods=["PUT"])
@accepts_images
@role_required()
@blp.doc(requestBody=_IMAGE_BODY)
@blp.response(201, PhotoOut, description="Stored")
@blp.alt_response(200, schema=PhotoOut, description="Already held", success=True)
@blp.alt_response(408, response=HTTPStatus(408).name)
@blp.alt_response(413, response=HTTPStatus(413).name)
@blp.alt_response(415, response=HTTPStatus(415).name)
@blp.alt_response(422, response=HTTPStatus(422).name)
def put_photo(sha256):
    """Upload a photo's bytes, verified against its SHA-256; 201 stored, 200 already held."""
    actor = current_actor()
    with read_timeout(request.environ, services.read_timeout()):
        photo, created = services.store_photo(
            actor, sha256, request.mimetype, request.stream, request.content_length
        )
    if created:
        attachments.photo_held(actor.organization_id, photo.sha256, actor.user_id)
    db.session.commit()
    return photo, 201 if created else 200


@blp.get("/<sha256>/<any(original, display, thumb):variant>")
@role_required()
@blp.response(200, description="The image bytes")
@blp.alt_response(404, response=HTTPStatus(404).name)
def photo_file(sha256, variant):
    """A photo of a record I may open: the original as evidence (download), or a derivative."""
    actor, sha256 = current_actor(), sha256.lower()
    # Both: my organization sent these bytes itself, and a record I may open shows them.
    if not (services.holds_photo(actor, sha256) and attachments.photo_visible_to(actor, sha256)):
        raise NotFound("No such photo among the records you may open.")
    file, mimetype = services.open_variant(sha256, variant)
    response = send_file(
        file,
        mimetype=mimetype,
        etag=f"{sha256}-{variant}",
        max_age=86400,
        as_attachment=variant == "original",
        download_name=f"{sha256}.{mimetype.split('/')[1]}",
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.cache_control.private = True
    return response
