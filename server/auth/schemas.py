"""Sign-in input and the 'me' output."""

import marshmallow as ma

from server.orgs.schemas import SiteOut


class LoginIn(ma.Schema):
    email = ma.fields.Email(required=True)
    password = ma.fields.String(
        required=True, validate=ma.validate.Length(min=1, max=1024), load_only=True
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
