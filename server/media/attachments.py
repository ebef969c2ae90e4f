"""Attachments: the photos records show, one model and one service for every record type."""

from collections.abc import Callable

from sqlalchemy import ColumnElement, insert, select

from server.auth.access import Actor
from server.extensions import db
from server.media.models import Attachment, Photo
from server.records.registry import record_types

# Called as listener(organization_id, sha256, actor_id) once a new photo's row is committed.
PhotoListener = Callable[[int, str, int | None], None]
_photo_listeners: dict[str, PhotoListener] = {}


def on_photo_held(name: str, listener: PhotoListener) -> None:
    """Have listener told of each photo an organization newly holds (e.g. to complete records)."""
    _photo_listeners[name] = listener


def photo_held(organization_id: int, sha256: str, actor_id: int | None) -> None:
    """Tell every listener that the organization now holds this photo."""
    for listener in _photo_listeners.values():
        listener(organization_id, sha256, actor_id)


def attach(organization_id: int, kind: str, photos_by_pk: dict[int, list[dict]]) -> None:
    """Attach photos (sha256, content_type, width, height) to records of kind, in their order.

    One statement for them all; the caller owns the transaction.
    """
    rows = [
        {
            "organization_id": organization_id,
            "record_type": kind,
            "record_pk": pk,
            "position": position,
            "sha256": photo["sha256"],
            "content_type": photo["content_type"],
            "width": photo.get("width"),
            "height": photo.get("height"),
        }
        for pk, photos in photos_by_pk.items()
        for position, photo in enumerate(photos)
    ]
    if rows:
        db.session.execute(insert(Attachment), rows)


def held_photos(organization_id: int, hashes: list[str]) -> set[str]:
    """Which of these photo hashes the organization already holds."""
    if not hashes:
        return set()
    rows = db.session.scalars(
        select(Photo.sha256).where(
            Photo.organization_id == organization_id, Photo.sha256.in_(hashes)
        )
    )
    return set(rows)


def some_photo_missing(kind: str, model) -> ColumnElement[bool]:
    """True for a record of kind showing a photo its organization does not hold (correlated)."""
    held = select(Photo.id).where(
        Photo.organization_id == Attachment.organization_id, Photo.sha256 == Attachment.sha256
    )
    return (
        select(Attachment.id)
        .where(Attachment.record_type == kind, Attachment.record_pk == model.pk, ~held.exists())
        .exists()
    )


def showing(organization_id: int, kind: str, sha256: str):
    """A query of the primary keys of the organization's records of kind that show this photo."""
    return select(Attachment.record_pk).where(
        Attachment.organization_id == organization_id,
        Attachment.record_type == kind,
        Attachment.sha256 == sha256,
    )


def photo_visible_to(actor: Actor, sha256: str) -> bool:
    """True when the actor may open some record, of any type, that shows this photo."""
    for kind in record_types():
        shown = select(Attachment.id).where(
            Attachment.organization_id == actor.organization_id,
            Attachment.record_type == kind.name,
            Attachment.sha256 == sha256,
            Attachment.record_pk.in_(kind.visible_pks(actor)),
        )
        if db.session.scalar(shown.limit(1)) is not None:
            return True
    return False


def attached_hashes(kind: str, record_pks: list[int]) -> dict[int, list[str]]:
    """The photo hashes each of these records of kind shows, in their order."""
    shown: dict[int, list[str]] = {}
    if record_pks:
        rows = db.session.execute(
            select(Attachment.record_pk, Attachment.sha256)
            .where(Attachment.record_type == kind, Attachment.record_pk.in_(record_pks))
            .order_by(Attachment.record_pk, Attachment.position)
        )
        for record_pk, sha256 in rows:
            shown.setdefault(record_pk, []).append(sha256)
    return shown
