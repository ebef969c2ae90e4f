"""The register kept: entering a risk or opportunity, numbering it, reviewing it, and asking
for a review when a linked record calls for one.

Numbers are taken under the organization's write lock (next_number); a review takes the
entry's write lock first (locked_risk), so that two reviews never interleave.
"""

import uuid

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from server.auth.access import Actor
from server.auth.models import Membership, User
from server.dbtypes import utcnow
from server.exceptions import Conflict, InvalidInput, NotAllowed
from server.extensions import db
from server.orgs.models import Organization, Site
from server.records.identity import DUPLICATE, fingerprint, resend_status
from server.risks.models import ACTIVE, REVIEW_REASONS, Risk, RiskReview
from server.risks.records import DESK_ROLES, reference, risk_scope, touch, visible_risk

# What one rating of an entry holds, on the entry and on each history row alike.
RATED = (
    "severity",
    "likelihood",
    "controls",
    "residual_severity",
    "residual_likelihood",
    "review_on",
)
# A note kept with a pending review grows with each further request, up to this.
MAX_REVIEW_NOTE = 5000


def find_risk(organization_id: int, risk_id: uuid.UUID) -> Risk | None:
    """The organization's entry with this client id."""
    return db.session.scalar(
        select(Risk).where(Risk.organization_id == organization_id, Risk.id == risk_id)
    )


def _keeps_register(actor: Actor) -> None:
    if actor.role not in DESK_ROLES:
        raise NotAllowed(f"This needs the role {' or '.join(DESK_ROLES)}.")


def next_number(organization_id: int) -> int:
    """The organization's next free entry number (max + 1), read after taking its write lock:
    numbers are taken one transaction at a time until the taker commits (a row lock on
    PostgreSQL, the database's write lock on SQLite)."""
    db.session.execute(
        update(Organization)
        .where(Organization.id == organization_id)
        .values(name=Organization.name)
        .execution_options(synchronize_session=False)
    )
    found = db.session.scalar(
        select(func.max(Risk.number)).where(Risk.organization_id == organization_id)
    )
    return (found or 0) + 1


def add_risk(actor: Actor, data: dict, number: int) -> Risk:
    """Add an entry (RiskIn's load) numbered number, its first history row and its "created"
    event: the site must be one the actor sees, the owner a member allowed there. Flushes,
    no commit."""
    _keeps_register(actor)
    site = _visible_site(actor, data["site_id"])
    _check_owner(site, data["owner_id"])
    now = utcnow()
    risk = Risk(
        id=data["id"],
        organization_id=actor.organization_id,
        site_id=site.id,
        number=number,
        kind=data.get("kind") or "risk",
        activity=_line(data["activity"]),
        hazard=data["hazard"].strip(),
        who=_line(data["who"]),
        category=_line(data.get("category") or "") or None,
        owner_id=data["owner_id"],
        status=ACTIVE,
        created_by_id=actor.user_id,
        created_at=now,
        changed_at=now,
        content_hash=fingerprint(data),
        **_ratings(data),
    )
    risk.site = site
    risk.reviews.append(_history_row(risk, actor.user_id, now, reason=None, notes=None))
    db.session.add(risk)
    touch(risk, actor.user_id, "created", ref=reference(risk), **_rating_data(risk))
    return risk


def _line(text: str) -> str:
    """One line of text: single spaces, none at the ends."""
    return " ".join(text.split())


def _ratings(data: dict) -> dict:
    """The rated columns of an entry from a validated body, its controls tidied."""
    values = {name: data[name] for name in RATED if name != "controls"}
    values["controls"] = [
        {"text": _line(control["text"]), "control": control["control"]}
        for control in data.get("controls") or []
    ]
    return values


def _history_row(risk: Risk, actor_id: int | None, at, reason, notes) -> RiskReview:
    """The entry's ratings as they stand now, as one row of its history."""
    return RiskReview(
        reviewed_by_id=actor_id,
        reviewed_at=at,
        reason=reason,
        notes=notes,
        **{name: getattr(risk, name) for name in RATED},
    )


def _rating_data(risk: Risk) -> dict:
    """What the event log keeps of a rating: both scores, the controls' levels, the next day."""
    return {
        "inherent": [risk.severity, risk.likelihood],
        "residual": [risk.residual_severity, risk.residual_likelihood],
        "controls": [control["control"] for control in risk.controls],
        "review_on": risk.review_on.isoformat(),
    }


def _visible_site(actor: Actor, site_id: int) -> Site:
    """The site, when it is one of the actor's; else a field error."""
    site = db.session.get(Site, site_id)
    if (
        site is None
        or site.organization_id != actor.organization_id
        or not actor.may_see_site(site.id)
    ):
        raise InvalidInput(errors={"site_id": ["Unknown site, or not one of yours."]})
    return site


def _check_owner(site: Site, owner_id: int) -> None:
    """A field error unless the owner is an active member of the organization allowed at the
    site (a member limited to other sites is not)."""
    membership = db.session.scalar(
        select(Membership)
        .join(User)
        .where(
            Membership.user_id == owner_id,
            Membership.organization_id == site.organization_id,
            Membership.active.is_(True),
            User.active.is_(True),
        )
    )
    if membership is None or (
        membership.sites and site.id not in {allowed.id for allowed in membership.sites}
    ):
        raise InvalidInput(
            "The owner must be an active member of the organization who works at the site.",
            errors={"owner_id": ["Not an active member at this site."]},
        )


def create_risk(actor: Actor, data: dict) -> tuple[Risk, bool]:
    """Enter a risk (POST /api/risks' body); (the entry, True when new). Commits.

    Idempotent on the client's id: the same id and content again gives the same entry back;
    the same id with other content is a Conflict.
    """
    _keeps_register(actor)
    digest = fingerprint(data)
    try:
        return _create(actor, data, digest)
    except IntegrityError:
        # The same id was saved by another request at this very moment.
        db.session.rollback()
        return _create(actor, data, digest)


def _create(actor: Actor, data: dict, digest: str) -> tuple[Risk, bool]:
    known = find_risk(actor.organization_id, data["id"])
    if known is not None:
        return _resent(actor, known, digest), False
    risk = add_risk(actor, data, next_number(actor.organization_id))
    db.session.commit()
    return risk, True


def _resent(actor: Actor, known: Risk, digest: str) -> Risk:
    """The entry already saved under this id, when this is a resend of it; else Conflict."""
    shown = db.session.scalar(risk_scope(actor, select(Risk.pk)).where(Risk.pk == known.pk))
    if shown is not None and resend_status(known.content_hash, digest) == DUPLICATE:
        return known
    raise Conflict(
        "A register entry with this id already exists with other content.",
        errors={"id": ["Taken by another entry."]},
    )


def locked_risk(risk_pk: int) -> Risk:
    """The entry read again after taking its write lock (a row lock on PostgreSQL, the
    database's write lock on SQLite)."""
    db.session.execute(
        update(Risk)
        .where(Risk.pk == risk_pk)
        .values(status=Risk.status)
        .execution_options(synchronize_session=False)
    )
    return db.session.scalar(
        select(Risk).where(Risk.pk == risk_pk).execution_options(populate_existing=True)
    )


def review_risk(actor: Actor, risk_id: uuid.UUID, data: dict) -> Risk:
    """Record a review (ReviewIn's load): new ratings, controls and next review day (and owner
    or status when given), kept as a new history row with the pending reason, which it
    clears. Commits."""
    _keeps_register(actor)
    risk = locked_risk(visible_risk(actor, risk_id).pk)
    if data.get("owner_id") is not None:
        _check_owner(risk.site, data["owner_id"])
        risk.owner_id = data["owner_id"]
    if data.get("status") is not None:
        risk.status = data["status"]
    for name, value in _ratings(data).items():
        setattr(risk, name, value)
    reason, notes = risk.review_reason, (data.get("notes") or "").strip() or None
    row = _history_row(risk, actor.user_id, utcnow(), reason=reason, notes=notes)
    row.risk_pk = risk.pk
    db.session.add(row)
    risk.review_reason = risk.review_note = risk.review_requested_at = None
    touch(
        risk,
        actor.user_id,
        "reviewed",
        reason=reason,
        notes=notes,
        status=risk.status,
        owner_id=risk.owner_id,
        **_rating_data(risk),
    )
    db.session.commit()
    return risk


def request_review(risk: Risk, reason: str, note: str | None, actor_id: int | None) -> None:
    """Put the entry on the review-due list at once, with why (a REVIEW_REASONS value). A
    review already pending keeps its reason and time; the new note is added to its note.
    Writes a "review_requested" event; no commit (callers run inside their transaction)."""
    if reason not in REVIEW_REASONS:
        raise ValueError(f"unknown review reason {reason!r}")
    note = " ".join((note or "").split()) or None
    pending = risk.review_reason
    if pending is None:
        risk.review_reason, risk.review_note = reason, note
        risk.review_requested_at = utcnow()
    elif note and note not in (risk.review_note or ""):
        joined = f"{risk.review_note}\n{note}" if risk.review_note else note
        risk.review_note = joined[:MAX_REVIEW_NOTE]
    touch(risk, actor_id, "review_requested", reason=reason, note=note, pending=pending)
