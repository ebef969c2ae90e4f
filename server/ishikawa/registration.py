"""What the Ishikawa feature hands the ground: the job that builds an analysis."""

from server.ishikawa.services import BUILD_ANALYSIS
from server.jobs.registry import JobKind, register_job


def register() -> None:
    """Make the analysis job known to the relay; the app factory calls this once per app."""
    register_job(
        JobKind(BUILD_ANALYSIS, "server.ishikawa.jobs.build_analysis", "report", "report_pk")
    )
