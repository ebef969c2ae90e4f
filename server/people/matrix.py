"""The training matrix: the organization's people by modules, each cell the best record of that
person and module. A page takes the same few queries whatever its size or number."""

from datetime import date, timedelta

from sqlalchemy import func, or_, select

from server.auth.access import Actor
from server.auth.models import Membership, User
from server.dbtypes import utcnow
from server.exceptions import InvalidInput, NotAllowed
from server.extensions import db
from server.orgs.models import Organization
from server.orgs.zones import local_day
from server.people.models import Competence
from server.people.modules import modules_of
from server.people.records import RECORDING_ROLES
from server.people.services import works_at

VALID, DUE, EXPIRED, MISSING = "valid", "due", "expired", "missing"
_NO_RECORD = {"state": MISSING, "expires_on": None, "completed_on": None, "record_id": None}


def matrix(actor: Actor, filters: dict, today: date | None = None) -> dict:
    """One page of the matrix (officers, admins): {modules, people, total, due_days, page, ...}."""
    if actor.role not in RECORDING_ROLES:
        raise NotAllowed("Officers and admins read the training matrix.")
    due_days, zone = db.session.execute(
        select(Organization.training_due_days, Organization.time_zone).where(
            Organization.id == actor.organization_id
        )
    ).one()
    # The organization's day: a record expiring today is valid until midnight there.
    today = today or local_day(utcnow(), zone)
    modules = [{"slug": m["slug"], "label": m["label"]} for m in modules_of(actor.organization_id)]
    if filters.get("module"):
        modules = [m for m in modules if m["slug"] == filters["module"]]
        if not modules:
            raise InvalidInput(
                "No such module.", errors={"module": ["Not a module of this organization."]}
            )
    people = _people(actor.organization_id, filters)
    total = db.session.scalar(select(func.count()).select_from(people.subquery()))
    page, per_page = filters["page"], filters["per_page"]
    ordered = people.order_by(func.lower(User.name), User.id)
    rows = db.session.execute(ordered.offset((page - 1) * per_page).limit(per_page)).all()
    slugs = [m["slug"] for m in modules]
    best = _best_records(actor.organization_id, [row.id for row in rows], slugs)
    until = today + timedelta(days=due_days)
    return {
        "modules": modules,
        "people": [_person(row, slugs, best, today, until) for row in rows],
        "total": total,
        "due_days": due_days,
        "page": page,
        "per_page": per_page,
    }


def _people(organization_id: int, filters: dict):
    """The query of the organization's active members the filters keep: id, name and role."""
    stmt = (
        select(User.id, User.name, Membership.role)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.organization_id == organization_id,
            Membership.active.is_(True),
            User.active.is_(True),
        )
    )
    if filters.get("role"):
        stmt = stmt.where(Membership.role == filters["role"])
    if filters.get("site_id") is not None:
        stmt = stmt.where(works_at(organization_id, filters["site_id"]))
    if filters.get("q"):
        words = " ".join(filters["q"].split()).lower()
        stmt = stmt.where(
            or_(
                func.lower(User.name).contains(words, autoescape=True),
                func.lower(User.email).contains(words, autoescape=True),
            )
        )
    return stmt


def _best_records(organization_id: int, user_ids: list[int], modules: list[str]) -> dict:
    """The best record of each of these people in each of these modules, by (user_id, module):
    the one lasting longest (never expiring lasts longest), so valid > due > expired."""
    rank = func.row_number().over(
        partition_by=(Competence.user_id, Competence.module),
        order_by=(
            Competence.expires_on.is_(None).desc(),
            Competence.expires_on.desc(),
            Competence.completed_on.desc(),
            Competence.id.desc(),
        ),
    )
    ranked = (
        select(
            Competence.id,
            Competence.user_id,
            Competence.module,
            Competence.completed_on,
            Competence.expires_on,
            rank.label("rank"),
        )
        .where(
            Competence.organization_id == organization_id,
            Competence.user_id.in_(user_ids),
            Competence.module.in_(modules),
        )
        .subquery()
    )
    rows = db.session.execute(select(ranked).where(ranked.c.rank == 1))
    return {(row.user_id, row.module): row for row in rows}


def _person(row, slugs: list[str], best: dict, today: date, until: date) -> dict:
    cells = {}
    for slug in slugs:
        record = best.get((row.id, slug))
        cells[slug] = _NO_RECORD if record is None else _cell(record, today, until)
    return {"id": row.id, "name": row.name, "role": row.role, "cells": cells}


def _cell(record, today: date, until: date) -> dict:
    expires_on = record.expires_on
    if expires_on is not None and expires_on < today:
        state = EXPIRED
    elif expires_on is not None and expires_on <= until:
        state = DUE
    else:
        state = VALID
    return {
        "state": state,
        "expires_on": expires_on.isoformat() if expires_on else None,
        "completed_on": record.completed_on.isoformat(),
        "record_id": record.id,
    }
