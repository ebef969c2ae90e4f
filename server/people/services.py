"""Competence records (ISO 45001 7.2): recording and reading them, and the competence rule:
whether someone holds a valid record of a module on a day."""

from datetime import date, timedelta

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import aliased

from server.auth.access import Actor
from server.auth.models import Membership, User, membership_site
from server.dbtypes import utcnow
from server.events.services import record_event
from server.exceptions import InvalidInput, NotAllowed, NotFound
from server.extensions import db
from server.media.attachments import attach, held_photos
from server.media.models import Photo
from server.orgs.models import Site
from server.people.models import MODULES, Competence
from server.people.modules import module_label, own_labels
from server.people.records import COMPETENCE_TYPE, RECORDING_ROLES

# A completion day may be a day ahead of UTC's (a site east of Greenwich), never more.
MAX_DAYS_AHEAD = 1


def holds_competence(organization_id: int, user_id: int, module: str, on: date) -> bool:
    """True when the person has a record of module completed by `on` and not expired on it."""
    found = db.session.scalar(
        select(Competence.id)
        .where(
            Competence.organization_id == organization_id,
            Competence.user_id == user_id,
            Competence.module == module,
            Competence.completed_on <= on,
            or_(Competence.expires_on.is_(None), Competence.expires_on >= on),
        )
        .limit(1)
    )
    return found is not None


def member(organization_id: int, user_id: int) -> Membership | None:
    """The user's membership of the organization, when they are an active member."""
    return db.session.scalar(
        select(Membership)
        .join(Membership.user)
        .where(
            Membership.organization_id == organization_id,
            Membership.user_id == user_id,
            Membership.active.is_(True),
            User.active.is_(True),
        )
    )


def _person(actor: Actor, user_id: int) -> Membership:
    """The membership of a person of the actor's organization, or NotFound."""
    found = member(actor.organization_id, user_id)
    if found is None:
        raise NotFound(f"No user with id {user_id}.")
    return found


def competences_of(actor: Actor, user_id: int) -> list[Competence]:
    """A person's records, newest first: officers and admins read anyone's, others their own."""
    _person(actor, user_id)
    if actor.role not in RECORDING_ROLES and actor.user_id != user_id:
        raise NotAllowed("Officers and admins read other people's competence records.")
    return list(
        db.session.scalars(
            select(Competence)
            .where(
                Competence.organization_id == actor.organization_id,
                Competence.user_id == user_id,
            )
            .order_by(Competence.completed_on.desc(), Competence.id.desc())
        )
    )


def record_competence(actor: Actor, user_id: int, data: dict) -> tuple[Competence, bool]:
    """Record a training or qualification (officers, admins); (the record, True when new).

    The same record sent again (a double click, a retry) gives the one saved back.
    """
    _person(actor, user_id)
    if actor.role not in RECORDING_ROLES:
        raise NotAllowed("Officers and admins record competences.")
    data = {**data, "title": " ".join(data["title"].split())}
    _check(actor, data)
    same = _same_record(actor.organization_id, user_id, data)
    if same is not None:
        return same, False
    competence = Competence(
        organization_id=actor.organization_id,
        user_id=user_id,
        module=data["module"],
        title=data["title"],
        completed_on=data["completed_on"],
        expires_on=data.get("expires_on"),
        certificate_sha256=data.get("certificate_photo"),
        recorded_by_id=actor.user_id,
    )
    db.session.add(competence)
    db.session.flush()
    _attach_certificate(competence)
    record_event(
        actor.organization_id,
        actor.user_id,
        COMPETENCE_TYPE,
        competence.id,
        "recorded",
        user_id=user_id,
        module=competence.module,
        title=competence.title,
        completed_on=competence.completed_on.isoformat(),
        expires_on=competence.expires_on.isoformat() if competence.expires_on else None,
        certificate_photo=competence.certificate_sha256,
    )
    db.session.commit()
    return competence, True


def _attach_certificate(competence: Competence) -> None:
    """Show the certificate photo on the record: who may open the record may download it."""
    if competence.certificate_sha256 is None:
        return
    photo = db.session.scalar(
        select(Photo).where(
            Photo.organization_id == competence.organization_id,
            Photo.sha256 == competence.certificate_sha256,
        )
    )
    shown = {
        "sha256": photo.sha256,
        "content_type": photo.content_type,
        "width": photo.width,
        "height": photo.height,
    }
    attach(competence.organization_id, COMPETENCE_TYPE, {competence.id: [shown]})


def _check(actor: Actor, data: dict) -> None:
    """The rules a record keeps: its module is one of the organization's, it expires after its
    completion, which is not to come, and its certificate is a photo the organization holds."""
    errors = {}
    if data["module"] not in MODULES and data["module"] not in own_labels(actor.organization_id):
        errors["module"] = [
            "Not a module of this organization: one of the four, or one added first "
            "(POST /api/competences/modules)."
        ]
    completed_on, expires_on = data["completed_on"], data.get("expires_on")
    if completed_on > utcnow().date() + timedelta(days=MAX_DAYS_AHEAD):
        errors["completed_on"] = ["Is in the future: record a training once it is completed."]
    if expires_on is not None and expires_on < completed_on:
        errors["expires_on"] = ["Is before completed_on: a record expires after its completion."]
    photo = data.get("certificate_photo")
    if photo and photo not in held_photos(actor.organization_id, [photo]):
        errors["certificate_photo"] = [
            "Not uploaded yet: send it (PUT /api/photos/{sha256}), then this again."
        ]
    if errors:
        raise InvalidInput("This competence record cannot be saved as it is.", errors=errors)


def _same_record(organization_id: int, user_id: int, data: dict) -> Competence | None:
    """A record of this person with exactly this content, saved before."""
    expires_on, photo = data.get("expires_on"), data.get("certificate_photo")
    return db.session.scalar(
        select(Competence)
        .where(
            Competence.organization_id == organization_id,
            Competence.user_id == user_id,
            Competence.module == data["module"],
            Competence.title == data["title"],
            Competence.completed_on == data["completed_on"],
            Competence.expires_on.is_(None)
            if expires_on is None
            else (Competence.expires_on == expires_on),
            Competence.certificate_sha256.is_(None)
            if photo is None
            else (Competence.certificate_sha256 == photo),
        )
        .limit(1)
    )


def list_competences(
    actor: Actor,
    due_within: int | None = None,
    module: str | None = None,
    user_id: int | None = None,
    today: date | None = None,
) -> list[Competence]:
    """The organization's records (officers, admins), by expiry; with due_within, only those
    expiring from today to today + due_within days that no later record of the same person
    and module outlasts (the ones to renew)."""
    if actor.role not in RECORDING_ROLES:
        raise NotAllowed("Officers and admins read the competence records.")
    stmt = (
        select(Competence)
        .join(Membership, _current_member())
        .where(Competence.organization_id == actor.organization_id)
    )
    if module is not None:
        stmt = stmt.where(Competence.module == module)
    if user_id is not None:
        stmt = stmt.where(Competence.user_id == user_id)
    if due_within is not None:
        today = today or utcnow().date()
        stmt = stmt.where(
            Competence.expires_on >= today,
            Competence.expires_on <= today + timedelta(days=due_within),
            ~outlasted(),
        )
    order = (Competence.expires_on.is_(None), Competence.expires_on, Competence.id)
    return list(db.session.scalars(stmt.order_by(*order)))


def _current_member():
    """The join to the record holder's active membership of the record's organization."""
    return and_(
        Membership.organization_id == Competence.organization_id,
        Membership.user_id == Competence.user_id,
        Membership.active.is_(True),
        Membership.user.has(User.active.is_(True)),
    )


def outlasted():
    """True for a record that a later record of the same person and module outlasts."""
    later = aliased(Competence)
    return exists().where(
        later.organization_id == Competence.organization_id,
        later.user_id == Competence.user_id,
        later.module == Competence.module,
        later.id != Competence.id,
        or_(later.expires_on.is_(None), later.expires_on > Competence.expires_on),
    )


def competence_views(records: list[Competence], today: date | None = None) -> list[dict]:
    """Records as the API shows them, with who holds and who recorded each."""
    today = today or utcnow().date()
    ids = {r.user_id for r in records} | {r.recorded_by_id for r in records if r.recorded_by_id}
    names = dict(db.session.execute(select(User.id, User.name).where(User.id.in_(ids))).all())
    labels = own_labels(records[0].organization_id) if records else {}
    return [_view(record, names, labels, today) for record in records]


def _view(record: Competence, names: dict[int, str], labels: dict[str, str], today: date) -> dict:
    recorder = record.recorded_by_id
    return {
        "id": record.id,
        "user": {"id": record.user_id, "name": names.get(record.user_id)},
        "module": record.module,
        "module_label": module_label(record.module, labels),
        "title": record.title,
        "completed_on": record.completed_on,
        "expires_on": record.expires_on,
        "certificate_photo": record.certificate_sha256,
        "valid": record.completed_on <= today
        and (record.expires_on is None or record.expires_on >= today),
        "expired": record.expires_on is not None and record.expires_on < today,
        "recorded_by": {"id": recorder, "name": names.get(recorder)} if recorder else None,
        "created_at": record.created_at,
    }


def qualified(actor: Actor, module: str, on: date, site_id: int | None = None) -> list[dict]:
    """The active members holding a valid record of module on the day (officers, admins):
    whom the desk offers as auditors; with site_id, only those who may work at that site."""
    if actor.role not in RECORDING_ROLES:
        raise NotAllowed("Officers and admins read who is qualified.")
    holds = exists().where(
        Competence.organization_id == Membership.organization_id,
        Competence.user_id == Membership.user_id,
        Competence.module == module,
        Competence.completed_on <= on,
        or_(Competence.expires_on.is_(None), Competence.expires_on >= on),
    )
    stmt = (
        select(User.id, User.name, Membership.role)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.organization_id == actor.organization_id,
            Membership.active.is_(True),
            User.active.is_(True),
            holds,
        )
        .order_by(User.name, User.id)
    )
    if site_id is not None:
        stmt = stmt.where(works_at(actor.organization_id, site_id))
    return [dict(row._mapping) for row in db.session.execute(stmt)]


def works_at(organization_id: int, site_id: int):
    """True for a membership that may work at the organization's site (no limits: every site)."""
    limits = select(membership_site.c.site_id).where(
        membership_site.c.membership_id == Membership.id
    )
    site = select(Site.id).where(Site.id == site_id, Site.organization_id == organization_id)
    return and_(
        site.exists(),
        or_(~limits.exists(), limits.where(membership_site.c.site_id == site_id).exists()),
    )
