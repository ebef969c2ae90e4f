"""`flask events verify`: walk each organization's event chain and name the first broken event."""

import click
from flask.cli import AppGroup

from server.events.chain import canonical_time
from server.events.verify import Verification, organization_ids, save, verify_chain

events_cli = AppGroup("events", help="The event log.")


@events_cli.command("verify")
@click.option("--organization", "organization_id", type=int, help="Only this organization (id).")
def verify(organization_id: int | None) -> None:
    """Check that no event was altered, inserted or removed; exit 1 at a broken chain."""
    ids = organization_ids(organization_id)
    if organization_id is not None and not ids:
        raise click.ClickException(f"No organization with id {organization_id}.")
    broken = 0
    for each in ids:
        verification = verify_chain(each)
        save(verification)
        click.echo(describe(verification))
        broken += verification.broken is not None
    if broken:
        click.echo(f"{broken} of {len(ids)} event log(s) broken.", err=True)
        raise click.exceptions.Exit(1)


def describe(verification: Verification) -> str:
    """One line per organization: how far its chain holds, and where it breaks."""
    where = f"Organization {verification.organization_id}:"
    held = f"{verification.events:,} event(s) verified"
    if verification.verified_up_to is not None:
        held += f", up to {canonical_time(verification.verified_up_to)}"
    broken = verification.broken
    if broken is None:
        return f"{where} {held}; chain intact."
    event = f"event {broken.event_id}" if broken.event_id is not None else "no event"
    return f"{where} BROKEN at seq {broken.seq} ({event}): {broken.problem}. Before it: {held}."
