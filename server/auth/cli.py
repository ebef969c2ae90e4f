"""`flask users create`."""

import click
from flask.cli import AppGroup

from server.auth import services
from server.auth.models import ROLES
from server.exceptions import DomainError

users_cli = AppGroup("users", help="Manage users.")


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", default=None, help="Display name (default: the email's local part).")
@click.option("--org", "organization", required=True, help="Organization name (made if new).")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--site", "sites", multiple=True, help="Limit to this site code (repeatable).")
def create(email, name, organization, role, password, sites):
    """Create a user with a role in an organization."""
    try:
        user = services.create_user(
            email, name or email.split("@")[0], password, organization, role, tuple(sites)
        )
    except DomainError as error:
        raise click.ClickException(f"{error} {error.errors or ''}") from error
    click.echo(f"Created {user.email} ({role} of {organization}).")
