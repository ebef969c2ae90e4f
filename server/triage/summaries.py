"""Triage as other views show it: a summary with reasons on reports, a compact one in the feed."""

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from server.extensions import db
from server.language.lexicon import language_name
from server.triage.models import Triage
from server.triage.rules import CATEGORY_LABELS

COMPACT_FIELDS = ("priority", "category", "risk_band", "due_at")
# The reason about possible duplicates: told only over the duplicates the reader may open.
DUPLICATES = "duplicates"


def without_duplicates(reasons: dict) -> dict:
    """The reasons without the one about duplicates (it depends on who reads it)."""
    return {name: why for name, why in reasons.items() if name != DUPLICATES}


def summary(triage: Triage) -> dict:
    """The effective triage with its reasons, and which fields an officer overrode.

    It is shown to anyone who may see the report, so it leaves out the reason about possible
    duplicates: those may be reports the reader cannot open.
    """
    assignee = triage.assignee
    return {
        **{
            name: getattr(triage, name)
            for name in (
                "priority",
                "category",
                "severity",
                "likelihood",
                "risk_score",
                "risk_band",
                "due_at",
                "reportable",
                "triaged_at",
                "category_confidence",
                "check_category",
                "language",
                "classifier_version",
            )
        },
        "language_label": language_name(triage.language),
        "category_label": CATEGORY_LABELS.get(triage.category, triage.category),
        "assignee": {"id": assignee.id, "name": assignee.name} if assignee else None,
        "reasons": without_duplicates(triage.reasons),
        "overridden": [override.field for override in triage.overrides],
    }


def summaries(report_pks: list[int]) -> dict[int, dict]:
    """summary() of each triaged report among report_pks, in one query."""
    if not report_pks:
        return {}
    triages = db.session.scalars(
        select(Triage)
        .where(Triage.report_pk.in_(report_pks), Triage.triaged_at.is_not(None))
        .options(joinedload(Triage.assignee), joinedload(Triage.overrides))
    ).unique()
    return {triage.report_pk: summary(triage) for triage in triages}


def compact_summaries(report_pks: list[int]) -> dict[int, dict]:
    """Priority, category, risk band and due date of each triaged report, in one query."""
    if not report_pks:
        return {}
    columns = [getattr(Triage, name) for name in COMPACT_FIELDS]
    rows = db.session.execute(
        select(Triage.report_pk, *columns).where(
            Triage.report_pk.in_(report_pks), Triage.triaged_at.is_not(None)
        )
    ).all()
    return {row[0]: dict(zip(COMPACT_FIELDS, row[1:], strict=True)) for row in rows}
