"""The management review pack as a PDF: what a plant manager presents to leadership.

`pack_pdf(view)` takes the whole GET /api/reviews/{id} body: a cover (organization, sites,
period, status, attendees), then the inputs in the order of ISO 45001 clause 9.3 (a to g), each
figure beside the previous period's, with the charts of server/reviews/charts.py, then the
outputs (decisions, actions with their owners and due days). Every page but the cover carries
the review's title; every page a footer with the period, when the pack was made and its page
number; a draft is marked DRAFT across every page and in the footer until the review is held.

Drawn with ReportLab's platypus, as the audit report is, in the typeface of typeface.py.
"""

import functools
import io
from datetime import UTC, datetime

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
)

from server.nonconformities.models import ACTION_STATUS_LABELS
from server.reviews import charts, pack_inputs
from server.reviews.pack_canvas import PackCanvas
from server.reviews.pack_layout import (
    MARGIN,
    TEXT_WIDTH,
    Pack,
    day_name,
    header_row,
    period_text,
    status_box,
    table,
)
from server.reviews.typeface import Typeface, pack_typeface

REPLACED_NOTE = (
    "Some characters of this review cannot be printed in this pack's font; they are shown "
    "without their accents or as a white square. Safeloop keeps the exact text."
)


def cover(pack: Pack, organization: str) -> list[Flowable]:
    """Organization, title, period, scope, status, attendees and what the pack holds."""
    view = pack.view
    comparison = view.get("comparison") or {}
    compared = "-"
    if comparison.get("period_start") and comparison.get("period_end"):
        compared = charts.period_name(comparison["period_start"], comparison["period_end"])
    sites = ", ".join(pack.face.text(name) for name in pack.sites.values()) or "Every site"
    previous = view.get("previous_review")
    previous_text = (
        f"{previous.get('title') or '-'}, held on {day_name(previous.get('held_on'))}"
        if previous
        else "None"
    )
    attendees = (view.get("outputs") or {}).get("attendees") or []
    particulars = [
        ("Period", period_text(view)),
        ("Compared with", compared),
        ("Sites", sites),
        ("Status", "Held" if view.get("status") == "held" else "Draft"),
        (
            "Held on",
            day_name(view.get("held_on")) if view.get("status") == "held" else "Not yet held",
        ),
        ("Attendees", "\n".join(attendees) or "Not yet recorded"),
        ("Previous review", previous_text),
        ("Review id", str(view.get("id") or "-")),
    ]
    rows = [
        [pack.p(name, "cell_bold"), pack.p(value, "cell", limit=2000)]
        for name, value in particulars
    ]
    return [
        pack.p(organization, "organization"),
        pack.p("Management review (ISO 45001, ISO 14001 and ISO 9001, clause 9.3)", "kicker"),
        pack.p(view.get("title") or "Management review", "title"),
        pack.p(period_text(view), "subtitle"),
        status_box(pack),
        Spacer(1, 12),
        table(rows, [38 * mm, TEXT_WIDTH - 38 * mm], header=False),
        Spacer(1, 16),
        pack.p("Contents", "h2"),
        *[pack.p(line, "body") for line in CONTENTS],
        PageBreak(),
    ]


CONTENTS = (
    "a) Actions from previous management reviews",
    "b) Changes in issues, risks and opportunities",
    "c) Objectives met",
    "d) Performance: incidents, nonconformities and actions, monitoring, audits, participation",
    "e) Adequacy of resources",
    "f) Communication with interested parties",
    "g) Opportunities for continual improvement",
    "Outputs: decisions and actions",
)


# --- outputs ------------------------------------------------------------------------------


def outputs(pack: Pack) -> list[Flowable]:
    """Attendees, decisions, notes and the actions with their owners and due days."""
    found = pack.view.get("outputs") or {}
    story = [
        CondPageBreak(60 * mm),
        pack.raw("Outputs of the review", "h1"),
        pack.raw(
            "ISO 45001 9.3: decisions on continual improvement, on any need for changes to the "
            "system, and actions needed when objectives have not been met.",
            "clause",
        ),
        pack.p("Attendees", "h2"),
        pack.p(", ".join(found.get("attendees") or []) or "Not yet recorded.", limit=4000),
        pack.p("Decisions", "h2"),
    ]
    decisions = found.get("decisions") or []
    for number, decision in enumerate(decisions, 1):
        story.append(
            Paragraph(
                pack.markup(decision.get("text"), 2000), pack.s["decision"], bulletText=f"{number}."
            )
        )
    if not decisions:
        story.append(pack.p("No decisions recorded yet."))
    if found.get("notes"):
        story += [pack.p("Notes", "h2"), pack.p(found["notes"], limit=4000)]
    return story + action_table(pack, found.get("actions") or [])


def action_table(pack: Pack, actions: list[dict]) -> list[Flowable]:
    heading = pack.p("Actions", "h2")
    if not actions:
        return [heading, pack.p("No actions recorded yet.")]
    rows = [header_row(pack, ["Action", "Owner", "Due", "Site", "Status"])]
    for action in actions:
        rows.append(
            [
                pack.p(action.get("title"), "cell"),
                pack.p((action.get("owner") or {}).get("name") or "-", "cell"),
                pack.p(day_name(action.get("due_on")), "cell"),
                pack.p(pack.sites.get(action.get("site_id")) or "-", "cell"),
                pack.p(
                    ACTION_STATUS_LABELS.get(action.get("status"), action.get("status") or "-"),
                    "cell",
                ),
            ]
        )
    return [heading, table(rows, [62 * mm, 36 * mm, 26 * mm, 32 * mm, 18 * mm])]


def closing(pack: Pack) -> list[Flowable]:
    """How the review stands, and a note when some characters could not be printed."""
    story = [Spacer(1, 10), status_box(pack)]
    if not pack.face.prints_as_written(pack.view):
        story.append(pack.p(REPLACED_NOTE, "small"))
    return story


# --- the document -------------------------------------------------------------------------


def pack_pdf(
    view: dict,
    organization_name: str | None = None,
    generated_at: datetime | None = None,
    face: Typeface | None = None,
) -> bytes:
    """The review pack of a review's view (the whole GET /api/reviews/{id} body).

    organization_name defaults to the view's `organization.name`; generated_at to now; face to
    the pack's typeface (DejaVu Sans where the machine has it, else Helvetica).
    """
    face = face or pack_typeface()
    pack = Pack(view, face)
    organization = organization_name or (view.get("organization") or {}).get("name") or ""
    story = [
        *cover(pack, organization),
        *pack_inputs.inputs_story(pack),
        *outputs(pack),
        *closing(pack),
    ]
    moment = (generated_at or datetime.now(UTC)).astimezone(UTC)
    held = view.get("status") == "held"
    title = view.get("title") or "Management review"
    # The period and when it was made first: a long title is what gets cut.
    footer = f"{period_text(view)} · made {moment:%Y-%m-%d %H:%M} UTC · {title}"
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN + 6 * mm,
        bottomMargin=22 * mm,
        title=face.text(view.get("title") or "Management review"),
        author=face.text(organization),
        subject=f"Management review {view.get('id')}",
        creator="Safeloop",
    )
    canvasmaker = functools.partial(
        PackCanvas,
        face=face,
        footer=face.text(footer),
        header=face.text(f"{organization} · {view.get('title') or ''}"),
        draft=not held,
    )
    document.build(story, canvasmaker=canvasmaker)
    return buffer.getvalue()
