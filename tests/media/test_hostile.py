"""Small files that decode to huge images, padding, hidden payloads and mislabelled types.

Each is refused with a clear 4xx problem+json before Pillow decodes anything, and leaves nothing.
"""

import pytest

from server.media import formats
from tests.media import images
from tests.media.test_rejections import _small_app_client, assert_problem

XMP = b"http://ns.adobe.com/xap/1.0/\0"

HOSTILE = {
    "lossless webp 7000x7000 of 38 bytes": (images.webp_bomb, 422, "would take about"),
    "rgba png 7000x7000": (images.rgba_png_bomb, 422, "would take about"),
    "progressive jpeg declaring 7000x7000": (
        lambda: images.progressive_jpeg_declaring(7000, 7000),
        422,
        "would take about",
    ),
    "jpeg padded with 19 MB of fill bytes": (images.jpeg_padded, 422, "padded"),
    "jpeg with fill bytes between segments": (
        lambda: images.small_jpeg()[:2] + b"\xff" * 100_000 + images.small_jpeg()[2:],
        422,
        "padded",
    ),
    "jpeg with zero bytes after its last block": (images.jpeg_with_padded_scan, 422, "padded"),
    "jpeg with an unknown 60 KB APP9 segment": (
        lambda: images.jpeg_with_segment(0xE9, b"payload" * 8000),
        422,
        "segments this app does not know (app9)",
    ),
    "jpeg with a 60 KB comment": (
        lambda: images.jpeg_with_segment(0xFE, b"x" * 60_000),
        422,
        "(com)",
    ),
    "jpeg with an APP1 that only claims to be exif": (
        lambda: images.jpeg_with_segment(0xE1, b"Exiv" + bytes(30_000)),
        422,
        "(app1)",
    ),
    "jpeg with 2 MB of xmp": (
        lambda: images.jpeg_with_segment(0xE1, XMP + bytes(65_000), count=32),
        422,
        "bytes of metadata",
    ),
    "jpeg with a table segment that is too long": (
        lambda: images.jpeg_with_segment(0xDB, bytes(4000)),
        422,
        "malformed",
    ),
    "png with an unknown ancillary chunk": (
        lambda: images.png_with_chunk(b"prVt", bytes(10_000)),
        422,
        "segments this app does not know (prvt)",
    ),
    "png with 2 MB of text": (
        lambda: images.png_with_chunk(b"tEXt", b"Comment\0" + bytes(2**21)),
        422,
        "bytes of metadata",
    ),
    "png with an extra megabyte of image data": (
        lambda: images.png_with_chunk(b"IDAT", bytes(2**20)),
        422,
        "padded",
    ),
    "animated png": (images.animated_png, 422, "animated"),
    "webp with an unknown chunk": (
        lambda: images.webp_with_chunk(b"ZZZZ", bytes(10_000)),
        422,
        "segments this app does not know (zzzz)",
    ),
    "webp with an extra megabyte of image data": (
        lambda: images.webp_with_chunk(b"ALPH", bytes(2**20)),
        422,
        "padded",
    ),
    "animated webp": (images.animated_webp, 422, "animated"),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_images_are_refused(member, upload, stored_files, photo_count, name):
    make, status, says = HOSTILE[name]
    data = make()
    body = assert_problem(upload(data, formats.sniff(data[:12])), status)
    assert says in body["detail"].lower()
    assert stored_files() == []
    assert photo_count() == 0


@pytest.mark.parametrize(
    ("make", "declared", "actual"),
    [
        (images.png_with_alpha, "image/jpeg", "image/png"),
        (images.jpeg, "image/webp", "image/jpeg"),
        (lambda: images.webp((64, 48)), "image/png", "image/webp"),
    ],
)
def test_bytes_of_another_type_than_declared_get_415_naming_both(
    member, upload, stored_files, make, declared, actual
):
    body = assert_problem(upload(make(), declared), 415)
    assert declared in body["detail"] and actual in body["detail"]
    assert stored_files() == []


def test_a_held_photo_sent_again_under_another_type_gets_415(member, upload):
    data = images.png_with_alpha()
    assert upload(data, "image/png").status_code == 201
    body = assert_problem(upload(data, "image/jpeg"), 415)
    assert "image/png" in body["detail"] and "image/jpeg" in body["detail"]
    assert upload(data, "image/png").status_code == 200


def test_metadata_cameras_write_is_accepted(member, upload):
    """EXIF with GPS, an ICC profile, XMP and a short comment stay well inside the budgets."""
    profile = images.jpeg_with_segment(0xE2, b"ICC_PROFILE\0\x01\x01" + bytes(3000))
    assert upload(images.jpeg_with_segment(0xE1, XMP + bytes(500), base=profile)).status_code == 201
    assert upload(images.jpeg(orientation=6, gps=True)).status_code == 201
    assert upload(images.small_jpeg(comment=b"Site 4, north gate")).status_code == 201


def test_a_big_jpeg_decodes_at_a_reduced_size_within_the_budget(make_app):
    """49 megapixels of JPEG decode at 1/4 scale: far under a budget its full size would break."""
    _app, client = _small_app_client(make_app, PHOTO_DECODE_MEMORY=64 * 2**20)
    data = images.big_gray_jpeg()
    response = client.put(
        f"/api/photos/{images.sha256(data)}", data=data, content_type="image/jpeg"
    )
    assert response.status_code == 201
    assert (response.json["width"], response.json["height"]) == (7000, 7000)


def test_the_decoding_budget_is_a_setting(make_app):
    _app, client = _small_app_client(make_app, PHOTO_DECODE_MEMORY=2**20)
    data = images.jpeg((800, 600))
    response = client.put(
        f"/api/photos/{images.sha256(data)}", data=data, content_type="image/jpeg"
    )
    body = assert_problem(response, 422)
    assert "800x600" in body["detail"] and "the limit is 1 mib" in body["detail"].lower()
