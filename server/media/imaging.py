"""Decoding within limits and the derivatives people see: a display image and a thumbnail."""

import struct
from pathlib import Path

from PIL import ExifTags, Image

from server.exceptions import InvalidInput
from server.media.formats import JPEG, PILLOW_FORMATS, ImageInfo

DISPLAY_EDGE = 1600
THUMB_EDGE = 320
JPEG_QUALITY = 80
# (filter, reducing_gap) per derivative, chosen with bench/photo_pipeline.py. The display image:
# HAMMING costs what BILINEAR costs (support 1) and is sharper; LANCZOS (support 3) took the
# pipeline from about 95 to 125 ms for no difference visible at 1600 px. A reducing gap of 2 first
# shrinks big reductions by a whole factor (a cheap box average), then resamples the rest.
DISPLAY_RESAMPLE = (Image.Resampling.HAMMING, 2.0)
# The thumbnail is an area average of the display image (reduce by the whole factor, then BOX).
THUMB_RESAMPLE = (Image.Resampling.BOX, 1.0)

# EXIF orientation -> the transpose that shows the image upright (as ImageOps.exif_transpose).
_UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_DECODE_ERRORS = (
    OSError,  # includes UnidentifiedImageError and "image file is truncated"
    SyntaxError,
    ValueError,
    EOFError,
    IndexError,
    KeyError,
    TypeError,
    struct.error,
    Image.DecompressionBombError,
)


# Peak memory of decoding and deriving (decode, mode conversion, resizing) in bytes per decoded
# pixel, by how the image is coded: measured with bench/photo_pipeline.py on Pillow 13 (peak RSS
# over pixels, at 3000x3000 and 6400x6400, rounded up). Pillow keeps a pixel of two or more bands
# in 4 bytes; RGBA is premultiplied into a second full-size copy to resize; WebP decodes through
# libwebp's buffers and Pillow's copy of them.
DECODE_BYTES_PER_PIXEL = {
    "jpeg-gray": 2.0,
    "jpeg-color": 8.0,
    "jpeg-cmyk": 12.0,
    "png-gray": 2.0,
    "png-gray-1bit": 8.5,
    "png-gray-16bit": 10.5,
    "png-gray-alpha": 11.5,
    "png-rgb": 7.5,
    "png-rgba": 11.5,
    "png-palette": 8.5,
    "png-palette-alpha": 12.5,
    "webp": 17.5,
}
# A JPEG decoder that buffers the whole image keeps each coefficient in 2 bytes.
COEFFICIENT_BYTES = 2


def check_pixels(info: ImageInfo, max_pixels: int) -> None:
    """Refuse an image declaring more pixels than allowed, before anything is decoded."""
    # Never let Pillow's own, higher, bomb check warn or raise: ours is the one that answers.
    limit = min(max_pixels, Image.MAX_IMAGE_PIXELS or max_pixels)
    pixels = info.width * info.height
    if pixels > limit:
        raise InvalidInput(
            f"The image has too many pixels ({info.width}x{info.height}); the limit is {limit:,}."
        )


def decoded_size(info: ImageInfo) -> tuple[int, int]:
    """The size the image decodes at: a JPEG at 1/2, 1/4 or 1/8 when that still covers display."""
    if info.mimetype != JPEG:
        return info.width, info.height
    # What Pillow's JpegImageFile.draft() picks for the size decode() asks for.
    wanted = fit((info.width, info.height), DISPLAY_EDGE)
    ratio = min(info.width // wanted[0], info.height // wanted[1])
    scale = next(scale for scale in (8, 4, 2, 1) if ratio >= scale)
    return -(-info.width // scale), -(-info.height // scale)


def decode_memory(info: ImageInfo) -> int:
    """About how many bytes decoding the image and making its derivatives takes at the peak."""
    width, height = decoded_size(info)
    per_pixel = DECODE_BYTES_PER_PIXEL.get(info.coding, max(DECODE_BYTES_PER_PIXEL.values()))
    buffered = info.width * info.height * info.buffered_samples * COEFFICIENT_BYTES
    return int(width * height * per_pixel + buffered)


def check_decode_memory(info: ImageInfo, budget: int) -> None:
    """Refuse, before decoding, an image that would take more memory than budget bytes."""
    needed = decode_memory(info)
    if needed > budget:
        raise InvalidInput(
            f"Decoding this {info.width}x{info.height} image would take about "
            f"{needed / 2**20:,.0f} MiB; the limit is {budget / 2**20:,.0f} MiB."
        )


def fit(size: tuple[int, int], edge: int) -> tuple[int, int]:
    """size scaled so its long edge is at most edge, never enlarged."""
    width, height = size
    scale = edge / max(width, height)
    if scale >= 1:
        return size
    return max(1, round(width * scale)), max(1, round(height * scale))


def upright_size(size: tuple[int, int], orientation: int) -> tuple[int, int]:
    """The size as a person sees it once the EXIF orientation is applied."""
    return (size[1], size[0]) if orientation in (5, 6, 7, 8) else size


def render_derivatives(
    source: Path, info: ImageInfo, display_path: Path, thumb_path: Path
) -> tuple[int, int]:
    """Save the display and thumbnail JPEGs of a checked image; return its upright size."""
    display, orientation = _display_size(source, info)
    display = _upright(_flatten(display), orientation)
    thumb = _resize(display, THUMB_EDGE, *THUMB_RESAMPLE)
    save_jpeg(display, display_path)
    save_jpeg(thumb, thumb_path)
    return upright_size((info.width, info.height), orientation)


def _display_size(source: Path, info: ImageInfo) -> tuple[Image.Image, int]:
    """The image decoded and resized to the display size, and its orientation."""
    # The decoded image is the biggest buffer: returning drops it before the next ones are made.
    image, orientation = decode(source, info, fit((info.width, info.height), DISPLAY_EDGE))
    return _resize(_plain_mode(image), DISPLAY_EDGE, *DISPLAY_RESAMPLE), orientation


def decode(source: Path, info: ImageInfo, at_least: tuple[int, int]) -> tuple[Image.Image, int]:
    """Decode, as small as the format allows while still covering at_least; and the orientation."""
    try:
        with Image.open(source, formats=[PILLOW_FORMATS[info.mimetype]]) as image:
            # JPEG decodes at 1/2, 1/4 or 1/8 scale (DCT scaling) when asked to: far less work.
            image.draft("RGB", at_least)
            orientation = _orientation(image)
            image.load()
            return image, orientation
    except _DECODE_ERRORS as error:
        raise InvalidInput(f"Not a decodable image: {error}") from error


def read_orientation(source: Path, info: ImageInfo) -> int:
    """The EXIF orientation (1 to 8) of a checked image, read from its header only."""
    try:
        with Image.open(source, formats=[PILLOW_FORMATS[info.mimetype]]) as image:
            return _orientation(image)
    except _DECODE_ERRORS as error:
        raise InvalidInput(f"Not a decodable image: {error}") from error


def _orientation(image: Image.Image) -> int:
    orientation = image.getexif().get(ExifTags.Base.Orientation, 1)
    return orientation if orientation in _UPRIGHT else 1


def _resize(
    image: Image.Image, edge: int, resample: Image.Resampling, reducing_gap: float
) -> Image.Image:
    """image with its long edge at most edge."""
    size = fit(image.size, edge)
    if size == image.size:
        return image
    return image.resize(size, resample, reducing_gap=reducing_gap)


def _plain_mode(image: Image.Image) -> Image.Image:
    """image in L, LA, RGB or RGBA: the modes that resize well."""
    if image.mode in ("RGB", "RGBA", "L", "LA"):
        return image
    if image.mode.startswith("I"):
        # A 16-bit grayscale PNG: keep the high byte (a plain convert would clip it to white).
        return image.convert("I").point(lambda value: value / 256).convert("L")
    return image.convert("RGBA" if _has_alpha(image) else "RGB")


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info


def _flatten(image: Image.Image) -> Image.Image:
    """image in RGB, transparent parts laid on white."""
    if _has_alpha(image):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return image if image.mode == "RGB" else image.convert("RGB")


def _upright(image: Image.Image, orientation: int) -> Image.Image:
    method = _UPRIGHT.get(orientation)
    return image.transpose(method) if method is not None else image


def save_jpeg(image: Image.Image, path: Path) -> None:
    """Save as a baseline JPEG carrying no metadata (no EXIF, GPS, XMP or ICC profile)."""
    image.save(path, "JPEG", quality=JPEG_QUALITY)
