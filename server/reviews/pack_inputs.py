"""The inputs of the review in the pack, in the order of ISO 45001 clause 9.3: a) actions from
previous reviews, b) changes, c) objectives, d) performance (incidents, NCs and actions,
monitoring, audits, participation), e) resources, f) communication, g) improvement."""

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from server.audits.models import RESULT_LABELS, RESULTS
from server.nonconformities.models import ACTION_STATUS_LABELS, SOURCE_LABELS
from server.reports.models import KIND_LABELS, KINDS, RISK_BAND_LABELS
from server.reviews import charts
from server.reviews.pack_layout import (
    Pack,
    chart_block,
    comparison_table,
    day_name,
    figure,
    header_row,
    inputs,
    perf,
    row,
    section,
    table,
)

YES_NO = {True: "Yes", False: "No"}
CHANGE_WORDS = {"added": "Added to the register", "band_up": "Rated a higher band"}


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def previous_actions(pack: Pack) -> list[Flowable]:
    """a) Each action from the previous review with its owner, due day and whether on time."""
    actions = inputs(pack.view).get("previous_actions") or []
    title = "Actions from previous management reviews"
    clause = "ISO 45001 9.3 a): the status of actions from previous management reviews."
    if not actions:
        return section(pack, "a", title, clause, pack.p("The previous review left no actions."))
    on_time = sum(1 for a in actions if a.get("on_time") is True)
    late = sum(1 for a in actions if a.get("status") == "done" and a.get("on_time") is False)
    still_open = sum(1 for a in actions if a.get("status") == "open")
    summary = (
        f"{_plural(len(actions), 'action')}: {on_time} done on time, {late} done late, "
        f"{still_open} still open."
    )
    rows = [header_row(pack, ["Action", "Owner", "Due", "Status", "Done", "On time"])]
    for action in actions:
        status = action.get("status")
        rows.append(
            row(
                pack,
                action.get("title"),
                (action.get("owner") or {}).get("name") or "-",
                day_name(action.get("due_on")),
                ACTION_STATUS_LABELS.get(status, status or "-"),
                day_name(action.get("done_at")),
                YES_NO.get(action.get("on_time"), "-"),
            )
        )
    widths = [56 * mm, 34 * mm, 25 * mm, 17 * mm, 25 * mm, 17 * mm]
    return section(pack, "a", title, clause, pack.p(summary), Spacer(1, 4), table(rows, widths))


def changes(pack: Pack) -> list[Flowable]:
    """b) Register entries added or rated higher, and audit templates revised, in the period."""
    found = inputs(pack.view).get("changes") or {}
    templates = found.get("template_versions") or []
    revised = "; ".join(f"{t.get('name')} (version {t.get('version')})" for t in templates)
    summary = pack.p(
        f"Risk register: {found.get('risks_added') or 0} entries added, "
        f"{found.get('risks_raised') or 0} rated a higher band. "
        f"Audit templates revised: {revised or 'none'}."
    )
    body: list[Flowable] = [summary]
    entries = found.get("entries") or []
    if entries:
        rows = [header_row(pack, ["Entry", "Hazard or opportunity", "Change"])]
        for entry in entries:
            change = entry.get("change")
            rows.append(
                row(
                    pack,
                    entry.get("number") or "-",
                    entry.get("hazard"),
                    CHANGE_WORDS.get(change, change or "-"),
                )
            )
        body += [Spacer(1, 4), table(rows, [22 * mm, 110 * mm, 42 * mm])]
    clause = (
        "ISO 45001 9.3 b): changes in external and internal issues, needs and expectations, "
        "legal requirements, and risks and opportunities."
    )
    return section(pack, "b", "Changes in issues, risks and opportunities", clause, *body)


def _with_unit(value, unit: str) -> str:
    return "-" if value is None else f"{figure(value)} {unit}".strip()


def objectives(pack: Pack) -> list[Flowable]:
    """c) Each objective: its target, this period's value beside the previous one, met or not."""
    found = inputs(pack.view).get("objectives") or []
    title, clause = (
        "Objectives met",
        ("ISO 45001 9.3 c): the extent to which the policy and the objectives have been met."),
    )
    if not found:
        return section(pack, "c", title, clause, pack.p("No objectives are set for these sites."))
    met = sum(1 for o in found if o.get("met") is True)
    measured = sum(1 for o in found if o.get("met") is not None)
    summary = f"{met} of {_plural(measured, 'measured objective')} met."
    if measured < len(found):
        summary += f" {len(found) - measured} without figures for the period (n/a)."
    names = ["Objective", "Site", "Target", "This period", "Previous", "Met"]
    rows = [header_row(pack, names, numbers_from=3)]
    for objective in found:
        unit = objective.get("unit") or ""
        direction = "at most" if objective.get("direction") == "at_most" else "at least"
        cells = row(
            pack,
            objective.get("title"),
            (objective.get("site") or {}).get("name") or "All sites",
            f"{direction} {_with_unit(objective.get('target'), unit)}",
            numbers=(
                _with_unit(objective.get("value"), unit),
                _with_unit(objective.get("previous_value"), unit),
                YES_NO.get(objective.get("met"), "n/a"),
            ),
        )
        if objective.get("met") is False:  # an objective missed stands out
            cells[-1] = pack.p("No", "number_bold")
        rows.append(cells)
    widths = [52 * mm, 30 * mm, 30 * mm, 23 * mm, 23 * mm, 16 * mm]
    return section(pack, "c", title, clause, pack.p(summary), Spacer(1, 4), table(rows, widths))


# --- d) performance -----------------------------------------------------------------------


def _compared(block: dict, rows: list[tuple[str, str]], percent: tuple[str, ...] = ()) -> list:
    """(name, current, previous, is_percent) of each (name, key) of a current/previous block."""
    now, before = block.get("current") or {}, block.get("previous") or {}
    return [(name, now.get(key), before.get(key), key in percent) for name, key in rows]


def incidents_part(pack: Pack) -> list[Flowable]:
    """d 1) Incidents by kind and month, nonconformities and actions, with their rates."""
    p = perf(pack.view)
    incidents = p.get("incidents") or {}
    kinds = _compared(incidents, [(KIND_LABELS[kind], kind) for kind in KINDS])
    kinds += _compared(incidents, [("All reports", "total")])
    story = [
        pack.p("1. Incidents, nonconformities and corrective actions", "h2"),
        chart_block(pack, "incidents-by-month"),
        KeepTogether([pack.p("Reports by kind", "caption"), comparison_table(pack, kinds)]),
    ]
    if incidents.get("serious") is not None:
        story.append(pack.p(f"Serious incidents in the period: {incidents['serious']}.", "small"))
    ncs = nc_rows(p.get("nonconformities") or {})
    actions = action_rows(p.get("actions") or {})
    return [
        *story,
        KeepTogether([pack.p("Nonconformities", "caption"), comparison_table(pack, ncs)]),
        KeepTogether([pack.p("Corrective actions", "caption"), comparison_table(pack, actions)]),
        chart_block(pack, "rates"),
    ]


def nc_rows(ncs: dict) -> list[tuple]:
    """The NC figures, and those raised from each source either period had."""
    rows = _compared(
        ncs,
        [
            ("Raised", "raised"),
            ("of which major", "major"),
            ("of which minor", "minor"),
            ("Closed", "closed"),
            ("Open at the end of the period", "open_at_end"),
        ],
    )
    now = (ncs.get("current") or {}).get("by_source") or {}
    before = (ncs.get("previous") or {}).get("by_source") or {}
    for source in {**now, **before}:
        name = f"Raised from: {SOURCE_LABELS.get(source, source)}"
        rows.append((name, now.get(source, 0), before.get(source, 0), False))
    return rows


def action_rows(actions: dict) -> list[tuple]:
    """The action figures and the effectiveness checks, with their rates."""
    rows = _compared(
        actions,
        [
            ("Actions due in the period", "due"),
            ("Done by their due day", "done_on_time"),
            ("On-time rate", "on_time_rate"),
            ("Overdue at the end of the period", "overdue_at_end"),
        ],
        percent=("on_time_rate",),
    )
    return rows + _compared(
        actions.get("effective_first_time") or {},
        [
            ("NCs checked for effectiveness", "checked"),
            ("Effective at the first check", "effective_first"),
            ("Effective-first-time rate", "rate"),
        ],
        percent=("rate",),
    )


def monitoring_part(pack: Pack) -> list[Flowable]:
    """d 2) The register's residual risk on the matrix, by band, and the entries due for review."""
    monitoring = perf(pack.view).get("monitoring") or {}
    bands = monitoring.get("bands") or {}
    by_band = ", ".join(
        f"{RISK_BAND_LABELS[b]} {bands.get(b, 0)}" for b in reversed(RISK_BAND_LABELS)
    )
    due = figure(monitoring.get("review_due"))
    return [
        pack.p("2. Monitoring: risks and opportunities in the register", "h2"),
        pack.p(f"Register entries in scope by residual band: {by_band}. Due for review: {due}."),
        chart_block(pack, "heat-map"),
    ]


def audits_part(pack: Pack) -> list[Flowable]:
    """d 3) Audits submitted, planned and overdue, the average score, by site and by clause."""
    audits = perf(pack.view).get("audits") or {}
    rows = _compared(
        audits,
        [
            ("Audits submitted", "submitted"),
            ("Audits planned", "planned"),
            ("Overdue at the end of the period", "overdue"),
            ("Average score", "average_score"),
        ],
        percent=("average_score",),
    )
    story = [
        KeepTogether(
            [pack.p("3. Audit results", "h2"), comparison_table(pack, rows), Spacer(1, 4)]
        ),
        *chart_block(pack, "audit-scores", charts.audit_score_parts(pack.view, pack.face)),
    ]
    clauses = audits.get("by_clause") or []
    if clauses:
        # The results counted, in the order audit results are listed (as the desk shows them).
        results = [r for r in RESULTS if any(r in clause for clause in clauses)]
        names = ["Clause", *(RESULT_LABELS[r] for r in results)]
        body = [header_row(pack, names, numbers_from=1)]
        for clause in clauses:
            counts = [figure(clause.get(key) or 0) for key in results]
            body.append(row(pack, clause.get("clause") or "-", numbers=counts))
        findings = table(body, [50 * mm, *[114 * mm / max(len(results), 1)] * len(results)])
        story.append(KeepTogether([pack.p("Findings by clause", "caption"), findings]))
    return story


def participation_part(pack: Pack) -> list[Flowable]:
    """d 4) Worker participation: reports, reporters, reports per person, good practice."""
    rows = _compared(
        perf(pack.view).get("participation") or {},
        [
            ("Reports sent", "reports"),
            ("People who sent a report", "reporters"),
            ("Active people", "people"),
            ("Reports per person", "reports_per_person"),
            ("Good-practice reports", "good_practice"),
        ],
    )
    heading = pack.p("4. Consultation and participation of workers", "h2")
    return [KeepTogether([heading, comparison_table(pack, rows)])]


def performance_section(pack: Pack) -> list[Flowable]:
    """d) The key figures beside the previous period, then each part of the performance."""
    clause = (
        "ISO 45001 9.3 d): the OH&S performance and its trends: incidents, nonconformities, "
        "corrective actions and continual improvement; monitoring and measurement; audit "
        "results; consultation and participation of workers."
    )
    return [
        *section(pack, "d", "Performance", clause, chart_block(pack, "comparison")),
        *incidents_part(pack),
        *monitoring_part(pack),
        *audits_part(pack),
        *participation_part(pack),
    ]


# --- e) f) g) -----------------------------------------------------------------------------


def _counts(pack: Pack, head: str, rows: list[tuple[str, object]]) -> Flowable:
    body = [header_row(pack, [head, "Count"], numbers_from=1)]
    body += [row(pack, name, numbers=[figure(value)]) for name, value in rows]
    return table(body, [84 * mm, 30 * mm])


def resources(pack: Pack) -> list[Flowable]:
    """e) Competence records: valid, due (or, for a review held before the organization's due
    days were kept, expiring within 90 days), expired; and who may audit."""
    resources = inputs(pack.view).get("resources") or {}
    found = resources.get("competences") or {}
    due = (
        (f"Due: expiring within {found['due_days']} days", found.get("expiring_within_due_days"))
        if "due_days" in found
        else ("Expiring within 90 days", found.get("expiring_within_90_days"))
    )
    rows = [("Valid", found.get("valid")), due, ("Expired", found.get("expired"))]
    auditors = resources.get("internal_auditors")
    if auditors:
        rows += [
            ("People with a valid internal audit record", auditors.get("qualified")),
            ("People without one", auditors.get("not_qualified")),
        ]
    counts = _counts(pack, "Competence records", rows)
    clause = (
        "ISO 45001 9.3 e): the adequacy of resources for maintaining an effective "
        "management system."
    )
    return section(pack, "e", "Adequacy of resources", clause, counts)


def communications(pack: Pack) -> list[Flowable]:
    """f) Reminders sent and reports closed with a note back to the reporter."""
    found = inputs(pack.view).get("communications") or {}
    counts = _counts(
        pack,
        "In the period",
        [
            ("Reminders sent to action owners and officers", found.get("reminders_sent")),
            ("Reports closed with a note to the reporter", found.get("reports_closed_with_note")),
        ],
    )
    clause = "ISO 45001 9.3 f): relevant communication with interested parties."
    return section(pack, "f", "Communication with interested parties", clause, counts)


def improvement(pack: Pack) -> list[Flowable]:
    """g) The register's opportunities in scope."""
    found = inputs(pack.view).get("improvement_opportunities") or []
    title = "Opportunities for continual improvement"
    clause = "ISO 45001 9.3 g): opportunities for continual improvement."
    if not found:
        none = pack.p("No opportunities are recorded in the register for these sites.")
        return section(pack, "g", title, clause, none)
    rows = [header_row(pack, ["Entry", "Activity", "Opportunity", "Residual band"])]
    for entry in found:
        band = entry.get("residual_band")
        rows.append(
            row(
                pack,
                entry.get("number") or "-",
                entry.get("activity"),
                entry.get("hazard"),
                RISK_BAND_LABELS.get(band, band or "-"),
            )
        )
    return section(pack, "g", title, clause, table(rows, [20 * mm, 40 * mm, 88 * mm, 26 * mm]))


def inputs_story(pack: Pack) -> list[Flowable]:
    """Every input, a) to g)."""
    return [
        *previous_actions(pack),
        *changes(pack),
        *objectives(pack),
        *performance_section(pack),
        *resources(pack),
        *communications(pack),
        *improvement(pack),
    ]
