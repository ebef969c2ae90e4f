"""Accepted image formats, told apart by their bytes, with their structure walked end to end.

Pillow decodes images; this module only decides, before Pillow sees a file, that it is one JPEG,
PNG or WebP image and nothing else: no polyglot with a payload after the image's end, no padding
(runs of fill bytes, image data longer than its pixels can need), no payload hidden in segments
(metadata beyond a budget, segments of no known use), no animation. It reads the declared size
and how the image is coded, so that a decompression bomb is refused before anything is
allocated for it.
"""

import mmap
import re
from dataclasses import dataclass, field
from pathlib import Path

from server.exceptions import InvalidInput, UnsupportedMedia

JPEG, PNG, WEBP = "image/jpeg", "image/png", "image/webp"
PILLOW_FORMATS = {JPEG: "JPEG", PNG: "PNG", WEBP: "WEBP"}

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# JPEG markers without a length: TEM and the restart markers RST0-7.
_STANDALONE = {0x01, *range(0xD0, 0xD8)}
# Start-of-frame markers, which carry the image size (DHT C4, JPG C8 and DAC CC are not frames).
_SOF = set(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
# Frames coded in several passes: the decoder keeps every coefficient of the image.
_PROGRESSIVE_SOF = {0xC2, 0xC6, 0xCA, 0xCE}
_SOS, _EOI, _COM = 0xDA, 0xD9, 0xFE
_APP = range(0xE0, 0xF0)
# Longest possible table segments: DQT (4 tables of 64 16-bit values), DHT (8 tables), DAC, DRI.
_TABLE_LENGTH = {0xDB: 2 + 4 * 129, 0xC4: 2 + 8 * (17 + 256), 0xCC: 2 + 32 * 2, 0xDD: 4}
_STRUCTURAL = {*_TABLE_LENGTH, _SOS}
# APPn segments by the identifier they start with: what cameras and editors write.
_KNOWN_APP = {
    0xE0: (b"JFIF\0", b"JFXX\0"),
    0xE1: (b"Exif\0", b"http://ns.adobe.com/xap/1.0/\0", b"http://ns.adobe.com/xmp/extension/\0"),
    0xE2: (b"ICC_PROFILE\0", b"MPF\0", b"FPXR\0"),
    0xEB: (b"JP",),  # JUMBF boxes: content credentials (C2PA)
    0xEC: (b"Ducky",),
    0xED: (b"Photoshop 3.0\0",),
    0xEE: (b"Adobe",),
}
# FF bytes before a marker are fill, allowed in a JPEG; a few are, a run of them is padding.
MAX_FILL_BYTES = 64
# A marker: FF, then its code; up to MAX_FILL_BYTES more FF bytes before the code are fill.
_MARKER = re.compile(rb"\xff{1,%d}([^\xff])" % (MAX_FILL_BYTES + 1))
# Inside a scan, FF00 is an escaped data byte, RSTn markers belong to the scan and FFFF is fill
# before a marker: any other FFxx ends the scan.
_MARKER_IN_SCAN = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")
_FILL_RUN = b"\xff" * (MAX_FILL_BYTES + 2)
# Entropy-coded data takes well under 2 bytes a sample even for noise at quality 100.
MAX_SCAN_BYTES_PER_SAMPLE = 8
_PNG_KNOWN = {
    *(b"PLTE", b"tRNS", b"cHRM", b"gAMA", b"iCCP", b"sBIT", b"sRGB", b"cICP", b"mDCv", b"cLLi"),
    *(b"bKGD", b"hIST", b"pHYs", b"sPLT", b"eXIf", b"tIME", b"tEXt", b"zTXt", b"iTXt"),
}
_PNG_ANIMATION = {b"acTL", b"fcTL", b"fdAT"}
# PNG colour type -> (channels, the coding name the decoding cost is looked up by).
_PNG_COLOUR = {
    0: (1, "png-gray"),
    2: (3, "png-rgb"),
    3: (1, "png-palette"),
    4: (2, "png-gray-alpha"),
    6: (4, "png-rgba"),
}
_WEBP_IMAGE = {b"VP8 ", b"VP8L", b"ALPH"}
_WEBP_KNOWN = {b"VP8X", b"ICCP", b"EXIF", b"XMP "}
_WEBP_ANIMATION = {b"ANIM", b"ANMF"}
# Lossless WebP of noise takes about 3 bytes a pixel; 5 leaves room for any encoder.
MAX_WEBP_BYTES_PER_PIXEL = 5
# Metadata a camera or editor writes (EXIF, XMP, ICC profile, text): ample, but not a payload.
MAX_METADATA_BYTES = 1024 * 1024
# Segments or chunks of no known use (and JPEG comments): a few short ones are seen in the wild.
MAX_OTHER_BYTES = 4096
# Real files stay far below these; a file of millions of empty segments would only burn CPU.
MAX_JPEG_SEGMENTS = 10_000
MAX_PNG_CHUNKS = 100_000


@dataclass(frozen=True)
class ImageInfo:
    """What the bytes of an accepted image declare: its type, stored (unrotated) size and coding.

    Images compare by type and size; the coding details say what decoding them costs.
    """

    mimetype: str
    width: int
    height: int
    # How it is coded, as imaging.DECODE_BYTES_PER_PIXEL names it ("jpeg-color", "png-rgba", ...).
    coding: str = field(default="", compare=False)
    # Samples a pixel the decoder keeps as coefficients of the whole image (progressive JPEG).
    buffered_samples: float = field(default=0.0, compare=False)


@dataclass
class _Extras:
    """Bytes of an image that are not its pixels: metadata, and parts of no known use."""

    metadata: int = 0
    other: int = 0
    other_names: set = field(default_factory=set)

    def add(self, name: str, size: int, known: bool) -> None:
        """Count a segment or chunk of size bytes."""
        if known:
            self.metadata += size
        else:
            self.other += size
            self.other_names.add(name)

    def check(self) -> None:
        """Refuse an image that carries more than the budgets allow."""
        if self.metadata > MAX_METADATA_BYTES:
            raise InvalidInput(
                f"The image carries {self.metadata:,} bytes of metadata; "
                f"at most {MAX_METADATA_BYTES:,} are accepted."
            )
        if self.other > MAX_OTHER_BYTES:
            names = ", ".join(sorted(self.other_names))
            raise InvalidInput(
                f"The image carries {self.other:,} bytes in segments this app does not know "
                f"({names}); at most {MAX_OTHER_BYTES:,} are accepted."
            )


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


def inspect(path: Path, declared: str | None = None) -> ImageInfo:
    """Check that the file is exactly one accepted image (of the declared type, when given)."""
    with open(path, "rb") as file:
        if not file.read(1):
            raise InvalidInput("The body is empty: no image was sent.")
        with mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as data:
            mimetype = sniff(data[:12])
            if mimetype is None:
                raise UnsupportedMedia("This is not an accepted image (JPEG, PNG or WebP).")
            check_declared(mimetype, declared)
            walk = {JPEG: _walk_jpeg, PNG: _walk_png, WEBP: _walk_webp}[mimetype]
            try:
                end, info = walk(data)
            except (_Truncated, IndexError) as error:
                raise InvalidInput("Not a decodable image: it is truncated.") from error
            if end != len(data):
                raise InvalidInput("There is unexpected data after the image.")
    if info.width < 1 or info.height < 1:
        raise InvalidInput("Not a decodable image: it declares no size.")
    return info


def check_declared(actual: str, declared: str | None) -> None:
    """415 naming both types when the bytes are not of the type the request declared."""
    if declared is not None and actual != declared:
        raise UnsupportedMedia(
            f"The bytes are {actual} but were sent as {declared}: send them as {actual}."
        )


def _u16(data, pos: int) -> int:
    if pos + 2 > len(data):
        raise _Truncated
    return int.from_bytes(data[pos : pos + 2], "big")


def _next_marker(data, pos: int) -> tuple[int, int]:
    """The marker code at pos (after any fill) and the offset just past it."""
    found = _MARKER.match(data, pos)
    if found is not None:
        return found[1][0], found.end()
    if data[pos : pos + MAX_FILL_BYTES + 2] == b"\xff" * (MAX_FILL_BYTES + 2):
        raise InvalidInput("The image is padded with a run of fill bytes.")
    if data[pos : pos + 1] in (b"", b"\xff"):
        raise _Truncated
    raise InvalidInput("Not a decodable image: a JPEG marker is missing.")


def _walk_jpeg(data) -> tuple[int, ImageInfo]:
    """Follow the markers from SOI to EOI, through every scan; return EOI's end and the info."""
    pos, frame, scans, scan_bytes, extras = 2, None, 0, 0, _Extras()
    for _ in range(MAX_JPEG_SEGMENTS):
        marker, pos = _next_marker(data, pos)
        if marker == _EOI:
            extras.check()
            return pos, _jpeg_info(frame, scans, scan_bytes)
        if marker in _STANDALONE:
            continue
        length = _u16(data, pos)
        if length < 2 or length > _TABLE_LENGTH.get(marker, 0xFFFF):
            raise InvalidInput("Not a decodable image: a JPEG segment is malformed.")
        if marker in _SOF:
            if frame is not None:
                raise InvalidInput("Not a decodable image: the JPEG has more than one frame.")
            frame = _jpeg_frame(data, pos, length, marker)
        elif marker not in _STRUCTURAL:
            extras.add(_segment_name(marker), length, _known_app(data, marker, pos + 2))
        pos += length
        if marker == _SOS:
            start, pos = pos, _end_of_scan(data, pos)
            scans, scan_bytes = scans + 1, scan_bytes + pos - start
    raise InvalidInput("Not a decodable image: too many JPEG segments.")


def _segment_name(marker: int) -> str:
    if marker in _APP:
        return f"APP{marker - 0xE0}"
    return "COM" if marker == _COM else f"marker FF{marker:02X}"


def _known_app(data, marker: int, pos: int) -> bool:
    """True for an APPn segment whose identifier says it holds known metadata."""
    head = data[pos : pos + 36]
    return any(head.startswith(name) for name in _KNOWN_APP.get(marker, ()))


@dataclass(frozen=True)
class _Frame:
    """A JPEG frame header: size, components, and samples a pixel after subsampling."""

    width: int
    height: int
    components: int
    samples: float
    progressive: bool


def _jpeg_frame(data, pos: int, length: int, marker: int) -> _Frame:
    """Read a start-of-frame segment (its length field at pos)."""
    components = data[pos + 7] if pos + 8 <= len(data) else 0
    if components not in (1, 3, 4) or length != 8 + 3 * components:
        raise InvalidInput("Not a decodable image: the JPEG frame header is malformed.")
    factors = [data[pos + 9 + 3 * index] for index in range(components)]
    h_max, v_max = max(f >> 4 for f in factors), max(f & 15 for f in factors)
    if min(f >> 4 for f in factors) < 1 or min(f & 15 for f in factors) < 1:
        raise InvalidInput("Not a decodable image: the JPEG frame header is malformed.")
    samples = sum((f >> 4) * (f & 15) for f in factors) / (h_max * v_max)
    width, height = _u16(data, pos + 5), _u16(data, pos + 3)
    return _Frame(width, height, components, samples, marker in _PROGRESSIVE_SOF)


def _jpeg_info(frame: _Frame | None, scans: int, scan_bytes: int) -> ImageInfo:
    """What a walked JPEG declares; refused when its scans are longer than its pixels need."""
    if frame is None:
        return ImageInfo(JPEG, 0, 0)
    samples = frame.width * frame.height * frame.samples
    if scan_bytes > samples * MAX_SCAN_BYTES_PER_SAMPLE + 65536:
        raise InvalidInput(
            f"The image data ({scan_bytes:,} bytes) is longer than {frame.width}x{frame.height} "
            "pixels can need: the image is padded."
        )
    coding = {1: "jpeg-gray", 3: "jpeg-color", 4: "jpeg-cmyk"}[frame.components]
    buffered = frame.samples if frame.progressive or scans > 1 else 0.0
    return ImageInfo(JPEG, frame.width, frame.height, coding, buffered)


def _end_of_scan(data, pos: int) -> int:
    """The offset of the marker that ends the entropy-coded data starting at pos."""
    # Entropy-coded data never holds two FF bytes in a row: a run of them is fill, and a scan
    # that runs into one is padded. Finding the run first keeps a padded file quick to refuse.
    fill = data.find(_FILL_RUN, pos)
    found = _MARKER_IN_SCAN.search(data, pos, len(data) if fill == -1 else fill)
    if found is None and fill != -1:
        raise InvalidInput("The image is padded with a run of fill bytes.")
    if found is None:
        raise _Truncated
    return found.start()


def _walk_png(data) -> tuple[int, ImageInfo]:
    """Follow the chunks from the signature to IEND; return IEND's end and the IHDR info."""
    if data[12:16] != b"IHDR":
        raise InvalidInput("Not a decodable image: the PNG header is missing.")
    pos, image_bytes, transparent, extras = len(PNG_SIGNATURE), 0, False, _Extras()
    for _ in range(MAX_PNG_CHUNKS):
        if pos + 12 > len(data):
            raise _Truncated
        length = int.from_bytes(data[pos : pos + 4], "big")
        kind = bytes(data[pos + 4 : pos + 8])
        pos += 12 + length  # length, type, data, CRC
        if kind == b"IEND":
            if pos > len(data):
                raise _Truncated
            extras.check()
            return pos, _png_info(data[16:29], image_bytes, transparent)
        if kind in _PNG_ANIMATION:
            raise InvalidInput("An animated image is not accepted: send a still photo.")
        if kind == b"IDAT":
            image_bytes += length
        elif kind != b"IHDR":
            transparent = transparent or kind == b"tRNS"
            extras.add(kind.decode("latin-1"), length, kind in _PNG_KNOWN)
    raise InvalidInput("Not a decodable image: too many PNG chunks.")


def _png_info(header, image_bytes: int, transparent: bool) -> ImageInfo:
    """What an IHDR declares; refused when the image data is longer than its pixels need."""
    width, height = int.from_bytes(header[0:4], "big"), int.from_bytes(header[4:8], "big")
    bit_depth, colour, interlaced = header[8], header[9], header[12] == 1
    if colour not in _PNG_COLOUR or bit_depth not in (1, 2, 4, 8, 16):
        raise InvalidInput("Not a decodable image: the PNG header is malformed.")
    channels, coding = _PNG_COLOUR[colour]
    if coding == "png-gray" and bit_depth in (1, 16):
        coding = f"png-gray-{bit_depth}bit"
    elif coding == "png-palette" and transparent:
        coding = "png-palette-alpha"
    # Each row: a filter byte and its packed samples (interlacing adds a few rows' filter bytes);
    # deflate may grow incompressible data by an eighth at worst.
    raw = height * (1 + (width * channels * bit_depth + 7) // 8) + (2 * height if interlaced else 0)
    if image_bytes > raw + raw // 8 + 1024:
        raise InvalidInput(
            f"The image data ({image_bytes:,} bytes) is longer than {width}x{height} pixels can "
            "need: the image is padded."
        )
    return ImageInfo(PNG, width, height, coding)


def _walk_webp(data) -> tuple[int, ImageInfo]:
    """Follow the RIFF container's chunks to its end; return that end and the canvas info."""
    end = 8 + int.from_bytes(data[4:8], "little")
    if end > len(data):
        raise _Truncated
    width, height = _webp_size(data)
    pos, image_bytes, extras = 12, 0, _Extras()
    while pos < end:
        if pos + 8 > end:
            raise _Truncated
        kind, length = bytes(data[pos : pos + 4]), int.from_bytes(data[pos + 4 : pos + 8], "little")
        pos += 8 + length + (length & 1)  # chunks are padded to an even length
        if kind in _WEBP_ANIMATION:
            raise InvalidInput("An animated image is not accepted: send a still photo.")
        if kind in _WEBP_IMAGE:
            image_bytes += length
        else:
            extras.add(kind.decode("latin-1").strip(), length, kind in _WEBP_KNOWN)
    if pos > end:
        raise _Truncated
    extras.check()
    if image_bytes > width * height * MAX_WEBP_BYTES_PER_PIXEL + 65536:
        raise InvalidInput(
            f"The image data ({image_bytes:,} bytes) is longer than {width}x{height} pixels can "
            "need: the image is padded."
        )
    return end, ImageInfo(WEBP, width, height, "webp")


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
    raise InvalidInput("Not a decodable image: the WebP header is not recognised.")
