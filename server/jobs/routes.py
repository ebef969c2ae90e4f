"""/api/jobs: failed background jobs, and running them again."""

from flask_smorest import Blueprint

from server.auth.access import current_actor, role_required
from server.jobs import services
from server.jobs.schemas import FailedJobOut, RetriedJobOut

blp = Blueprint("jobs", __name__, url_prefix="/api/jobs", description="Background jobs")


@blp.get("/failed")
@role_required("officer", "admin")
@blp.response(200, FailedJobOut(many=True))
def failed():
    """Jobs about my organization's reports that failed after all their retries."""
    return services.failed_jobs(current_actor())


@blp.post("/<job_id>/retry")
@role_required("officer", "admin")
@blp.response(202, RetriedJobOut)
def retry(job_id: str):
    """Run a failed job again."""
    return services.retry_failed_job(current_actor(), job_id)
