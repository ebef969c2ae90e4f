"""`flask seed-demo`: an organization with two sites and one user per role."""

import click
from sqlalchemy import select

from server.auth.models import ROLES
from server.auth.services import create_user, find_user
from server.extensions import db
from server.orgs.models import Organization, Site

DEMO_ORGANIZATION = "Demo Plant"
DEMO_PASSWORD = "safeloop-demo"
# Name, code, position and time zone (both in England: Manchester and Liverpool).
DEMO_SITES = [
    ("North Works", "NORTH", 53.4808, -2.2426, "Europe/London"),
    ("Harbour Depot", "HARBOUR", 53.4084, -2.9916, "Europe/London"),
]


def demo_email(role: str) -> str:
    return f"{role}@demo.safeloop.test"


def seed_demo() -> bool:
    """Create the demo organization, sites and users; False when they already exist."""
    if db.session.scalar(select(Organization.id).where(Organization.name == DEMO_ORGANIZATION)):
        return False
    organization = Organization(name=DEMO_ORGANIZATION)
    db.session.add(organization)
    for name, code, lat, lon, zone in DEMO_SITES:
        db.session.add(
            Site(
                organization=organization,
                name=name,
                code=code,
                latitude=lat,
                longitude=lon,
                time_zone=zone,
            )
        )
    db.session.commit()
    for role in ROLES:
        if not find_user(demo_email(role)):
            create_user(
                demo_email(role), f"Demo {role.title()}", DEMO_PASSWORD, DEMO_ORGANIZATION, role
            )
    return True


@click.command("seed-demo")
def seed_demo_command():
    """Create demo data when missing, and print the demo sign-ins."""
    created = seed_demo()
    click.echo("Demo data created." if created else "Demo data already present.")
    click.echo(f"Demo sign-ins (password: {DEMO_PASSWORD}):")
    for role in ROLES:
        click.echo(f"  {role:<8} {demo_email(role)}")
