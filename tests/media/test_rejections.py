"""Bad uploads get a clear 4xx problem+json, never a 500, and leave nothing behind."""

import io
import zlib
from pathlib import Path

import pytest

from server.media import formats
from tests.factories import PASSWORD, make_organization, make_user
from tests.media import images

PROBLEM = "application/problem+json"


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status
    assert response.mimetype == PROBLEM
    assert response.json["status"] == status
    return response.json


def _jpeg_declaring(width: int, height: int) -> bytes:
    """A small baseline JPEG whose frame header is edited to declare another size."""
    data = bytearray(images.encode(images.photo((64, 48)), "JPEG"))
    frame = data.index(b"\xff\xc0")
    data[frame + 5 : frame + 9] = height.to_bytes(2, "big") + width.to_bytes(2, "big")
    return bytes(data)


def _webp_declaring(width: int, height: int) -> bytes:
    """A small lossy WebP put in an extended (VP8X) container declaring a huge canvas."""
    simple = images.encode(images.photo((64, 48)), "WEBP")
    assert simple[12:16] == b"VP8 "
    canvas = (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
    body = b"WEBP" + b"VP8X" + (10).to_bytes(4, "little") + bytes(4) + canvas + simple[12:]
    return b"RIFF" + len(body).to_bytes(4, "little") + body


def _jpeg_with_two_frames() -> bytes:
    """A small JPEG whose frame header is repeated (a parser may believe either)."""
    data = images.encode(images.photo((64, 48)), "JPEG")
    frame = data.index(b"\xff\xc0")
    length = int.from_bytes(data[frame + 2 : frame + 4], "big")
    segment = data[frame : frame + 2 + length]
    return data[:frame] + segment + segment + data[frame + 2 + length :]


def _png_of_empty_chunks(count: int) -> bytes:
    """A PNG with count empty ancillary chunks between its header and its image data."""
    data = images.encode(images.photo((8, 8)), "PNG")
    empty = b"\0\0\0\0tEXt" + zlib.crc32(b"tEXt").to_bytes(4, "big")
    header_end = 8 + 25  # signature, then IHDR: length, type, 13 bytes, CRC
    return data[:header_end] + empty * count + data[header_end:]


def _truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]


BAD_IMAGES = {
    "zero bytes": (lambda: b"", 422, "empty"),
    "truncated jpeg": (lambda: _truncated(images.jpeg()), 422, "truncated"),
    "truncated png": (lambda: _truncated(images.png_with_alpha()), 422, "truncated"),
    "truncated webp": (lambda: _truncated(images.webp((300, 200))), 422, "truncated"),
    "jpeg without a frame": (lambda: b"\xff\xd8\xff\xd9", 422, "no size"),
    "jpeg with html appended": (lambda: images.jpeg() + images.HTML, 422, "after the image"),
    "jpeg with zip appended": (
        lambda: images.jpeg() + images.zip_payload(),
        422,
        "after the image",
    ),
    "png with data appended": (lambda: images.png_with_alpha() + b"\0" * 8, 422, "after the image"),
    "webp with data appended": (lambda: images.webp((300, 200)) + images.HTML, 422, "after"),
    "jpeg with two frames": (_jpeg_with_two_frames, 422, "more than one frame"),
    "jpeg of empty segments": (
        lambda: b"\xff\xd8" + b"\xff\xfe\x00\x02" * 20_000 + b"\xff\xd9",
        422,
        "too many jpeg segments",
    ),
    "png of empty chunks": (lambda: _png_of_empty_chunks(200_000), 422, "too many png chunks"),
    "png bomb 20000x20000": (images.png_bomb, 422, "too many pixels"),
    "jpeg bomb 65000x65000": (lambda: _jpeg_declaring(65000, 65000), 422, "too many pixels"),
    "webp bomb 16000x16000": (lambda: _webp_declaring(16000, 16000), 422, "too many pixels"),
    "svg": (lambda: images.SVG, 415, "not an accepted image"),
    "html": (lambda: images.HTML, 415, "not an accepted image"),
    "zip": (images.zip_payload, 415, "not an accepted image"),
    "gif": (lambda: images.other_format("GIF"), 415, "not an accepted image"),
    "tiff": (lambda: images.other_format("TIFF"), 415, "not an accepted image"),
    "eps": (lambda: images.other_format("EPS"), 415, "not an accepted image"),
    "pdf": (lambda: images.other_format("PDF"), 415, "not an accepted image"),
}


@pytest.mark.parametrize("name", BAD_IMAGES)
def test_bad_images_are_refused(member, upload, stored_files, photo_count, name):
    make, status, says = BAD_IMAGES[name]
    data = make()
    # Declared as what the bytes are (as JPEG when they are no accepted image).
    body = assert_problem(upload(data, formats.sniff(data[:12]) or "image/jpeg"), status)
    assert says in body["detail"].lower()
    assert stored_files() == []
    assert photo_count() == 0


def test_bytes_that_do_not_match_the_hash_get_422(member, upload, stored_files, photo_count):
    data = images.jpeg()
    body = assert_problem(upload(data, sha=images.sha256(data + b"x")), 422)
    assert "hash" in body["detail"]
    assert stored_files() == []
    assert photo_count() == 0


@pytest.mark.parametrize("sha", ["abc", "0" * 63, "0" * 65, "g" * 64, "-" * 64])
def test_a_malformed_hash_is_a_field_error(client, member, upload, sha, stored_files):
    body = assert_problem(upload(images.jpeg((64, 48)), sha=sha), 422)
    assert list(body["errors"]) == ["sha256"]
    assert client.head(f"/api/photos/{sha}").status_code == 422
    assert stored_files() == []


@pytest.mark.parametrize(
    "content_type",
    ["application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/plain"],
)
def test_form_content_types_get_415(member, upload, stored_files, content_type):
    assert_problem(upload(images.jpeg((64, 48)), content_type), 415)
    assert stored_files() == []


def test_an_svg_content_type_gets_415(member, upload, stored_files):
    assert_problem(upload(images.SVG, "image/svg+xml"), 415)
    assert stored_files() == []


def _small_app_client(make_app, **settings):
    """A client signed in on an app with the given settings, and a way back into its context."""
    app = make_app(**settings)
    with app.app_context():
        email = make_user(make_organization()).email
    client = app.test_client()
    client.post("/api/auth/login", json={"email": email, "password": PASSWORD})
    return app, client


def _files(app) -> list:
    return [p for p in Path(app.config["MEDIA_ROOT"]).rglob("*") if p.is_file()]


def test_a_body_over_the_limit_gets_413(make_app):
    app, client = _small_app_client(make_app, PHOTO_MAX_BYTES=1000)
    data = images.jpeg((64, 48), quality=95)
    assert len(data) > 1000
    body = assert_problem(
        client.put(f"/api/photos/{images.sha256(data)}", data=data, content_type="image/jpeg"),
        413,
    )
    assert "1,000" in body["detail"]
    assert _files(app) == []


def test_a_streamed_body_is_cut_off_at_the_limit(make_app):
    app, client = _small_app_client(make_app, PHOTO_MAX_BYTES=1000)
    data = images.jpeg((64, 48), quality=95)
    response = client.put(
        f"/api/photos/{images.sha256(data)}",
        input_stream=io.BytesIO(data),
        content_type="image/jpeg",
        headers={"Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert_problem(response, 413)
    assert _files(app) == []


def test_the_pixel_limit_is_a_setting(make_app):
    app, client = _small_app_client(make_app, PHOTO_MAX_PIXELS=100_000)
    data = images.jpeg((800, 600))
    body = assert_problem(
        client.put(f"/api/photos/{images.sha256(data)}", data=data, content_type="image/jpeg"),
        422,
    )
    assert "800x600" in body["detail"]
    assert _files(app) == []
