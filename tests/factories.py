"""Make records for tests, committed, with sensible defaults."""

import itertools
import uuid
from datetime import UTC, datetime

from server.auth.models import Membership, User
from server.extensions import db
from server.media.models import Photo
from server.orgs.models import Organization, Site
from server.reports.models import Report
from server.triage.models import SlaPolicy

PASSWORD = "correct horse battery"
# The smallest scrypt OpenSSL takes: tests make and sign in many people, each 0.1 s at the
# default (tests/auth/test_password_hashing.py checks the default).
PASSWORD_HASH_METHOD = "scrypt:256:8:1"
_numbers = itertools.count(1)


def make_organization(name: str | None = None) -> Organization:
    organization = Organization(name=name or f"Organization {next(_numbers)}")
    db.session.add(organization)
    db.session.commit()
    return organization


def make_site(organization: Organization, code: str | None = None, name: str | None = None) -> Site:
    number = next(_numbers)
    site = Site(organization=organization, code=code or f"S{number}", name=name or f"Site {number}")
    db.session.add(site)
    db.session.commit()
    return site


def make_user(
    organization: Organization,
    role: str = "worker",
    sites: list[Site] = (),
    email: str | None = None,
    password: str = PASSWORD,
) -> User:
    user = User(email=email or f"user{next(_numbers)}@example.test", name="Test User")
    user.set_password(password)
    db.session.add(Membership(user=user, organization=organization, role=role, sites=list(sites)))
    db.session.commit()
    return user


def report_item(site_id: int, **overrides) -> dict:
    """A valid POST /api/sync report item, as the phone sends it."""
    item = {
        "id": str(uuid.uuid4()),
        "kind": "hazard",
        "site_id": site_id,
        "observed_at": "2026-11-20T09:30:00+01:00",
        "description": "Oil leak under press 4, floor slippery",
        "location": {"lat": 53.48, "lon": -2.24, "accuracy_m": 12.5},
        "severity": 3,
        "likelihood": 4,
        "photos": [],
    }
    item.update(overrides)
    return item


def make_photo_row(organization: Organization, sha256: str) -> Photo:
    """Record that an organization holds a photo (without storing any bytes)."""
    photo = Photo(
        organization_id=organization.id,
        sha256=sha256,
        content_type="image/jpeg",
        size_bytes=1,
        width=1,
        height=1,
    )
    db.session.add(photo)
    db.session.commit()
    return photo


def make_stored_report(
    site: Site,
    reporter: User | None = None,
    description: str = "Oil leak under press 4, floor slippery",
    kind: str = "hazard",
    observed_at: datetime | None = None,
    commit: bool = True,
) -> Report:
    """Insert a received report directly (no sync, no outbox): for tests that need many."""
    now = datetime.now(UTC)
    report = Report(
        id=uuid.uuid4(),
        organization_id=site.organization_id,
        site_id=site.id,
        reporter_id=reporter.id if reporter else None,
        kind=kind,
        description=description,
        observed_at=observed_at or now,
        received_at=now,
        changed_at=now,
        status="received",
        content_hash=uuid.uuid4().hex * 2,
    )
    db.session.add(report)
    if commit:
        db.session.commit()
    return report


def make_sla_policy(
    organization: Organization, p1: int = 24, p2: int = 72, p3: int = 168, p4: int = 720
) -> SlaPolicy:
    """An organization's own SLA: hours allowed per priority."""
    policy = SlaPolicy(
        organization_id=organization.id, p1_hours=p1, p2_hours=p2, p3_hours=p3, p4_hours=p4
    )
    db.session.add(policy)
    db.session.commit()
    return policy
