"""GET /api/overview: open and overdue actions by their site's day, and NCs effective first time."""

import uuid
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from server.extensions import db
from server.nonconformities.models import Action, Nonconformity
from server.orgs.models import Site
from tests.factories import make_site, make_user


def nonconformity(site: Site, status: str = "actions", checks: int = 0) -> Nonconformity:
    nc = Nonconformity(
        id=uuid.uuid4(),
        organization_id=site.organization_id,
        site_id=site.id,
        title="Guard missing on press 4",
        description="The press ran without its guard.",
        severity="major",
        source="incident",
        status=status,
        checks=checks,
        content_hash="0" * 64,
    )
    db.session.add(nc)
    db.session.commit()
    return nc


def action(nc: Nonconformity, due_on: date, status: str = "open") -> Action:
    row = Action(
        id=uuid.uuid4(),
        organization_id=nc.organization_id,
        site_id=nc.site_id,
        nonconformity_pk=nc.pk,
        title="Fit an interlocked guard",
        kind="corrective",
        control="engineering",
        due_on=due_on,
        status=status,
        content_hash="0" * 64,
    )
    db.session.add(row)
    db.session.commit()
    return row


def figures(signed_in, user) -> tuple[dict, dict]:
    body = signed_in(user, "/api/overview").json
    return body["actions"], body["nonconformities"]


def test_actions_are_overdue_after_their_due_day_at_their_site(signed_in, plant):
    now = datetime.now(UTC)
    auckland = make_site(plant["organization"], "AKL")
    auckland.time_zone = "Pacific/Auckland"
    db.session.commit()
    # Auckland's day is ahead of UTC's: its due days run out earlier.
    local_today = now.astimezone(ZoneInfo("Pacific/Auckland")).date()
    north = nonconformity(plant["north"])
    far = nonconformity(auckland)
    action(north, now.date() - timedelta(days=1))  # overdue in UTC
    action(north, now.date())  # due today: not overdue
    action(far, local_today - timedelta(days=1))  # overdue by Auckland's day
    action(far, local_today)  # due today in Auckland
    action(north, now.date() - timedelta(days=9), status="done")  # done: neither

    actions, _ = figures(signed_in, plant["officer"])
    assert actions == {"open": 4, "overdue": 2}
    # An officer of the south site alone sees none of them.
    south_officer = make_user(plant["organization"], role="officer", sites=[plant["south"]])
    assert figures(signed_in, south_officer)[0] == {"open": 0, "overdue": 0}


def test_the_share_of_ncs_closed_effective_on_the_first_check(signed_in, plant):
    _, ncs = figures(signed_in, plant["officer"])
    assert ncs == {
        "open": 0,
        "closed": 0,
        "closed_effective_first_check": 0,
        "effective_first_check_share": None,
    }
    north = plant["north"]
    nonconformity(north, "closed", checks=1)
    nonconformity(north, "closed", checks=1)
    nonconformity(north, "closed", checks=2)  # not effective the first time
    nonconformity(north, "verifying", checks=1)
    nonconformity(north, "cancelled")
    nonconformity(north, "open")

    _, ncs = figures(signed_in, plant["officer"])
    assert ncs == {
        "open": 2,
        "closed": 3,
        "closed_effective_first_check": 2,
        "effective_first_check_share": 0.667,
    }
