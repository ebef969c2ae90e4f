"""Photo ingest: receive, verify hash and image, derive, store once, record per organization."""

import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from server.auth.access import Actor
from server.exceptions import InvalidInput, NotFound, TooLarge, UnsupportedMedia
from server.extensions import db
from server.media import formats, imaging, upload
from server.media.models import Photo
from server.media.storage import media_storage, staging_dir

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_MAX_PIXELS = 50_000_000
ACCEPTED_TYPES = (formats.JPEG, formats.PNG, formats.WEBP)
VARIANTS = ("original", "display", "thumb")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_CHUNK = 256 * 1024


@dataclass(frozen=True)
class Received:
    """An upload copied to a staging file, with its hash and length."""

    path: Path
    sha256: str
    size: int


def variant_key(sha256: str, variant: str) -> str:
    """The storage key of one variant of a photo."""
    folder = sha256[:2]
    return {
        "original": f"originals/{folder}/{sha256}",
        "display": f"display/{folder}/{sha256}.jpg",
        "thumb": f"thumbs/{folder}/{sha256}.jpg",
    }[variant]


def find_photo(actor: Actor, sha256: str) -> Photo | None:
    """The actor's organization's photo with this hash, if it holds one (422 for a bad hash)."""
    sha256 = _valid_sha256(sha256)
    return db.session.scalar(
        select(Photo).where(Photo.organization_id == actor.organization_id, Photo.sha256 == sha256)
    )


def holds_photo(actor: Actor, sha256: str) -> bool:
    """True when the actor's organization uploaded these bytes itself (knowing a hash is not)."""
    if not _SHA256.fullmatch(sha256):
        return False
    return find_photo(actor, sha256) is not None


def store_photo(
    actor: Actor,
    sha256: str,
    content_type: str | None,
    stream: BinaryIO,
    content_length: int | None,
) -> tuple[Photo, bool]:
    """Verify and keep uploaded bytes for the actor's organization; True when newly added.

    Adds and flushes the Photo; the caller commits.
    """
    sha256 = _valid_sha256(sha256)
    if content_type not in ACCEPTED_TYPES:
        raise UnsupportedMedia(f"Send the photo as {', '.join(ACCEPTED_TYPES)}.")
    limit = _setting("PHOTO_MAX_BYTES", DEFAULT_MAX_BYTES)
    received = receive_upload(stream, content_length, limit)
    try:
        if received.sha256 != sha256:
            raise InvalidInput(
                f"The bytes received hash to {received.sha256}, not to {sha256}: "
                "the upload was damaged or the hash is wrong."
            )
        held = find_photo(actor, sha256)
        if held is not None:
            formats.check_declared(held.content_type, content_type)
            return held, False
        return _add_photo(actor, sha256, **_ingest(received, sha256, content_type))
    finally:
        received.path.unlink(missing_ok=True)


def open_variant(sha256: str, variant: str) -> tuple[BinaryIO, str]:
    """A stored variant ("original", "display" or "thumb") opened for reading, and its MIME type."""
    if variant not in VARIANTS:
        raise ValueError(f"unknown photo variant {variant!r}")
    if not _SHA256.fullmatch(sha256):
        raise NotFound("No such photo.")
    try:
        file = media_storage().open(variant_key(sha256, variant))
    except FileNotFoundError:
        raise NotFound("No such photo.") from None
    if variant != "original":
        return file, "image/jpeg"
    return file, _sniff_stored(file) or "application/octet-stream"


def _sniff_stored(file: BinaryIO) -> str | None:
    """The type of a stored file from its first bytes, leaving its descriptor at offset 0."""
    try:
        descriptor = file.fileno()
    except OSError:  # not backed by a file descriptor: nothing will sendfile() it
        head = file.read(12)
        file.seek(0)
        return formats.sniff(head)
    # Not read() then seek(0): that moves only Python's read-ahead buffer back, and a server that
    # sends the file with sendfile() starts from the descriptor's offset (4,096 bytes in).
    return formats.sniff(os.pread(descriptor, 12, 0))


def read_timeout() -> float:
    """Seconds an upload may send nothing before it is cut off (PHOTO_READ_TIMEOUT)."""
    return float(current_app.config["PHOTO_READ_TIMEOUT"])


def _setting(name: str, default: int) -> int:
    return int(current_app.config.get(name, default))


def _valid_sha256(value: str) -> str:
    """The hash in lower case; 422 with a field error unless it is 64 hex digits."""
    value = value.lower()
    if not _SHA256.fullmatch(value):
        raise InvalidInput(
            "The photo's hash is malformed.",
            errors={"sha256": ["Expected a SHA-256 as 64 hexadecimal digits."]},
        )
    return value


def _too_large(max_bytes: int) -> TooLarge:
    return TooLarge(f"A photo may have at most {max_bytes:,} bytes.")


def receive_upload(stream: BinaryIO, content_length: int | None, max_bytes: int) -> Received:
    """Copy the body to a staging file while hashing and counting; 413 past max_bytes."""
    if content_length is not None and content_length > max_bytes:
        raise _too_large(max_bytes)
    handle, name = tempfile.mkstemp(dir=staging_dir(), suffix=".upload")
    path, digest, size, timeout = Path(name), hashlib.sha256(), 0, read_timeout()
    try:
        with os.fdopen(handle, "wb") as staged:
            while chunk := upload.read_chunk(stream, _CHUNK, timeout):
                size += len(chunk)
                if size > max_bytes:
                    raise _too_large(max_bytes)
                digest.update(chunk)
                staged.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return Received(path, digest.hexdigest(), size)


def _ingest(received: Received, sha256: str, content_type: str) -> dict:
    """Check the image, store its original and derivatives unless held; describe it."""
    info = formats.inspect(received.path, content_type)
    imaging.check_pixels(info, _setting("PHOTO_MAX_PIXELS", DEFAULT_MAX_PIXELS))
    imaging.check_decode_memory(info, current_app.config["PHOTO_DECODE_MEMORY"])
    storage = media_storage()
    keys = {variant: variant_key(sha256, variant) for variant in VARIANTS}
    if all(storage.exists(key) for key in keys.values()):
        # Another organization sent these very bytes before: nothing to write again.
        orientation = imaging.read_orientation(received.path, info)
        size = imaging.upright_size((info.width, info.height), orientation)
    else:
        size = _store_files(storage, keys, received.path, info)
    return {
        "content_type": info.mimetype,
        "size_bytes": received.size,
        "width": size[0],
        "height": size[1],
    }


def _store_files(storage, keys: dict, source: Path, info: formats.ImageInfo) -> tuple[int, int]:
    """Make the derivatives and store them, then the original (moved); return the upright size."""
    display, thumb = _staging_file(), _staging_file()
    try:
        size = imaging.render_derivatives(source, info, display, thumb)
        storage.put_file(keys["display"], display)
        storage.put_file(keys["thumb"], thumb)
        storage.put_file(keys["original"], source)
    finally:
        display.unlink(missing_ok=True)
        thumb.unlink(missing_ok=True)
    return size


def _staging_file() -> Path:
    handle, name = tempfile.mkstemp(dir=staging_dir(), suffix=".jpg")
    os.close(handle)
    return Path(name)


def _add_photo(actor: Actor, sha256: str, **details) -> tuple[Photo, bool]:
    """Add the organization's Photo row; when a concurrent upload added it first, return that."""
    photo = Photo(
        organization_id=actor.organization_id,
        sha256=sha256,
        uploaded_by_id=actor.user_id,
        **details,
    )
    db.session.add(photo)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        held = find_photo(actor, sha256)
        if held is None:
            raise
        return held, False
    return photo, True
