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


@lru_cache
def png_bomb(width: int = 20000, height: int = 20000, colour: int = 0, bit_depth: int = 1) -> bytes:
    """A valid PNG of width x height black pixels: a few kilobytes on disk, huge decoded.

    By default 1-bit grayscale (400 MP); colour 6 with bit_depth 8 makes it RGBA.
    """
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[colour]
    row = bytes(1 + (width * channels * bit_depth + 7) // 8)  # filter byte, then packed samples
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, bit_depth, colour, 0, 0, 0)
    return _png(header, _chunk(b"IDAT", data))


def _png(header: bytes, *chunks: bytes) -> bytes:
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + b"".join(chunks) + _chunk(b"IEND", b"")


def rgba_png_bomb(edge: int = 7000) -> bytes:
    """An RGBA PNG of edge x edge transparent pixels: about 200 KB, 196 MB of pixels decoded."""
    return png_bomb(edge, edge, colour=6, bit_depth=8)


def webp_bomb(width: int = 7000, height: int = 7000) -> bytes:
    """A lossless WebP of one colour, 38 bytes, that decodes to width x height pixels.

    A lossless bitstream of one colour does not depend on the image size: a small one is
    encoded and its header changed to declare the big size.
    """
    data = bytearray(encode(Image.new("RGB", (16, 16), (90, 110, 130)), "WEBP", lossless=True))
    assert data[12:16] == b"VP8L" and data[20] == 0x2F
    bits = int.from_bytes(data[21:25], "little") & ~((1 << 28) - 1)
    data[21:25] = (bits | (width - 1) | (height - 1) << 14).to_bytes(4, "little")
    return bytes(data)


def small_jpeg(**params) -> bytes:
    """A 64x48 photo-like JPEG."""
    return encode(photo((64, 48)), "JPEG", **params)


def jpeg_padded(fill: int = 19 * 2**20) -> bytes:
    """A small JPEG with fill bytes (FF) before its end marker: valid, and fill megabytes long."""
    data = small_jpeg()
    return data[:-2] + b"\xff" * fill + data[-2:]


def jpeg_with_padded_scan(padding: int = 2**20) -> bytes:
    """A small JPEG whose image data runs on with zero bytes after its last block."""
    data = small_jpeg()
    return data[:-2] + bytes(padding) + data[-2:]


def jpeg_with_segment(
    marker: int, payload: bytes, count: int = 1, base: bytes | None = None
) -> bytes:
    """A JPEG (small_jpeg() or base) with count segments (marker, payload) right after SOI."""
    segment = bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload
    data = base or small_jpeg()
    return data[:2] + segment * count + data[2:]


@lru_cache
def big_gray_jpeg(edge: int = 7000) -> bytes:
    """A grayscale JPEG of edge x edge pixels (49 megapixels by default): a gradient."""
    return encode(Image.linear_gradient("L").resize((edge, edge)), "JPEG", quality=70)


def progressive_jpeg_declaring(width: int, height: int, subsampling: int = 0) -> bytes:
    """A small progressive JPEG whose frame header is edited to declare width x height."""
    data = bytearray(small_jpeg(progressive=True, subsampling=subsampling))
    frame = data.index(b"\xff\xc2")
    data[frame + 5 : frame + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def png_with_chunk(kind: bytes, payload: bytes) -> bytes:
    """A small PNG with one more chunk after its header."""
    data = encode(photo((64, 48)), "PNG")
    header_end = 8 + 25  # signature, then IHDR: length, type, 13 bytes, CRC
    return data[:header_end] + _chunk(kind, payload) + data[header_end:]


def webp_with_chunk(kind: bytes, payload: bytes) -> bytes:
    """A small lossy WebP with one more chunk at the end of its RIFF container."""
    data = encode(photo((64, 48)), "WEBP")
    chunk = kind + struct.pack("<I", len(payload)) + payload + b"\0" * (len(payload) % 2)
    body = data[8:] + chunk
    return b"RIFF" + struct.pack("<I", len(body)) + body


def animated_webp() -> bytes:
    frames = [photo((64, 48)), photo((64, 48), grain=60)]
    return encode(frames[0], "WEBP", save_all=True, append_images=frames[1:], duration=100)


def animated_png() -> bytes:
    frames = [photo((64, 48)), photo((64, 48), grain=60)]
    return encode(frames[0], "PNG", save_all=True, append_images=frames[1:], duration=100)


def zip_payload() -> bytes:
    """A small ZIP archive, as a polyglot would append."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.html", HTML)
    return buffer.getvalue()


def png_16bit_gray(size: tuple[int, int] = (64, 48), level: int = 32768) -> bytes:
    """A 16-bit grayscale PNG at one level (0 to 65535)."""
    return encode(Image.new("I;16", size, level), "PNG")
