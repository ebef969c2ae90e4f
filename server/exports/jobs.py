"""The bundle job: rq runs build_bundle inside an app context (see server/worker.py)."""

from server.exports import services


def build_bundle(bundle_pk: int) -> dict | None:
    """Build an evidence bundle into storage; safe to run any number of times."""
    return services.build(bundle_pk)
