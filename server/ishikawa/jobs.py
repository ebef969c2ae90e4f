"""The analysis job: rq runs build_analysis inside an app context (see server/worker.py)."""

from server.extensions import db
from server.ishikawa import services


def build_analysis(report_pk: int) -> dict | None:
    """Build or refresh the Ishikawa analysis of a report; safe to run any number of times."""
    try:
        analysis = services.build(report_pk)
    except Exception:
        db.session.rollback()
        services.mark_failed(report_pk)
        raise
    if analysis is None:
        return None
    return {"report_pk": report_pk, "version": analysis.version, "causes": len(analysis.causes)}
