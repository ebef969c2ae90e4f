"""Accepted image formats, told apart by their bytes, with their structure walked end to end.

Pillow decodes images; this module only decides, before Pillow sees a file, that it is one JPEG,
PNG or WebP image and nothing else (no polyglot with a payload after the image's end), and reads
its declared size so that a decompression bomb is refused before anything is allocated for it.
"""

import mmap
import re
from dataclasses import dataclass
from pathlib import Path

from server.errors import Unprocessable, UnsupportedMediaType

JPEG, PNG, WEBP = "image/jpeg", "image/png", "image/webp"
PILLOW_FORMATS = {JPEG: "JPEG", PNG: "PNG", WEBP: "WEBP"}

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# JPEG markers without a length: TEM and the restart markers RST0-7.
_STANDALONE = {0x01, *range(0xD0, 0xD8)}
# Start-of-frame markers, which carry the image size (DHT C4, JPG C8 and DAC CC are not frames).
_SOF = set(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
_SOS, _EOI = 0xDA, 0xD9
# A marker: FF, then its code; more FF bytes before the code are fill.
_MARKER = re.compile(rb"\xff+([^\xff])")
# Inside a scan, FF00 is an escaped data byte, RSTn markers belong to the scan and FFFF is fill
# before a marker: any other FFxx ends the scan.
_MARKER_IN_SCAN = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")
# Real files stay far below these; a file of millions of empty segments would only burn CPU.
MAX_JPEG_SEGMENTS = 10_000
MAX_PNG_CHUNKS = 100_000


@dataclass(frozen=True)
class ImageInfo:
    """What the bytes of an accepted image declare: its type and stored (unrotated) size."""

    mimetype: str
    width: int
    height: int


class _Truncated(Exception):
    """The data ended before the image did."""


def sniff(head: bytes) -> str | None:
    """The MIME type of an accepted image from its first 12 bytes, or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(PNG_SIGNATURE):
        return PNG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    return None


def inspect(path: Path) -> ImageInfo:
    """Check that the file is exactly one accepted image and return what it declares."""
    with open(path, "rb") as file:
        if not file.read(1):
            raise Unprocessable("The body is empty: no image was sent.")
        with mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as data:
            mimetype = sniff(data[:12])
            if mimetype is None:
                raise UnsupportedMediaType("This is not an accepted image (JPEG, PNG or WebP).")
            walk = {JPEG: _walk_jpeg, PNG: _walk_png, WEBP: _walk_webp}[mimetype]
            try:
                end, (width, height) = walk(data)
            except (_Truncated, IndexError) as error:
                raise Unprocessable("Not a decodable image: it is truncated.") from error
            if end != len(data):
                raise Unprocessable("There is unexpected data after the image.")
    if width < 1 or height < 1:
        raise Unprocessable("Not a decodable image: it declares no size.")
    return ImageInfo(mimetype, width, height)


def _u16(data, pos: int) -> int:
    if pos + 2 > len(data):
        raise _Truncated
    return int.from_bytes(data[pos : pos + 2], "big")


def _walk_jpeg(data) -> tuple[int, tuple[int, int]]:
    """Follow the markers from SOI to EOI, through every scan; return EOI's end and the size."""
    pos, size = 2, (0, 0)
    for _ in range(MAX_JPEG_SEGMENTS):
        found = _MARKER.match(data, pos)
        if found is None:
            if data[pos : pos + 1] in (b"", b"\xff"):
                raise _Truncated
            raise Unprocessable("Not a decodable image: a JPEG marker is missing.")
        marker, pos = found[1][0], found.end()
        if marker == _EOI:
            return pos, size
        if marker in _STANDALONE:
            continue
        length = _u16(data, pos)
        if length < 2:
            raise Unprocessable("Not a decodable image: a JPEG segment is malformed.")
        if marker in _SOF:
            if size != (0, 0):
                raise Unprocessable("Not a decodable image: the JPEG has more than one frame.")
            size = (_u16(data, pos + 5), _u16(data, pos + 3))
        pos += length
        if marker == _SOS:
            pos = _end_of_scan(data, pos)
    raise Unprocessable("Not a decodable image: too many JPEG segments.")


def _end_of_scan(data, pos: int) -> int:
    """The offset of the marker that ends the entropy-coded data starting at pos."""
    found = _MARKER_IN_SCAN.search(data, pos)
    if found is None:
        raise _Truncated
    return found.start()


def _walk_png(data) -> tuple[int, tuple[int, int]]:
    """Follow the chunks from the signature to IEND; return IEND's end and the IHDR size."""
    if data[12:16] != b"IHDR":
        raise Unprocessable("Not a decodable image: the PNG header is missing.")
    size = (int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big"))
    pos = len(PNG_SIGNATURE)
    for _ in range(MAX_PNG_CHUNKS):
        if pos + 12 > len(data):
            raise _Truncated
        length = int.from_bytes(data[pos : pos + 4], "big")
        kind = data[pos + 4 : pos + 8]
        pos += 12 + length  # length, type, data, CRC
        if kind == b"IEND":
            if pos > len(data):
                raise _Truncated
            return pos, size
    raise Unprocessable("Not a decodable image: too many PNG chunks.")


def _walk_webp(data) -> tuple[int, tuple[int, int]]:
    """The RIFF container's end and the canvas size from the first chunk."""
    end = 8 + int.from_bytes(data[4:8], "little")
    if end > len(data):
        raise _Truncated
    return end, _webp_size(data)


def _webp_size(data) -> tuple[int, int]:
    """Width and height from a VP8X, VP8L or VP8 first chunk."""
    kind, header = data[12:16], data[20:30]
    if len(header) < 10:
        raise _Truncated
    if kind == b"VP8X":
        return (
            int.from_bytes(header[4:7], "little") + 1,
            int.from_bytes(header[7:10], "little") + 1,
        )
    if kind == b"VP8L" and header[0] == 0x2F:
        bits = int.from_bytes(header[1:5], "little")
        return ((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
    if kind == b"VP8 " and header[3:6] == b"\x9d\x01\x2a":
        return (
            int.from_bytes(header[6:8], "little") & 0x3FFF,
            int.from_bytes(header[8:10], "little") & 0x3FFF,
        )
    raise Unprocessable("Not a decodable image: the WebP header is not recognised.")
