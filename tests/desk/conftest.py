"""Fixtures for the officer's desk: a plant with two sites and people of every role."""

import itertools
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from server.extensions import db
from server.reports.models import Report
from server.triage.jobs import triage_report
from tests.factories import make_organization, make_site, make_user

# Reports are received a second apart from here, in the order the tests make them.
START = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
_seconds = itertools.count()


@pytest.fixture
def plant(app):
    """An organization with two sites, a worker, an auditor, officers and an admin."""
    organization = make_organization()
    north, south = make_site(organization, "NORTH"), make_site(organization, "SOUTH")
    return {
        "organization": organization,
        "north": north,
        "south": south,
        "worker": make_user(organization),
        "auditor": make_user(organization, role="auditor"),
        "officer": make_user(organization, role="officer"),
        "north_officer": make_user(organization, role="officer", sites=[north]),
        "admin": make_user(organization, role="admin"),
    }


def make_report(site, reporter=None, commit: bool = True, **fields) -> Report:
    """A report inserted directly, received a second after the previous one."""
    received_at = fields.pop("received_at", START + timedelta(seconds=next(_seconds)))
    values = {
        "kind": "hazard",
        "description": "Oil leak under press 4, floor slippery",
        "observed_at": received_at - timedelta(minutes=5),
        "status": "received",
        **fields,
    }
    report = Report(
        id=uuid.uuid4(),
        organization_id=site.organization_id,
        site_id=site.id,
        reporter_id=reporter.id if reporter else None,
        received_at=received_at,
        changed_at=received_at,
        content_hash=uuid.uuid4().hex * 2,
        **values,
    )
    db.session.add(report)
    if commit:
        db.session.commit()
    return report


def triaged(report: Report) -> Report:
    """Run the triage job on a report, as the worker does, and read it back."""
    triage_report(report.pk)
    db.session.expire_all()
    return report


@pytest.fixture
def signed_in(client, auth):
    """Sign in as a user and GET a desk URL; returns the response."""

    def get(user, url: str, **params):
        auth.login(user.email)
        return client.get(url, query_string=params)

    return get
