"""The structure walk accepts real encoder output, however it is laid out, and finds the size."""

import pytest
from PIL import Image

from server.exceptions import InvalidInput
from server.media import formats
from tests.media import images


def _inspect(tmp_path, data: bytes) -> formats.ImageInfo:
    path = tmp_path / "image"
    path.write_bytes(data)
    return formats.inspect(path)


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"progressive": True},
        {"restart_marker_rows": 1},
        {"optimize": True, "subsampling": 0},
        {"exif": images.exif(6, gps=True)},
        # A comment segment may hold bytes that look like an end-of-image marker.
        {"comment": b"\xff\xd9 not the end \xff\xd8"},
    ],
)
def test_jpeg_layouts_are_walked_to_their_end(tmp_path, params):
    data = images.encode(images.photo((333, 222)), "JPEG", **params)
    assert _inspect(tmp_path, data) == formats.ImageInfo("image/jpeg", 333, 222)


def test_grayscale_and_cmyk_jpegs_are_walked(tmp_path):
    for mode in ("L", "CMYK"):
        data = images.encode(images.photo((50, 40)).convert(mode), "JPEG")
        assert _inspect(tmp_path, data).width == 50


def test_fill_bytes_before_a_marker_are_allowed(tmp_path):
    data = images.encode(images.photo((50, 40)), "JPEG")
    assert data.endswith(b"\xff\xd9")
    assert _inspect(tmp_path, data[:-2] + b"\xff\xff\xff\xd9").height == 40


@pytest.mark.parametrize(
    ("params", "size"),
    [
        ({"lossless": False}, (301, 199)),
        ({"lossless": True}, (301, 199)),
        ({"exif": images.exif(6)}, (301, 199)),  # extended (VP8X) container
    ],
)
def test_webp_kinds_give_their_size(tmp_path, params, size):
    data = images.encode(images.photo(size), "WEBP", **params)
    assert _inspect(tmp_path, data) == formats.ImageInfo("image/webp", *size)


def test_png_gives_its_size(tmp_path):
    data = images.encode(images.photo((70, 30)).convert("P"), "PNG", optimize=True)
    assert _inspect(tmp_path, data) == formats.ImageInfo("image/png", 70, 30)


def test_a_png_without_its_end_chunk_is_truncated(tmp_path):
    data = images.encode(Image.new("RGB", (8, 8)), "PNG")
    with pytest.raises(InvalidInput, match="truncated"):
        _inspect(tmp_path, data[:-12])


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"\xff\xd8\xff\xe0", "image/jpeg"),
        (b"\x89PNG\r\n\x1a\n\0\0\0\r", "image/png"),
        (b"RIFF\0\0\0\0WEBPVP8 ", "image/webp"),
        (b"RIFF\0\0\0\0WAVEfmt ", None),
        (b"GIF89a", None),
        (b"", None),
    ],
)
def test_sniff(head, expected):
    assert formats.sniff(head) == expected
