"""Officers teach the classifier: a category an officer gives a report becomes an example.

The organization's later reports alike in meaning are classified the same way, and the reasons
name the report the officer corrected.
"""

import numpy as np
from sqlalchemy import select

from server.dbtypes import utcnow
from server.extensions import db
from server.language import meaning
from server.reports.models import Report
from server.triage.examples import Examples
from server.triage.models import CategoryExample, Triage

# The newest examples an organization's reports are compared with.
MAX_OFFICER_EXAMPLES = 2000


def officer_examples(organization_id: int, report_pk: int) -> Examples | None:
    """The organization's examples from officers' corrections, newest first, but the report's
    own (its computed category stays what the reading gives); None if none."""
    rows = db.session.execute(
        select(CategoryExample.category, CategoryExample.text, CategoryExample.embedding)
        .where(
            CategoryExample.organization_id == organization_id,
            CategoryExample.report_pk != report_pk,
        )
        .order_by(CategoryExample.id.desc())
        .limit(MAX_OFFICER_EXAMPLES)
    ).all()
    if not rows:
        return None
    vectors = np.stack([meaning.from_bytes(row.embedding) for row in rows])
    return Examples(
        0, tuple(row.category for row in rows), tuple(row.text for row in rows), vectors
    )


def learn_category(report: Report, triage: Triage, category: str, actor_id: int) -> None:
    """Keep the report as an example of the category the officer gave it (one per report)."""
    vector = triage.embedding or meaning.to_bytes(meaning.embed([report.description])[0])
    example = db.session.scalar(
        select(CategoryExample).where(CategoryExample.report_pk == report.pk)
    )
    if example is None:
        example = CategoryExample(organization_id=report.organization_id, report_pk=report.pk)
        db.session.add(example)
    example.category, example.text, example.embedding = category, report.description, vector
    example.created_by_id, example.created_at = actor_id, utcnow()
