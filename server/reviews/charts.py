"""The management review's charts as ReportLab drawings, from a review's view (GET
/api/reviews/{id}): the pack prints them and the desk shows the very same drawings as SVG.

Each chart has a name (its URL: /api/reviews/{id}/charts/{name}.svg), a title, and a builder
taking the view and a Typeface. Colours: each report kind its own (Okabe and Ito's palette, told
apart without colour vision), this period dark and the previous one light grey, and the heat
map's bands as the desk's (pwa/css/app.css .band-*). Every bar carries its figure in words.
"""

import io
import math
from collections.abc import Callable
from datetime import date

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.renderSVG import SVGCanvas
from reportlab.graphics.renderSVG import draw as draw_svg
from reportlab.graphics.shapes import Drawing, Group, Line, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from server.reports.models import (
    KIND_LABELS,
    LIKELIHOOD_LABELS,
    RISK_BAND_LABELS,
    SEVERITY_LABELS,
    risk_band,
)
from server.reviews.typeface import BROWSER, HELVETICA, Typeface

WIDTH = 480  # points: the text width of an A4 page with 18 mm margins is 493
INK = colors.HexColor("#111111")
MUTED = colors.HexColor("#555555")
GRID = colors.HexColor("#c8c8c8")
CURRENT = colors.HexColor("#1f4e79")
PREVIOUS = colors.HexColor("#b4bcc4")
TARGET = colors.HexColor("#b00020")
KIND_COLOURS = {
    "injury": colors.HexColor("#d55e00"),
    "near_miss": colors.HexColor("#e69f00"),
    "environmental_incident": colors.HexColor("#009e73"),
    "hazard": colors.HexColor("#0072b2"),
    "audit_evidence": colors.HexColor("#999999"),
    "good_practice": colors.HexColor("#56b4e9"),
}
BAND_COLOURS = {
    "low": colors.HexColor("#bfe6c9"),
    "medium": colors.HexColor("#ffe98a"),
    "high": colors.HexColor("#ffbf80"),
    "critical": colors.HexColor("#ff9aa8"),
}
# The kinds of report that are incidents (ISO 45001 3.35), stacked in the monthly chart.
INCIDENT_KINDS = ("injury", "near_miss", "environmental_incident")
# Sites in one drawing of the audit scores in the pack: a taller one would not fit a page.
SITES_PER_PART = 18
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


# --- figures ------------------------------------------------------------------------------


def performance(view: dict) -> dict:
    """The view's inputs.performance, {} when absent."""
    return ((view.get("inputs") or {}).get("performance")) or {}


def month_name(month: str) -> str:
    """'2026-07' as 'Jul 2026'."""
    year, number = str(month).split("-")[:2]
    return f"{MONTHS[int(number) - 1]} {year}"


def period_name(start, end) -> str:
    """'1 Jul – 30 Sep 2026' (the year once when both days share it)."""
    first, last = date.fromisoformat(str(start)), date.fromisoformat(str(end))
    head = f"{first.day} {MONTHS[first.month - 1]}"
    if first.year != last.year:
        head += f" {first.year}"
    return f"{head} – {last.day} {MONTHS[last.month - 1]} {last.year}"


def rate_text(rate) -> str:
    """'80 %', '87.5 %' or 'n/a' when there was nothing to count."""
    if rate is None:
        return "n/a"
    return f"{rate:.1f} %".replace(".0 %", " %")


def _ceiling(value: float) -> tuple[float, float]:
    """A round top for an axis holding value, and its step (whole numbers, 4 to 6 steps)."""
    if value <= 5:
        return 5, 1
    raw = value / 5
    power = 10 ** math.floor(math.log10(raw))
    step = next(s * power for s in (1, 2, 2.5, 5, 10) if s * power >= raw)
    step = max(1, round(step))
    return step * math.ceil(value / step), step


# --- drawing helpers ----------------------------------------------------------------------


def _text(x, y, value, face: Typeface, size=9, bold=False, anchor="start", colour=INK) -> String:
    return String(
        x,
        y,
        face.text(value),
        fontName=face.bold if bold else face.regular,
        fontSize=size,
        fillColor=colour,
        textAnchor=anchor,
    )


def _fit(value: str, face: Typeface, size: float, width: float) -> str:
    """Text cut with '...' to fit width points."""
    text = face.text(value)
    if stringWidth(text, face.regular, size) <= width:
        return text
    while text and stringWidth(text + "...", face.regular, size) > width:
        text = text[:-1]
    return text.rstrip() + "..."


def _legend(items: list[tuple[colors.Color, str]], face: Typeface, x: float, y: float) -> Group:
    """Swatches and their names in one row from (x, y), wrapping to the next row at WIDTH."""
    group, left = Group(), x
    for colour, name in items:
        width = 16 + stringWidth(face.text(name), face.regular, 9) + 14
        if left + width > WIDTH and left > x:
            left, y = x, y - 15
        group.add(Rect(left, y - 1, 10, 10, fillColor=colour, strokeColor=INK, strokeWidth=0.5))
        group.add(_text(left + 14, y, name, face))
        left += width
    return group


def _axis_title(x, y, value, face: Typeface, vertical=False) -> Group | String:
    text = _text(0 if vertical else x, 0 if vertical else y, value, face, size=8.5, colour=MUTED)
    if not vertical:
        return text
    group = Group(text)
    group.transform = (0, 1, -1, 0, x, y)  # turned a quarter to read upwards
    text.textAnchor = "middle"
    return group


def _note(drawing: Drawing, text: str, face: Typeface, y: float) -> None:
    drawing.add(_text(WIDTH / 2, y, text, face, size=10, anchor="middle", colour=MUTED))


def _style_value_axis(axis, top: float, step: float, face: Typeface, percent=False) -> None:
    axis.valueMin, axis.valueMax, axis.valueStep = 0, top, step
    axis.labels.fontName, axis.labels.fontSize = face.regular, 8.5
    axis.labelTextFormat = "%d %%" if percent else "%d"
    axis.visibleGrid, axis.gridStrokeColor, axis.gridStrokeWidth = True, GRID, 0.5
    axis.strokeColor = MUTED


def _style_category_axis(axis, names: list[str], face: Typeface) -> None:
    axis.categoryNames = names
    axis.labels.fontName, axis.labels.fontSize = face.regular, 8.5
    axis.strokeColor = MUTED


# --- the charts ---------------------------------------------------------------------------


def incidents_by_month(view: dict, face: Typeface) -> Drawing:
    """Incidents of the period month by month (injuries, near misses and environmental
    incidents), stacked by kind."""
    months = (performance(view).get("incidents") or {}).get("by_month") or []
    kinds = [kind for kind in INCIDENT_KINDS if any(kind in month for month in months)]
    drawing = Drawing(WIDTH, 225)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width = 48, 58 if len(months) > 12 else 24, 420
    chart.height = 180 - chart.y
    totals = [sum(month.get(kind) or 0 for kind in kinds) for month in months] or [0]
    top, step = _ceiling(max(totals))
    chart.data = [[month.get(kind) or 0 for month in months] or [0] for kind in kinds] or [[0]]
    chart.categoryAxis.style = "stacked"
    _style_category_axis(chart.categoryAxis, [month_name(m["month"]) for m in months], face)
    if len(months) > 12:
        chart.categoryAxis.labels.angle, chart.categoryAxis.labels.boxAnchor = 45, "ne"
    _style_value_axis(chart.valueAxis, top, step, face)
    chart.barWidth, chart.groupSpacing = 10, 8
    for number, kind in enumerate(kinds):
        chart.bars[number].fillColor = KIND_COLOURS.get(kind, MUTED)
        chart.bars[number].strokeColor, chart.bars[number].strokeWidth = INK, 0.4
    drawing.add(chart)
    drawing.add(
        _axis_title(14, chart.y + chart.height / 2, "Incidents reported", face, vertical=True)
    )
    for number, total in enumerate(totals if months else []):
        x = chart.x + chart.width * (number + 0.5) / len(months)
        y = chart.y + chart.height * total / top + 3
        drawing.add(_text(x, y, str(total), face, size=8.5, bold=True, anchor="middle"))
    if not any(totals):
        _note(
            drawing, "No incidents were reported in the period.", face, chart.y + chart.height / 2
        )
    items = [(KIND_COLOURS.get(kind, MUTED), KIND_LABELS.get(kind, kind)) for kind in kinds]
    drawing.add(_legend(items, face, 48, 210))
    return drawing


def _previous_and_current(view: dict) -> list[tuple[colors.Color, str]]:
    comparison = view.get("comparison") or {}
    previous = "Previous period"
    if comparison.get("period_start") and comparison.get("period_end"):
        previous += f" ({period_name(comparison['period_start'], comparison['period_end'])})"
    current = "This period"
    if view.get("period_start") and view.get("period_end"):
        current += f" ({period_name(view['period_start'], view['period_end'])})"
    return [(PREVIOUS, previous), (CURRENT, current)]


def key_figures(view: dict) -> list[tuple[str, int, int]]:
    """(name, previous, current) of the figures compared period to period."""
    p = performance(view)
    incidents, ncs = p.get("incidents") or {}, p.get("nonconformities") or {}
    actions, audits = p.get("actions") or {}, p.get("audits") or {}
    participation = p.get("participation") or {}
    rows = [
        ("Injuries", incidents, "injury"),
        ("Near misses", incidents, "near_miss"),
        ("Environmental incidents", incidents, "environmental_incident"),
        ("Hazards reported", incidents, "hazard"),
        ("Good-practice reports", incidents, "good_practice"),
        ("Reports in all", participation, "reports"),
        ("NCs raised", ncs, "raised"),
        ("NCs open at the end", ncs, "open_at_end"),
        ("Actions overdue at the end", actions, "overdue_at_end"),
        ("Audits submitted", audits, "submitted"),
    ]
    return [
        (
            name,
            (block.get("previous") or {}).get(key) or 0,
            (block.get("current") or {}).get(key) or 0,
        )
        for name, block, key in rows
    ]


def comparison(view: dict, face: Typeface) -> Drawing:
    """The key counts of this period beside the previous one, as paired bars."""
    figures = list(reversed(key_figures(view)))  # a horizontal chart draws bottom up
    row = 26
    height = 58 + row * len(figures)
    drawing = Drawing(WIDTH, height)
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = 150, 30, 290, row * len(figures)
    chart.data = [[f[1] for f in figures], [f[2] for f in figures]]
    top, step = _ceiling(max(max(f[1], f[2]) for f in figures))
    _style_category_axis(chart.categoryAxis, [f[0] for f in figures], face)
    chart.categoryAxis.labels.dx = -4
    _style_value_axis(chart.valueAxis, top, step, face)
    chart.barWidth, chart.groupSpacing, chart.barSpacing = 8, 8, 1
    for number, colour in enumerate((PREVIOUS, CURRENT)):
        chart.bars[number].fillColor = colour
        chart.bars[number].strokeColor, chart.bars[number].strokeWidth = INK, 0.4
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName, chart.barLabels.fontSize = face.regular, 8
    chart.barLabels.boxAnchor, chart.barLabels.dx = "w", 3
    drawing.add(chart)
    drawing.add(
        _text(
            chart.x + chart.width / 2,
            2,
            "Count in the period",
            face,
            size=8.5,
            anchor="middle",
            colour=MUTED,
        )
    )
    # This period's bar is the upper of each pair: its name comes first.
    drawing.add(_legend(list(reversed(_previous_and_current(view))), face, 0, height - 14))
    return drawing


def rates(view: dict, face: Typeface) -> Drawing:
    """NC actions done on time and NCs effective at their first check, in percent, each period
    beside the previous one, with the objective's target where one is set."""
    actions = performance(view).get("actions") or {}
    effective = actions.get("effective_first_time") or {}
    groups = [
        ("Actions done on time", "actions_on_time", actions, "on_time_rate", "done_on_time", "due"),
        (
            "NCs effective at the first check",
            "effective_first_time",
            effective,
            "rate",
            "effective_first",
            "checked",
        ),
    ]
    drawing = Drawing(WIDTH, 240)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 48, 24, 420, 170
    values = [
        [(block.get(period) or {}).get(rate_key) for _n, _m, block, rate_key, *_ in groups]
        for period in ("previous", "current")
    ]
    chart.data = [[value or 0 for value in series] for series in values]
    _style_category_axis(chart.categoryAxis, [g[0] for g in groups], face)
    _style_value_axis(chart.valueAxis, 100, 20, face, percent=True)
    # Bars and their gap of a fixed width, centred in each category.
    chart.barWidth, chart.barSpacing, chart.useAbsolute = 56, 8, "bs"
    for number, colour in enumerate((PREVIOUS, CURRENT)):
        chart.bars[number].fillColor = colour
        chart.bars[number].strokeColor, chart.bars[number].strokeWidth = INK, 0.4
    group_width = chart.width / len(groups)
    targets = _targets(view)
    for column, group in enumerate(groups):
        if group[1] in targets:  # drawn first: the bars cover it, their labels stay clear
            _target_line(
                drawing, chart, chart.x + group_width * (column + 0.5), targets[group[1]], face
            )
    drawing.add(chart)
    drawing.add(_axis_title(14, chart.y + chart.height / 2, "Percent", face, vertical=True))
    for column, (_name, _measure, block, rate_key, done_key, of_key) in enumerate(groups):
        middle = chart.x + group_width * (column + 0.5)
        for series, period in enumerate(("previous", "current")):
            counts = block.get(period) or {}
            x = middle + (series - 0.5) * (chart.barWidth + chart.barSpacing)
            count_text = f"{counts.get(done_key) or 0} of {counts.get(of_key) or 0}"
            _bar_label(drawing, chart, x, counts.get(rate_key), count_text, series == 1, face)
    drawing.add(_legend(_previous_and_current(view), face, 48, 226))
    return drawing


def _targets(view: dict) -> dict[str, float]:
    """The target of each whole-organization objective, by measure."""
    found = {}
    for objective in (view.get("inputs") or {}).get("objectives") or []:
        if objective.get("site") is None and objective.get("target") is not None:
            found.setdefault(objective.get("measure"), float(objective["target"]))
    return found


def _bar_label(drawing, chart, x, value, count_text, dark: bool, face) -> None:
    """A rate and its counts at the top of its bar: inside a bar tall enough, else above it."""
    top = chart.y + chart.height * (value or 0) / 100
    inside = value is not None and value >= 20
    colour = colors.white if inside and dark else INK
    y = top - 14 if inside else top + 14
    drawing.add(
        _text(x, y, rate_text(value), face, size=10, bold=True, anchor="middle", colour=colour)
    )
    count_colour = colour if inside else MUTED
    drawing.add(_text(x, y - 11, count_text, face, size=8, anchor="middle", colour=count_colour))


def _target_line(drawing, chart, middle, target, face) -> None:
    """A dashed line across a pair of bars at the target, named to the right of the bars."""
    y = chart.y + chart.height * min(max(target, 0), 100) / 100
    edge = chart.barWidth + chart.barSpacing
    drawing.add(
        Line(
            middle - edge - 14,
            y,
            middle + edge,
            y,
            strokeColor=TARGET,
            strokeWidth=1.5,
            strokeDashArray=[5, 3],
        )
    )
    drawing.add(
        _text(
            middle + edge + 3,
            y - 3,
            f"target {rate_text(target)}",
            face,
            size=8,
            bold=True,
            colour=TARGET,
        )
    )


def audit_scores(view: dict, face: Typeface, sites: list[dict] | None = None) -> Drawing:
    """The average audit score of each site in the period (of sites, when given: a part of
    them), the overall average marked."""
    audits = performance(view).get("audits") or {}
    sites = audits.get("by_site") or [] if sites is None else sites
    row = 28
    height = 56 + row * max(len(sites), 1)
    drawing = Drawing(WIDTH, height)
    left, width, bottom = 150, 240, 28
    for tick in range(0, 101, 20):
        x = left + width * tick / 100
        drawing.add(
            Line(x, bottom, x, bottom + row * len(sites), strokeColor=GRID, strokeWidth=0.5)
        )
        drawing.add(_text(x, bottom - 11, f"{tick} %", face, size=8.5, anchor="middle"))
    drawing.add(Line(left, bottom, left, bottom + row * len(sites), strokeColor=MUTED))
    for number, site in enumerate(sites):
        y = bottom + row * (len(sites) - number - 1)
        score = site.get("average_score")
        drawing.add(
            _text(
                left - 6,
                y + 10,
                _fit(site.get("name") or "-", face, 8.5, left - 10),
                face,
                size=8.5,
                anchor="end",
            )
        )
        count = site.get("submitted") or 0
        if score is None:
            drawing.add(
                _text(left + width + 10, y + 10, "no audit submitted", face, size=8.5, colour=MUTED)
            )
            continue
        drawing.add(
            Rect(
                left,
                y + 6,
                width * min(score, 100) / 100,
                row - 12,
                fillColor=CURRENT,
                strokeColor=INK,
                strokeWidth=0.4,
            )
        )
        drawing.add(_text(left + width + 10, y + 10, rate_text(score), face, size=9, bold=True))
        audits_text = f"{count} audit{'s' if count != 1 else ''}"
        drawing.add(_text(left + width + 52, y + 10, audits_text, face, size=8.5, colour=MUTED))
    if not sites:
        _note(drawing, "No site in scope.", face, bottom + 8)
    average = (audits.get("current") or {}).get("average_score")
    if average is not None and sites:
        x = left + width * min(average, 100) / 100
        drawing.add(
            Line(
                x,
                bottom - 2,
                x,
                bottom + row * len(sites) + 4,
                strokeColor=TARGET,
                strokeWidth=1.2,
                strokeDashArray=[4, 3],
            )
        )
    previous = (audits.get("previous") or {}).get("average_score")
    drawing.add(
        _text(
            0,
            height - 12,
            f"All sites: {rate_text(average)} this period"
            f"{' (dashed line)' if average is not None and sites else ''}, "
            f"{rate_text(previous)} the previous one",
            face,
            size=9,
        )
    )
    drawing.add(
        _text(
            left + width / 2,
            2,
            "Average audit score",
            face,
            size=8.5,
            anchor="middle",
            colour=MUTED,
        )
    )
    return drawing


def heat_map(view: dict, face: Typeface) -> Drawing:
    """The residual risk of the register's entries in scope on the 5 x 5 matrix: severity up,
    likelihood across, each cell in its band's colour with its count."""
    monitoring = performance(view).get("monitoring") or {}
    cells = {
        (cell.get("severity"), cell.get("likelihood")): cell.get("count") or 0
        for cell in (monitoring.get("heat_map") or {}).get("cells") or []
    }
    cell_w, cell_h, left, bottom = 54, 32, 108, 40
    drawing = Drawing(WIDTH, bottom + 5 * cell_h + 6)
    for severity in range(1, 6):
        y = bottom + (severity - 1) * cell_h
        drawing.add(
            _text(
                left - 6,
                y + cell_h / 2 - 3,
                f"{severity} {SEVERITY_LABELS[severity]}",
                face,
                size=8.5,
                anchor="end",
            )
        )
        for likelihood in range(1, 6):
            x = left + (likelihood - 1) * cell_w
            band = risk_band(severity * likelihood)
            count = cells.get((severity, likelihood), 0)
            drawing.add(
                Rect(
                    x + 1.5,
                    y + 1.5,
                    cell_w - 3,
                    cell_h - 3,
                    fillColor=BAND_COLOURS[band],
                    strokeColor=INK if count else GRID,
                    strokeWidth=1.6 if count else 0.6,
                )
            )
            size = 13 if count else 9
            drawing.add(
                _text(
                    x + cell_w / 2,
                    y + cell_h / 2 - size / 3,
                    str(count),
                    face,
                    size=size,
                    bold=bool(count),
                    anchor="middle",
                    colour=INK if count else MUTED,
                )
            )
    for likelihood in range(1, 6):
        x = left + (likelihood - 0.5) * cell_w
        drawing.add(
            _text(
                x,
                bottom - 11,
                f"{likelihood} {LIKELIHOOD_LABELS[likelihood]}",
                face,
                size=7.5,
                anchor="middle",
            )
        )
    drawing.add(
        _text(
            left + 2.5 * cell_w,
            bottom - 25,
            "Likelihood",
            face,
            size=8.5,
            anchor="middle",
            colour=MUTED,
        )
    )
    drawing.add(_axis_title(12, bottom + 2.5 * cell_h, "Severity", face, vertical=True))
    bands = monitoring.get("bands") or {}
    top = bottom + 5 * cell_h
    key_x = left + 5 * cell_w + 16
    drawing.add(_text(key_x, top - 8, "Entries by band", face, size=9, bold=True))
    for number, band in enumerate(reversed(BAND_COLOURS)):
        y = top - 28 - number * 18
        drawing.add(
            Rect(
                key_x, y - 2, 12, 12, fillColor=BAND_COLOURS[band], strokeColor=INK, strokeWidth=0.5
            )
        )
        drawing.add(
            _text(key_x + 18, y, f"{RISK_BAND_LABELS[band]}: {bands.get(band, 0)}", face, size=9)
        )
    total = (monitoring.get("heat_map") or {}).get("total") or 0
    drawing.add(
        _text(
            key_x,
            top - 28 - 4 * 18 - 6,
            f"{total} entr{'y' if total == 1 else 'ies'} in all",
            face,
            size=9,
        )
    )
    if not total:
        drawing.add(
            _text(
                key_x,
                top - 28 - 4 * 18 - 20,
                "No register entries in scope.",
                face,
                size=8.5,
                colour=MUTED,
            )
        )
    return drawing


def audit_score_parts(view: dict, face: Typeface, per_part: int = SITES_PER_PART) -> list[Drawing]:
    """The audit scores by site as drawings of at most per_part sites each, for pages."""
    sites = (performance(view).get("audits") or {}).get("by_site") or []
    if len(sites) <= per_part:
        return [audit_scores(view, face)]
    return [
        audit_scores(view, face, sites[first : first + per_part])
        for first in range(0, len(sites), per_part)
    ]


Builder = Callable[[dict, Typeface], Drawing]
# name: (title, builder), in the order the pack and the desk show them.
CHARTS: dict[str, tuple[str, Builder]] = {
    "incidents-by-month": ("Incidents by month", incidents_by_month),
    "comparison": ("This period beside the previous one", comparison),
    "rates": ("Actions on time and NCs effective at the first check", rates),
    "audit-scores": ("Audit score by site", audit_scores),
    "heat-map": ("Residual risk of the register's entries", heat_map),
}


def chart(name: str, view: dict, face: Typeface = HELVETICA) -> Drawing:
    """The drawing of the named chart (KeyError for a name not in CHARTS)."""
    return CHARTS[name][1](view, face)


# The browser's names for the PDF's two faces: a sans-serif face, bold for the bold one.
_SANS = "Helvetica, Arial, 'Liberation Sans', sans-serif"
SVG_FONTS = {
    "Helvetica": {"family": _SANS},
    "Helvetica-Bold": {"family": _SANS, "weight": "bold"},
}


def svg(name: str, view: dict) -> bytes:
    """The named chart as an SVG document titled, sized by its viewBox to fit its box."""
    title = CHARTS[name][0]
    drawing = chart(name, view, BROWSER)
    canvas = SVGCanvas(
        (drawing.width, drawing.height),
        svgAttrs={"role": "img", "aria-label": title},
        fontHacks=SVG_FONTS,
    )
    draw_svg(drawing, canvas)
    canvas.doc.getElementsByTagName("title")[0].firstChild.data = title
    canvas.doc.getElementsByTagName("desc")[
        0
    ].firstChild.data = f"{title}, {view.get('title') or ''}"
    out = io.StringIO()
    canvas.save(out)
    return out.getvalue().encode("utf-8")
