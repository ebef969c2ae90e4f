"""A revision's file: received and hashed as photos are, checked as a readable PDF or image,
stored once by SHA-256 in media storage and held per organization."""

import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from pypdf import PdfReader
from pypdf.errors import PyPdfError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from server.auth.access import Actor
from server.documents.models import FILE_TYPES, DocumentFile
from server.documents.records import require_desk
from server.exceptions import InvalidInput, NotFound, TooLarge, UnsupportedMedia
from server.extensions import db
from server.media import formats, imaging
from server.media.services import DEFAULT_MAX_PIXELS, receive_upload
from server.media.storage import media_storage

PDF = "application/pdf"
DEFAULT_MAX_MB = 25
_SHA256 = re.compile(r"[0-9a-f]{64}")
# Whatever pypdf (or what it calls) raises on a damaged file: the PDF is not readable.
_PDF_ERRORS = (
    PyPdfError,
    ValueError,
    KeyError,
    TypeError,
    IndexError,
    AttributeError,
    OSError,
    RecursionError,
    ZeroDivisionError,
    AssertionError,
)


@dataclass(frozen=True)
class Stored:
    """An uploaded file as the API answers it: the organization's row and its page count."""

    file: DocumentFile
    created: bool
    pages: int | None


def file_key(sha256: str) -> str:
    """The storage key of a document file (beside photos, never among them)."""
    return f"documents/{sha256[:2]}/{sha256}"


def max_bytes() -> int:
    """The largest file accepted (DOCUMENT_MAX_MB, 25 by default), in bytes."""
    return int(float(current_app.config.get("DOCUMENT_MAX_MB", DEFAULT_MAX_MB)) * 2**20)


def valid_sha256(value: str, field: str = "sha256") -> str:
    """The hash in lower case; 422 naming field unless it is 64 hex digits."""
    value = value.lower()
    if not _SHA256.fullmatch(value):
        raise InvalidInput(
            "The file's hash is malformed.",
            errors={field: ["Expected a SHA-256 as 64 hexadecimal digits."]},
        )
    return value


def find_file(organization_id: int, sha256: str) -> DocumentFile | None:
    """The organization's file with this hash, if it uploaded one."""
    return db.session.scalar(
        select(DocumentFile).where(
            DocumentFile.organization_id == organization_id, DocumentFile.sha256 == sha256
        )
    )


def store_file(
    actor: Actor, sha256: str, content_type: str | None, stream: BinaryIO, length: int | None
) -> Stored:
    """Verify and keep a revision's file for the actor's organization. Flushes; the caller
    commits."""
    require_desk(actor)
    sha256 = valid_sha256(sha256)
    if content_type not in FILE_TYPES:
        raise UnsupportedMedia(f"Send the file as {', '.join(FILE_TYPES)}.")
    limit = max_bytes()
    if length is not None and length > limit:
        raise _too_large(limit)
    try:
        received = receive_upload(stream, length, limit)
    except TooLarge:
        raise _too_large(limit) from None
    try:
        if received.sha256 != sha256:
            raise InvalidInput(
                f"The bytes received hash to {received.sha256}, not to {sha256}: "
                "the upload was damaged or the hash is wrong."
            )
        pages = check_content(received.path, content_type)
        held = find_file(actor.organization_id, sha256)
        if held is not None:
            formats.check_declared(held.content_type, content_type)
            return Stored(held, False, pages)
        storage, key = media_storage(), file_key(sha256)
        if not storage.exists(key):  # another organization may have sent these very bytes
            storage.put_file(key, received.path)
        return _add_file(actor, sha256, content_type, received.size, pages)
    finally:
        received.path.unlink(missing_ok=True)


def _too_large(limit: int) -> TooLarge:
    return TooLarge(f"A document's file may have at most {limit:,} bytes ({limit / 2**20:g} MB).")


def check_content(path: Path, content_type: str) -> int | None:
    """Check that the file is what it is sent as: a readable PDF (its page count) or a
    decodable image (None)."""
    with open(path, "rb") as file:
        head = file.read(16)
    if not head:
        raise InvalidInput("The body is empty: no file was sent.")
    actual = PDF if head.startswith(b"%PDF-") else formats.sniff(head[:12])
    if actual is not None:
        formats.check_declared(actual, content_type)
    if content_type == PDF:
        return pdf_pages(path)
    _check_image(path, content_type)
    return None


def pdf_pages(path: Path) -> int:
    """The page count of a readable PDF; 422 for one that is damaged, empty or locked."""
    with open(path, "rb") as file:
        if not file.read(5) == b"%PDF-":
            raise InvalidInput("Not a readable PDF: it does not begin with %PDF-.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(path, strict=False)
            if reader.is_encrypted and not reader.decrypt(""):
                raise InvalidInput("The PDF is protected by a password: send it unlocked.")
            pages = len(reader.pages)
            if pages:
                reader.pages[0].mediabox  # noqa: B018 (the first page must be readable too)
    except _PDF_ERRORS as error:
        raise InvalidInput(f"Not a readable PDF: {error or type(error).__name__}.") from None
    if pages < 1:
        raise InvalidInput("Not a readable PDF: it has no pages.")
    return pages


def _check_image(path: Path, content_type: str) -> None:
    """Refuse an image that is not exactly one accepted image, too big, or not decodable."""
    info = formats.inspect(path, content_type)
    config = current_app.config
    imaging.check_pixels(info, int(config.get("PHOTO_MAX_PIXELS", DEFAULT_MAX_PIXELS)))
    imaging.check_decode_memory(info, config["PHOTO_DECODE_MEMORY"])
    image, _orientation = imaging.decode(path, info, (info.width, info.height))
    image.close()


def _add_file(actor: Actor, sha256: str, content_type: str, size: int, pages) -> Stored:
    """Add the organization's row; when a concurrent upload added it first, return that."""
    row = DocumentFile(
        organization_id=actor.organization_id,
        sha256=sha256,
        content_type=content_type,
        size_bytes=size,
        uploaded_by_id=actor.user_id,
    )
    db.session.add(row)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        held = find_file(actor.organization_id, sha256)
        if held is None:
            raise
        return Stored(held, False, pages)
    return Stored(row, True, pages)


def open_file(sha256: str) -> BinaryIO:
    """A stored file opened for reading; NotFound when its bytes are gone."""
    try:
        return media_storage().open(file_key(sha256))
    except FileNotFoundError:
        raise NotFound("This document's file is missing from storage.") from None
