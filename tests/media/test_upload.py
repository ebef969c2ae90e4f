"""Photo upload: bytes stored once, a row per organization, upright derivatives without metadata."""

import hashlib
import io
import os

import pytest
from PIL import Image

from server.exceptions import NotFound
from server.media import services
from tests.factories import PASSWORD, make_organization, make_user
from tests.media import images


def _signed_in_client(app):
    """Another browser: a worker of a new organization, signed in."""
    user = make_user(make_organization())
    other = app.test_client()
    other.post("/api/auth/login", json={"email": user.email, "password": PASSWORD})
    return other


def _stored(media_root, sha: str, variant: str) -> bytes:
    return (media_root / services.variant_key(sha, variant)).read_bytes()


def test_put_stores_then_answers_already_held(member, upload, stored_files, photo_count):
    data = images.jpeg()
    first = upload(data)
    assert first.status_code == 201
    assert first.json == {
        "sha256": images.sha256(data),
        "content_type": "image/jpeg",
        "size_bytes": len(data),
        "width": 800,
        "height": 600,
    }
    files = stored_files()
    again = upload(data)
    assert again.status_code == 200
    assert again.json == first.json
    assert stored_files() == files and len(files) == 3
    assert photo_count() == 1


def test_head_answers_404_then_200(client, member, upload):
    data = images.jpeg()
    missing = client.head(f"/api/photos/{images.sha256(data)}")
    assert missing.status_code == 404
    assert missing.data == b""
    upload(data)
    held = client.head(f"/api/photos/{images.sha256(data)}")
    assert held.status_code == 200
    assert held.data == b""


def test_the_original_is_kept_byte_for_byte(member, upload, media_root):
    data = images.jpeg(orientation=6, gps=True)
    upload(data)
    original = _stored(media_root, images.sha256(data), "original")
    assert original == data
    assert hashlib.sha256(original).hexdigest() == images.sha256(data)


def test_another_organization_gets_its_own_row_and_the_bytes_stay_single(
    app, client, member, upload, media_root, stored_files, photo_count
):
    data = images.jpeg()
    sha = images.sha256(data)
    assert upload(data).status_code == 201
    original = media_root / services.variant_key(sha, "original")
    before = original.stat()
    files = stored_files()

    other = _signed_in_client(app)
    response = other.put(f"/api/photos/{sha}", data=data, content_type="image/jpeg")
    assert response.status_code == 201
    assert response.json["width"] == 800
    assert other.head(f"/api/photos/{sha}").status_code == 200
    assert photo_count() == 2
    assert stored_files() == files
    assert (original.stat().st_ino, original.stat().st_mtime_ns) == (
        before.st_ino,
        before.st_mtime_ns,
    )
    assert _signed_in_client(app).head(f"/api/photos/{sha}").status_code == 404


def header_segments(data: bytes) -> tuple[list[int], bytes]:
    """A JPEG's segment markers up to its image data, and the bytes of those segments."""
    markers, at = [], 2
    while at + 4 <= len(data):
        marker = data[at + 1]
        markers.append(marker)
        if marker == 0xDA:  # start of scan: compressed image data follows
            break
        at += 2 + int.from_bytes(data[at + 2 : at + 4], "big")
    return markers, data[:at]


def test_derivatives_are_upright_jpegs_without_metadata(member, upload, media_root):
    data = images.big_jpeg()
    response = upload(data)
    assert response.status_code == 201
    assert (response.json["width"], response.json["height"]) == (3000, 4000)
    sha = images.sha256(data)
    for variant, size in (("display", (1200, 1600)), ("thumb", (240, 320))):
        stored = _stored(media_root, sha, variant)
        with Image.open(io.BytesIO(stored)) as image:
            assert image.format == "JPEG"
            assert image.size == size
            assert not image.getexif()
            assert "exif" not in image.info and "icc_profile" not in image.info
            # Stored top-left corner, turned a quarter clockwise, shows at the top right.
            red, green, blue = image.convert("RGB").getpixel((size[0] - 3, 2))
            assert red > 200 and green < 60 and blue < 60
        # Exif (and its GPS) would sit in an APP1 segment of the header; the image data after it
        # is compressed noise, in which any three letters may turn up by chance.
        markers, header = header_segments(stored)
        assert 0xE1 not in markers
        assert b"Exif" not in header and b"GPS" not in header


def test_small_images_are_not_enlarged(member, upload, media_root):
    data = images.jpeg((200, 100))
    assert upload(data).status_code == 201
    for variant in ("display", "thumb"):
        with Image.open(io.BytesIO(_stored(media_root, images.sha256(data), variant))) as image:
            assert image.size == (200, 100)


def test_a_png_with_alpha_is_laid_on_white(member, upload, media_root):
    data = images.png_with_alpha((400, 300))
    response = upload(data, "image/png")
    assert response.status_code == 201
    assert response.json["content_type"] == "image/png"
    assert _stored(media_root, images.sha256(data), "original") == data
    display = _stored(media_root, images.sha256(data), "display")
    with Image.open(io.BytesIO(display)) as image:
        assert image.mode == "RGB" and image.size == (400, 300)
        assert all(channel > 245 for channel in image.getpixel((100, 150)))


@pytest.mark.parametrize(
    ("make", "content_type"),
    [
        (lambda: images.encode(images.photo((90, 60)).convert("L"), "JPEG"), "image/jpeg"),
        (lambda: images.encode(images.photo((90, 60)).convert("CMYK"), "JPEG"), "image/jpeg"),
        (lambda: images.encode(images.photo((90, 60)).convert("LA"), "PNG"), "image/png"),
        (
            lambda: images.encode(images.photo((90, 60)).convert("P"), "PNG", transparency=0),
            "image/png",
        ),
        (lambda: images.encode(images.photo((90, 60)).convert("1"), "PNG"), "image/png"),
    ],
    ids=["grayscale jpeg", "cmyk jpeg", "gray+alpha png", "palette png", "1-bit png"],
)
def test_other_colour_modes_become_rgb(member, upload, media_root, make, content_type):
    data = make()
    assert upload(data, content_type).status_code == 201
    with Image.open(io.BytesIO(_stored(media_root, images.sha256(data), "display"))) as image:
        assert (image.mode, image.size) == ("RGB", (90, 60))


def test_a_16_bit_png_keeps_its_tones(member, upload, media_root):
    data = images.png_16bit_gray(level=32768)
    assert upload(data, "image/png").status_code == 201
    with Image.open(io.BytesIO(_stored(media_root, images.sha256(data), "display"))) as image:
        assert all(120 < channel < 136 for channel in image.getpixel((10, 10)))


def test_a_webp_works(member, upload, media_root):
    data = images.webp((1000, 2000))
    response = upload(data, "image/webp")
    assert response.status_code == 201
    assert (response.json["content_type"], response.json["width"]) == ("image/webp", 1000)
    for variant, size in (("display", (800, 1600)), ("thumb", (160, 320))):
        with Image.open(io.BytesIO(_stored(media_root, images.sha256(data), variant))) as image:
            assert (image.format, image.size) == ("JPEG", size)


def test_a_progressive_jpeg_works(member, upload, media_root):
    data = images.jpeg((2000, 1500), progressive=True)
    assert upload(data).status_code == 201
    with Image.open(io.BytesIO(_stored(media_root, images.sha256(data), "display"))) as image:
        assert image.size == (1600, 1200)


def test_an_upper_case_hash_is_the_same_photo(client, member, upload):
    data = images.jpeg()
    response = upload(data, sha=images.sha256(data).upper())
    assert response.status_code == 201
    assert response.json["sha256"] == images.sha256(data)
    assert client.head(f"/api/photos/{images.sha256(data)}").status_code == 200


def test_a_chunked_upload_without_length_is_streamed(client, member):
    data = images.jpeg()
    response = client.put(
        f"/api/photos/{images.sha256(data)}",
        input_stream=io.BytesIO(data),
        content_type="image/jpeg",
        headers={"Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert response.status_code == 201
    assert response.json["size_bytes"] == len(data)


@pytest.mark.parametrize("method", ["put", "head"])
def test_signed_out_gets_401(client, method, stored_files):
    data = images.jpeg((64, 48))
    call = getattr(client, method)
    response = call(f"/api/photos/{images.sha256(data)}", data=data, content_type="image/jpeg")
    assert response.status_code == 401
    assert stored_files() == []


def test_open_variant_gives_the_stored_bytes_and_their_type(member, upload):
    data = images.webp((300, 200))
    upload(data, "image/webp")
    sha = images.sha256(data)
    original, mimetype = services.open_variant(sha, "original")
    with original:
        # sendfile() starts where the descriptor stands, whatever Python's buffer says.
        assert os.lseek(original.fileno(), 0, os.SEEK_CUR) == 0
        assert (original.read(), mimetype) == (data, "image/webp")
    thumb, mimetype = services.open_variant(sha, "thumb")
    with thumb:
        assert thumb.read(3) == b"\xff\xd8\xff" and mimetype == "image/jpeg"


@pytest.mark.parametrize("sha", ["0" * 64, "../../etc/passwd", "A" * 64])
def test_open_variant_of_nothing_stored_is_not_found(app, sha):
    with pytest.raises(NotFound):
        services.open_variant(sha, "display")
