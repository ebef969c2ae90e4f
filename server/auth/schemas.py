"""Sign-in, account links and people: input and output."""

import marshmallow as ma

from server.auth.directory import MAX_PER_PAGE, STATUSES
from server.auth.models import ROLES
from server.auth.passwords import MAX_LENGTH
from server.auth.tokens import MAX_TOKEN_LENGTH
from server.orgs.schemas import OrganizationOut, SiteOut
from server.validation import Id, QueryId, QueryInteger, Text


def _password(**kwargs) -> Text:
    """A password field: text both databases could store, read but never written out."""
    return Text(
        required=True, validate=ma.validate.Length(min=1, max=MAX_LENGTH), load_only=True, **kwargs
    )


class LoginIn(ma.Schema):
    email = Text(required=True, validate=ma.validate.Email(), metadata={"format": "email"})
    password = _password()


class PasswordChangeIn(ma.Schema):
    current_password = _password()
    new_password = _password(
        metadata={"description": "At least 10 characters, and not a commonly used password"}
    )


class UserOut(ma.Schema):
    id = ma.fields.Integer()
    email = ma.fields.String()
    name = ma.fields.String()


class MeOut(ma.Schema):
    user = ma.fields.Nested(UserOut)
    organization = ma.fields.Nested(OrganizationOut)
    role = ma.fields.String()
    sites = ma.fields.List(
        ma.fields.Nested(SiteOut), metadata={"description": "The sites this user may work on"}
    )


def _email(**kwargs) -> Text:
    return Text(
        validate=[ma.validate.Length(max=254), ma.validate.Email()],
        metadata={"format": "email"},
        **kwargs,
    )


def _role(**kwargs) -> ma.fields.String:
    return ma.fields.String(validate=ma.validate.OneOf(ROLES), **kwargs)


def _site_ids(**kwargs) -> ma.fields.List:
    return ma.fields.List(
        Id(),
        allow_none=True,
        validate=ma.validate.Length(max=1000),
        metadata={"description": "The sites the person works on; null or []: every site"},
        **kwargs,
    )


def _person_name(**kwargs) -> Text:
    return Text(validate=ma.validate.Length(min=1, max=200), **kwargs)


class MemberOut(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    email = ma.fields.String()
    role = ma.fields.String()
    site_ids = ma.fields.List(
        ma.fields.Integer(), allow_none=True, metadata={"description": "null: every site"}
    )
    status = ma.fields.String(
        metadata={"description": "active, invited (has not set a password yet) or deactivated"}
    )
    last_sign_in_at = ma.fields.AwareDateTime(allow_none=True)
    created_at = ma.fields.AwareDateTime()


class InvitedOut(MemberOut):
    invitation_url = ma.fields.String(
        metadata={"description": "The link to give the person when no mail went out"}
    )
    mail_sent = ma.fields.Boolean()
    existing_account = ma.fields.Boolean(
        metadata={"description": "True: the person signs in with the password they already have"}
    )


class PeopleIn(ma.Schema):
    q = Text(validate=ma.validate.Length(max=200), metadata={"description": "Name or email"})
    role = _role()
    status = ma.fields.String(
        validate=ma.validate.OneOf((*STATUSES, "all")),
        metadata={"description": "Default: active (the people who can be assigned work)"},
    )
    site_id = QueryId(metadata={"description": "People who may work on this site"})
    page = QueryInteger(
        validate=ma.validate.Range(min=1, max=10**6),
        metadata={"description": "Without it: every match, not paged"},
    )
    per_page = QueryInteger(load_default=50, validate=ma.validate.Range(min=1, max=MAX_PER_PAGE))


class InviteIn(ma.Schema):
    email = _email(required=True)
    name = _person_name(required=True)
    role = _role(required=True)
    site_ids = _site_ids(load_default=None)


class MemberChangeIn(ma.Schema):
    name = _person_name()
    role = _role()
    site_ids = _site_ids()
    # JSON true or false only: "no" or 0 is not taken for false.
    active = ma.fields.Boolean(
        truthy={True},
        falsy={False},
        metadata={"description": "false: end the membership here (their sessions end at once)"},
    )


class ResetLinkOut(ma.Schema):
    reset_url = ma.fields.String()
    mail_sent = ma.fields.Boolean()


def _token(**kwargs) -> Text:
    return Text(required=True, validate=ma.validate.Length(min=1, max=MAX_TOKEN_LENGTH), **kwargs)


class TokenIn(ma.Schema):
    token = _token()


class TokenPasswordIn(ma.Schema):
    token = _token()
    password = _password(
        metadata={
            "description": "The new password (at least 10 characters, not a common one); for "
            "a person who already has an account, the password they sign in with"
        }
    )


class InvitationOut(ma.Schema):
    email = ma.fields.String()
    name = ma.fields.String()
    organization = ma.fields.String()
    expires_at = ma.fields.AwareDateTime()
    existing_account = ma.fields.Boolean(
        metadata={"description": "True: sign in with your password instead of choosing one"}
    )


class ResetRequestIn(ma.Schema):
    email = _email(required=True)


class ResetRequestOut(ma.Schema):
    mail = ma.fields.Boolean(
        metadata={"description": "false: this server sends no mail; ask your admin for a link"}
    )
    detail = ma.fields.String()
