"""Competence modules: the four every organization has, and an organization's own."""

import re
import unicodedata

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from server.auth.access import Actor
from server.events.services import record_event
from server.exceptions import Conflict, InvalidInput, NotAllowed
from server.extensions import db
from server.people.models import MODULE_LABELS, MODULES, CompetenceModule
from server.people.records import RECORDING_ROLES

# The name of an organization's own modules in the event log.
MODULE_TYPE = "competence_module"
SLUG_LENGTH = 64


def own_labels(organization_id: int) -> dict[str, str]:
    """The organization's own modules: label by slug, in the order of their labels."""
    rows = db.session.execute(
        select(CompetenceModule.slug, CompetenceModule.label)
        .where(CompetenceModule.organization_id == organization_id)
        .order_by(CompetenceModule.label, CompetenceModule.id)
    )
    return dict(rows.all())


def modules_of(organization_id: int) -> list[dict]:
    """The four modules, then the organization's own: {slug, label, own} each."""
    four = [{"slug": slug, "label": MODULE_LABELS[slug], "own": False} for slug in MODULES]
    own = own_labels(organization_id)
    return four + [{"slug": slug, "label": label, "own": True} for slug, label in own.items()]


def module_label(module: str, own: dict[str, str] | None = None) -> str:
    """A module's name for people: its label, or (a module no longer known) its slug in words."""
    label = MODULE_LABELS.get(module) or (own or {}).get(module)
    return label or module.replace("_", " ").strip().capitalize()


def slug_of(label: str) -> str:
    """A slug made from a label: "Forklift licence (B2)" -> "forklift_licence_b2"."""
    ascii_text = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")[:SLUG_LENGTH].rstrip("_")


def add_module(actor: Actor, data: dict) -> CompetenceModule:
    """Add a module of the organization's own (officers, admins); Conflict when it exists."""
    if actor.role not in RECORDING_ROLES:
        raise NotAllowed("Officers and admins add competence modules.")
    label = " ".join(data["label"].split())
    slug = data.get("slug") or slug_of(label)
    if len(slug) < 2:
        raise InvalidInput(
            "This module needs a slug.",
            errors={"label": ["Has too few letters or digits to make a slug from: give a slug."]},
        )
    if slug in MODULES or slug in own_labels(actor.organization_id):
        raise Conflict(f"The module {slug} exists already.")
    module = CompetenceModule(organization_id=actor.organization_id, slug=slug, label=label)
    db.session.add(module)
    try:
        db.session.flush()
    except IntegrityError:
        # Added by someone else at the same moment.
        db.session.rollback()
        raise Conflict(f"The module {slug} exists already.") from None
    record_event(
        actor.organization_id,
        actor.user_id,
        MODULE_TYPE,
        module.id,
        "added",
        slug=slug,
        label=label,
    )
    db.session.commit()
    return module
