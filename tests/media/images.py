"""Test images made with Pillow: photo-like content, EXIF orientation and GPS, and bad inputs."""

import hashlib
import io
import struct
import zipfile
import zlib
from functools import lru_cache

from PIL import ExifTags, Image, ImageChops, ImageDraw

MARK = (255, 0, 0)  # painted in the stored top-left corner, to see where orientation puts it
GPS = {
    ExifTags.GPS.GPSLatitudeRef: "N",
    ExifTags.GPS.GPSLatitude: (51.0, 30.0, 12.5),
    ExifTags.GPS.GPSLongitudeRef: "W",
    ExifTags.GPS.GPSLongitude: (0.0, 7.0, 40.0),
}
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def photo(size: tuple[int, int] = (800, 600), grain: int = 20) -> Image.Image:
    """An RGB image that compresses like a photo: gradients, blotches and sensor-like grain."""
    width, height = size

    def blotches(scale: int, sigma: int) -> Image.Image:
        small = Image.effect_noise((max(1, width // scale), max(1, height // scale)), sigma)
        return small.resize(size, Image.Resampling.BICUBIC)

    linear = Image.linear_gradient("L").resize(size)
    bases = (linear, Image.radial_gradient("L").resize(size), ImageChops.invert(linear))
    channels = [
        ImageChops.add(
            ImageChops.add(
                base, ImageChops.add(blotches(32, 50), blotches(4, 30), scale=2), scale=2
            ),
            Image.effect_noise(size, grain),
            scale=2,
        )
        for base in bases
    ]
    image = Image.merge("RGB", channels)
    corner = max(4, min(size) // 10)
    ImageDraw.Draw(image).rectangle((0, 0, corner, corner), fill=MARK)
    return image


def exif(orientation: int | None = None, gps: bool = False) -> Image.Exif:
    """EXIF with a camera make, and optionally an orientation and a GPS position."""
    data = Image.Exif()
    data[ExifTags.Base.Make] = "Safeloop Test Camera"
    if orientation:
        data[ExifTags.Base.Orientation] = orientation
    if gps:
        data[ExifTags.Base.GPSInfo] = GPS
    return data


def encode(image: Image.Image, format: str, **params) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format, **params)
    return buffer.getvalue()


def jpeg(
    size: tuple[int, int] = (800, 600),
    orientation: int | None = None,
    gps: bool = False,
    progressive: bool = False,
    quality: int = 90,
) -> bytes:
    """A photo-like JPEG, with EXIF."""
    return encode(
        photo(size),
        "JPEG",
        quality=quality,
        exif=exif(orientation, gps),
        progressive=progressive,
    )


@lru_cache
def big_jpeg() -> bytes:
    """A 12-megapixel (4000x3000) phone-like JPEG, taken in portrait (orientation 6), with GPS."""
    return jpeg((4000, 3000), orientation=6, gps=True)


def png_with_alpha(size: tuple[int, int] = (400, 300)) -> bytes:
    """A PNG whose left half is fully transparent."""
    image = photo(size).convert("RGBA")
    image.paste((0, 0, 0, 0), (0, 0, size[0] // 2, size[1]))
    return encode(image, "PNG")


def webp(size: tuple[int, int] = (1000, 2000), orientation: int | None = None) -> bytes:
    return encode(photo(size), "WEBP", quality=80, exif=exif(orientation))


def other_format(format: str) -> bytes:
    """A small image in a format that is not accepted (GIF, TIFF, EPS, PDF, ...)."""
    return encode(photo((64, 48)), format)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb(width: int = 20000, height: int = 20000) -> bytes:
    """A valid 1-bit PNG of width x height black pixels: a few kilobytes on disk, 400 MP decoded."""
    row = bytes(1 + (width + 7) // 8)  # filter byte, then packed pixels
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", data)
        + _chunk(b"IEND", b"")
    )


def zip_payload() -> bytes:
    """A small ZIP archive, as a polyglot would append."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.html", HTML)
    return buffer.getvalue()


def png_16bit_gray(size: tuple[int, int] = (64, 48), level: int = 32768) -> bytes:
    """A 16-bit grayscale PNG at one level (0 to 65535)."""
    return encode(Image.new("I;16", size, level), "PNG")
