"""User, Membership and UserSession."""

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import CheckConstraint, Column, ForeignKey, String, Table, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates
from werkzeug.security import check_password_hash, generate_password_hash

from server.dbtypes import UTCDateTime, utcnow
from server.extensions import db

ROLES = ("worker", "auditor", "officer", "admin")
ROLE_LABELS = {"worker": "Worker", "auditor": "Auditor", "officer": "EHS officer", "admin": "Admin"}

membership_site = Table(
    "membership_site",
    db.metadata,
    Column("membership_id", ForeignKey("membership.id", ondelete="CASCADE"), primary_key=True),
    Column("site_id", ForeignKey("site.id", ondelete="CASCADE"), primary_key=True),
)


class User(UserMixin, db.Model):
    """A person who signs in."""

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    last_sign_in_at = mapped_column(UTCDateTime, nullable=True)

    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="user", order_by="Membership.id"
    )

    @validates("email")
    def _normalize_email(self, _key: str, email: str) -> str:
        """Emails are kept lower-case, so uniqueness and sign-in ignore case."""
        return email.strip().lower()

    @property
    def is_active(self) -> bool:
        return self.active

    def set_password(self, password: str) -> None:
        """Store a hash of the password (scrypt, as PASSWORD_HASH_METHOD says)."""
        method = current_app.config["PASSWORD_HASH_METHOD"]
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        """True when the password matches the stored hash."""
        return check_password_hash(self.password_hash, password)


class Membership(db.Model):
    """A user's role in one organization, optionally limited to some of its sites."""

    __table_args__ = (
        UniqueConstraint("user_id", "organization_id"),
        CheckConstraint("role IN ('worker', 'auditor', 'officer', 'admin')", name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    # An admin's deactivation ends a person's membership of this organization, not of others.
    active: Mapped[bool] = mapped_column(default=True, server_default=true())

    user: Mapped[User] = relationship(back_populates="memberships")
    organization = relationship("Organization")
    # Empty means every site of the organization.
    sites = relationship("Site", secondary=membership_site, order_by="Site.name")


class UserSession(db.Model):
    """One sign-in: its cookie carries a random token, the server keeps only the token's hash."""

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    # Moved forward at most once a minute, with expires_at: sessions end after idle time.
    last_seen_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    expires_at = mapped_column(UTCDateTime, nullable=False)
    revoked_at = mapped_column(UTCDateTime, nullable=True)

    user: Mapped[User] = relationship()


INVITATION, PASSWORD_RESET = "invitation", "password_reset"
TOKEN_PURPOSES = (INVITATION, PASSWORD_RESET)


class AccountToken(db.Model):
    """A single-use, expiring link sent to a person: an invitation to set a first password, or
    a password reset. The link carries a random token; the server keeps only its SHA-256."""

    __table_args__ = (
        CheckConstraint("purpose IN ('invitation', 'password_reset')", name="purpose"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    # The organization that invited the person, or whose admin sent the reset; None: asked for
    # by the person themselves.
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    expires_at = mapped_column(UTCDateTime, nullable=False)
    used_at = mapped_column(UTCDateTime, nullable=True)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
