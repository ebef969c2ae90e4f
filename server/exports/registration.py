"""What exports hand the ground: the job that builds a large evidence bundle, and the sweep
that deletes bundles past their day."""

from server.exports import models  # noqa: F401  (the bundle table)
from server.exports.services import BUILD_BUNDLE, expire_bundles
from server.jobs.registry import JobKind, register_job, register_sweep_task


def register() -> None:
    """Make the bundle job and its sweep known; the app factory calls this once per app."""
    register_job(JobKind(BUILD_BUNDLE, "server.exports.jobs.build_bundle"))
    register_sweep_task("expire_bundles", expire_bundles)
