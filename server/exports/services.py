"""Evidence bundles: streamed on the spot when small, else built by a job and kept for a day."""

import hashlib
import uuid
from datetime import date, timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import select, update

from server.auth.access import Actor, actor_for
from server.auth.models import Membership
from server.dbtypes import utcnow
from server.events.services import record_event
from server.exceptions import Conflict, DomainError, NotAllowed, NotFound
from server.exports.bundle import (
    bundle_name,
    bundle_pieces,
    document_bytes,
    file_count,
    photo_totals,
)
from server.exports.models import BUILDING, EXPIRED, FAILED, QUEUED, READY, EvidenceBundle
from server.exports.scope import EXPORT_ROLES, ExportScope, export_scope
from server.extensions import db
from server.jobs.services import request_job
from server.media.storage import media_storage, staging_dir

BUILD_BUNDLE = "build_evidence_bundle"
BUNDLE_TYPE = "evidence_bundle"
# A bundle downloaded on the spot holds at most this many photos and bytes; a larger one is
# built by a job (POST /api/exports/evidence).
DEFAULT_MAX_PHOTOS = 500
DEFAULT_MAX_MB = 250
DEFAULT_KEEP_HOURS = 24
# A job writes its progress at most this often (files).
PROGRESS_EVERY = 25


def _setting(name: str, default):
    value = current_app.config.get(name)
    return default if value is None else value


def check_streamable(scope: ExportScope) -> None:
    """Conflict when the bundle is too large to be made while it downloads (its photos'
    and document files' bytes)."""
    photos, size = photo_totals(scope)
    size += document_bytes(scope)
    max_photos = int(_setting("EXPORT_BUNDLE_MAX_PHOTOS", DEFAULT_MAX_PHOTOS))
    max_mb = float(_setting("EXPORT_BUNDLE_MAX_MB", DEFAULT_MAX_MB))
    if photos > max_photos or size > max_mb * 2**20:
        raise Conflict(
            f"This bundle holds {photos} photos ({size / 2**20:.0f} MB), more than a download "
            f"made on the spot holds ({max_photos} photos, {max_mb:g} MB): build it with POST "
            "/api/exports/evidence and download it when it is ready."
        )


def request_bundle(actor: Actor, start: date, end: date, site_id: int | None) -> EvidenceBundle:
    """Ask for a bundle to be built by a job; commits. The job is queued after the commit."""
    scope = export_scope(actor, start, end, site_id)
    bundle = EvidenceBundle(
        id=uuid.uuid4(),
        organization_id=actor.organization_id,
        requested_by_id=actor.user_id,
        site_id=site_id,
        period_start=start,
        period_end=end,
        status=QUEUED,
        total=file_count(scope),
    )
    db.session.add(bundle)
    db.session.flush()
    record_event(
        actor.organization_id,
        actor.user_id,
        BUNDLE_TYPE,
        bundle.id,
        "requested",
        start=start.isoformat(),
        end=end.isoformat(),
        site_id=site_id,
    )
    request_job(BUILD_BUNDLE, bundle_pk=bundle.pk)
    db.session.commit()
    return bundle


def visible_bundle(actor: Actor, bundle_id: uuid.UUID) -> EvidenceBundle:
    """A bundle the actor asked for (an admin: any of the organization's), or NotFound."""
    if actor.role not in EXPORT_ROLES:
        raise NotAllowed(f"Exports need the role {' or '.join(EXPORT_ROLES)}.")
    stmt = select(EvidenceBundle).where(
        EvidenceBundle.organization_id == actor.organization_id, EvidenceBundle.id == bundle_id
    )
    if actor.role != "admin":
        stmt = stmt.where(EvidenceBundle.requested_by_id == actor.user_id)
    found = db.session.scalar(stmt)
    if found is None:
        raise NotFound(f"No evidence bundle with id {bundle_id} of yours.")
    return found


def bundle_view(bundle: EvidenceBundle) -> dict:
    """A bundle as GET /api/exports/evidence/{id} shows it."""
    ready = bundle.status == READY
    return {
        "id": bundle.id,
        "status": bundle.status,
        "progress": {"done": bundle.done, "total": bundle.total},
        "download_url": f"/api/exports/evidence/{bundle.id}/download" if ready else None,
        "start": bundle.period_start,
        "end": bundle.period_end,
        "site_id": bundle.site_id,
        "size_bytes": bundle.size_bytes,
        "sha256": bundle.sha256,
        "error": bundle.error,
        "requested_at": bundle.requested_at,
        "finished_at": bundle.finished_at,
        "expires_at": bundle.expires_at,
    }


def bundle_file(actor: Actor, bundle_id: uuid.UUID) -> tuple[Path, str]:
    """The file of a ready bundle the actor may download, and its download name."""
    bundle = visible_bundle(actor, bundle_id)
    if bundle.status == EXPIRED:
        raise NotFound("This bundle was deleted after its day; build it again.")
    if bundle.status != READY:
        raise Conflict(f"This bundle is not ready: it is {bundle.status}.")
    path = media_storage().path(bundle.storage_key)
    if not path.is_file():
        raise NotFound("This bundle's file is gone; build it again.")
    return path, _download_name(bundle)


def _download_name(bundle: EvidenceBundle) -> str:
    scope = ExportScope(None, bundle.period_start, bundle.period_end, bundle.site_id, {})
    return bundle_name(scope)


# --- the job -------------------------------------------------------------------------------


def _requester(bundle: EvidenceBundle) -> Actor:
    """The person who asked, as they stand now (NotAllowed once they may not export)."""
    membership = db.session.scalar(
        select(Membership).where(
            Membership.user_id == bundle.requested_by_id,
            Membership.organization_id == bundle.organization_id,
        )
    )
    if membership is None or not (membership.active and membership.user.active):
        raise NotAllowed("The person who asked for this bundle is no longer a member.")
    return actor_for(membership)


def _set(bundle_pk: int, **values) -> None:
    """Update a bundle's row in a transaction of its own (the build reads on in its own)."""
    with db.engine.begin() as connection:
        connection.execute(
            update(EvidenceBundle).where(EvidenceBundle.pk == bundle_pk).values(**values)
        )


def build(bundle_pk: int) -> dict | None:
    """Build a bundle into storage; safe to run again (a ready bundle is left as it is)."""
    bundle = db.session.get(EvidenceBundle, bundle_pk)
    if bundle is None or bundle.status in (READY, EXPIRED):
        return None
    try:
        scope = export_scope(
            _requester(bundle), bundle.period_start, bundle.period_end, bundle.site_id
        )
    except DomainError as error:
        _set(bundle_pk, status=FAILED, error=str(error)[:500], finished_at=utcnow())
        return None
    total, bundle_id = file_count(scope), bundle.id
    db.session.commit()
    _set(bundle_pk, status=BUILDING, started_at=utcnow(), done=0, total=total, error=None)
    key = f"exports/{bundle_id}.zip"
    staging = staging_dir() / f"bundle-{bundle_id}.part"
    try:
        size, sha256 = _write(scope, staging, bundle_pk)
        media_storage().put_file(key, staging)
    except Exception as error:
        db.session.rollback()
        staging.unlink(missing_ok=True)
        _set(bundle_pk, status=FAILED, error=str(error)[:500] or type(error).__name__)
        raise
    keep = timedelta(hours=float(_setting("EXPORT_BUNDLE_KEEP_HOURS", DEFAULT_KEEP_HOURS)))
    now = utcnow()
    _set(
        bundle_pk,
        status=READY,
        done=total,
        storage_key=key,
        size_bytes=size,
        sha256=sha256,
        finished_at=now,
        expires_at=now + keep,
    )
    return {"bundle_pk": bundle_pk, "size_bytes": size, "files": total}


def _write(scope: ExportScope, staging: Path, bundle_pk: int) -> tuple[int, str]:
    """Write the bundle to the staging file: its size and SHA-256."""
    digest, size = hashlib.sha256(), 0

    def progress(done: int) -> None:
        if done % PROGRESS_EVERY == 0:
            _set(bundle_pk, done=done)

    with open(staging, "wb") as out:
        for piece in bundle_pieces(scope, utcnow(), progress):
            out.write(piece)
            digest.update(piece)
            size += len(piece)
    db.session.commit()
    return size, digest.hexdigest()


def expire_bundles() -> int:
    """Delete the files of bundles past their day; how many were deleted."""
    expired = db.session.scalars(
        select(EvidenceBundle)
        .where(EvidenceBundle.status == READY, EvidenceBundle.expires_at <= utcnow())
        .limit(100)
    ).all()
    storage = media_storage()
    for bundle in expired:
        if bundle.storage_key:
            storage.path(bundle.storage_key).unlink(missing_ok=True)
        bundle.status, bundle.storage_key = EXPIRED, None
    db.session.commit()
    return len(expired)
