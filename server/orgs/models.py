"""Organization and Site."""

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, synonym

from server.dbtypes import UTCDateTime, utcnow
from server.extensions import db
from server.orgs.zones import DEFAULT_ZONE, MAX_ZONE_NAME

TRAINING_DUE_DAYS = 60
DOCUMENT_REVIEW_MONTHS = 12


class Organization(db.Model):
    """A company or body running one management system."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    # The organization's settings: a new site's time zone, how far ahead the training matrix
    # marks a record as due, and how long an approved document stays current before its review.
    time_zone: Mapped[str] = mapped_column(
        String(MAX_ZONE_NAME), default=DEFAULT_ZONE, server_default=DEFAULT_ZONE
    )
    training_due_days: Mapped[int] = mapped_column(
        default=TRAINING_DUE_DAYS, server_default=str(TRAINING_DUE_DAYS)
    )
    document_review_months: Mapped[int] = mapped_column(
        default=DOCUMENT_REVIEW_MONTHS, server_default=str(DOCUMENT_REVIEW_MONTHS)
    )
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    sites: Mapped[list["Site"]] = relationship(back_populates="organization", order_by="Site.name")


class Site(db.Model):
    """A place where work happens and reports come from."""

    __table_args__ = (UniqueConstraint("organization_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    code: Mapped[str] = mapped_column(String(32))
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    # An IANA name ("Europe/Berlin"): the site's days and weeks begin at midnight there.
    time_zone: Mapped[str] = mapped_column(
        String(MAX_ZONE_NAME), default=DEFAULT_ZONE, server_default=DEFAULT_ZONE
    )
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    organization: Mapped[Organization] = relationship(back_populates="sites")
    # Lets access control limit sites by the same column name as every site-bound record.
    site_id = synonym("id")
