"""NCs and actions inserted directly, committed, for the reminder tests."""

import itertools
import uuid
from datetime import date, datetime

from server.auth.models import User
from server.extensions import db
from server.nonconformities.models import Action, Nonconformity
from server.orgs.models import Site

_numbers = itertools.count(1)


def make_nonconformity(
    site: Site, status: str = "actions", verify_after: datetime | None = None, **fields
) -> Nonconformity:
    """An NC of site, in status, with its check allowed from verify_after."""
    number = next(_numbers)
    nc = Nonconformity(
        id=uuid.uuid4(),
        organization_id=site.organization_id,
        site_id=site.id,
        title=fields.pop("title", f"Guard missing on press {number}"),
        description="The press ran without its guard.",
        severity="major",
        source="incident",
        status=status,
        verify_after=verify_after,
        content_hash=uuid.uuid4().hex * 2,
        **fields,
    )
    db.session.add(nc)
    db.session.commit()
    return nc


def make_action(
    nc: Nonconformity,
    owner: User | None,
    due_on: date,
    status: str = "open",
    title: str | None = None,
    commit: bool = True,
) -> Action:
    """An action of nc, owned by owner, due on due_on."""
    action = Action(
        id=uuid.uuid4(),
        organization_id=nc.organization_id,
        site_id=nc.site_id,
        nonconformity_pk=nc.pk,
        title=title or f"Fit an interlocked guard {next(_numbers)}",
        kind="corrective",
        control="engineering",
        owner_id=owner.id if owner else None,
        due_on=due_on,
        status=status,
        content_hash=uuid.uuid4().hex * 2,
    )
    db.session.add(action)
    if commit:
        db.session.commit()
    return action
