"""Sign-in and password input, and the 'me' output."""

import marshmallow as ma

from server.auth.passwords import MAX_LENGTH
from server.orgs.schemas import SiteOut
from server.validation import Text


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


class OrganizationOut(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()


class MeOut(ma.Schema):
    user = ma.fields.Nested(UserOut)
    organization = ma.fields.Nested(OrganizationOut)
    role = ma.fields.String()
    sites = ma.fields.List(
        ma.fields.Nested(SiteOut), metadata={"description": "The sites this user may work on"}
    )


class MemberOut(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    email = ma.fields.String()
    role = ma.fields.String()
    site_ids = ma.fields.List(
        ma.fields.Integer(), allow_none=True, metadata={"description": "null: every site"}
    )


class MembersIn(ma.Schema):
    role = ma.fields.String(validate=ma.validate.OneOf(("worker", "auditor", "officer", "admin")))
