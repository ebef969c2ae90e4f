"""What the pack's parts share: its styles, the Pack (the view, the typeface and the sites),
figures and days as the pack prints them, tables with a light grid, the comparison of a period
with the previous one, a chart with its title, and the heading of a section of clause 9.3."""

from datetime import date
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from server.reviews import charts
from server.reviews.typeface import Typeface

MARGIN = 18 * mm
TEXT_WIDTH = A4[0] - 2 * MARGIN
CELL_CHARS = 300
GRID = colors.HexColor("#9a9a9a")
SHADE = colors.HexColor("#ececec")
INK = colors.black
MUTED = colors.HexColor("#444444")
DRAFT_RED = colors.HexColor("#b00020")


def _styles(face: Typeface) -> dict[str, ParagraphStyle]:
    """The pack's paragraph styles: 10 pt body, black on white, bold headings."""
    body = ParagraphStyle("body", fontName=face.regular, fontSize=10, leading=13.5, textColor=INK)
    bold = face.bold
    return {
        "body": body,
        "small": ParagraphStyle("small", body, fontSize=8.5, leading=11, textColor=MUTED),
        "organization": ParagraphStyle("org", body, fontName=bold, fontSize=13, leading=17),
        "kicker": ParagraphStyle("kicker", body, fontSize=12, leading=16, spaceBefore=60),
        "title": ParagraphStyle(
            "title", body, fontName=bold, fontSize=24, leading=30, spaceAfter=6
        ),
        "subtitle": ParagraphStyle("subtitle", body, fontSize=13, leading=17, spaceAfter=14),
        "status": ParagraphStyle("status", body, fontName=bold, fontSize=12, leading=16),
        "h1": ParagraphStyle(
            "h1",
            body,
            fontName=bold,
            fontSize=15,
            leading=19,
            spaceBefore=14,
            spaceAfter=4,
            keepWithNext=1,
        ),
        "h2": ParagraphStyle(
            "h2",
            body,
            fontName=bold,
            fontSize=11.5,
            leading=15,
            spaceBefore=10,
            spaceAfter=4,
            keepWithNext=1,
        ),
        "clause": ParagraphStyle(
            "clause", body, fontSize=8.5, leading=11, textColor=MUTED, spaceAfter=6
        ),
        "cell": ParagraphStyle("cell", body, fontSize=9, leading=11.5),
        "cell_bold": ParagraphStyle("cell_bold", body, fontName=bold, fontSize=9, leading=11.5),
        "number": ParagraphStyle("number", body, fontSize=9, leading=11.5, alignment=2),
        "number_bold": ParagraphStyle(
            "number_bold", body, fontName=bold, fontSize=9, leading=11.5, alignment=2
        ),
        "caption": ParagraphStyle(
            "caption", body, fontName=bold, fontSize=10, leading=13, spaceBefore=8, spaceAfter=3
        ),
        "decision": ParagraphStyle("decision", body, leftIndent=16, bulletIndent=0, spaceAfter=4),
    }


# --- text and values ----------------------------------------------------------------------


class Pack:
    """What every part of the pack needs: the typeface, the styles and the view's sites."""

    def __init__(self, view: dict, face: Typeface):
        self.view, self.face, self.s = view, face, _styles(face)
        self.sites = {site.get("id"): site.get("name") for site in view.get("sites") or []}

    def markup(self, value, limit: int | None = CELL_CHARS) -> str:
        """Paragraph markup of any text: printable, escaped, line breaks kept, cut at limit."""
        text = self.face.text(value)
        if limit is not None and len(text) > limit:
            text = text[: limit - 3].rstrip() + "..."
        return escape(text).replace("\n", "<br/>")

    def p(self, value, style: str = "body", limit: int | None = CELL_CHARS) -> Paragraph:
        return Paragraph(self.markup(value, limit), self.s[style])

    def raw(self, markup: str, style: str = "body") -> Paragraph:
        """A paragraph of markup already made safe."""
        return Paragraph(markup, self.s[style])


def day_name(value) -> str:
    """'2026-10-08' as '8 Oct 2026'; '-' when absent."""
    if not value:
        return "-"
    day = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    return f"{day.day} {charts.MONTHS[day.month - 1]} {day.year}"


def figure(value) -> str:
    """A count or a measure: '12', '2.35', '-' when absent."""
    if value is None:
        return "-"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.2f}".rstrip("0")
    return f"{int(value)}"


def change(current, previous, percent: bool = False) -> str:
    """The change from the previous period: '+5', '−2', '0', or '-' when one is unknown."""
    if current is None or previous is None:
        return "-"
    delta = round(float(current) - float(previous), 1 if percent else 2)
    if delta == 0:
        return "no change"
    text = f"{abs(delta):.1f} pts" if percent else figure(abs(delta))
    return ("+" if delta > 0 else "\u2212") + text


# --- tables -------------------------------------------------------------------------------


def table(
    rows: list[list], widths: list[float], header: bool = True, numbers_from: int | None = None
) -> Table:
    """A table with a light grid, the first row shaded as a header when header is True;
    columns from numbers_from on are right-aligned."""
    made = Table(rows, colWidths=widths, repeatRows=1 if header else 0, hAlign="LEFT")
    style = [
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), SHADE))
    if numbers_from is not None:
        style.append(("ALIGN", (numbers_from, 0), (-1, -1), "RIGHT"))
    made.setStyle(TableStyle(style))
    return made


def comparison_table(pack: Pack, rows: list[tuple[str, object, object, bool]]) -> Table:
    """Figure, this period, the previous one and the change, one row each: (name, current,
    previous, is_percent)."""
    s = pack.s
    head = ["Figure", "This period", "Previous period", "Change"]
    body = [
        [
            Paragraph(name, s["cell_bold"] if i == 0 else s["number_bold"])
            for i, name in enumerate(head)
        ]
    ]
    for name, current, previous, percent in rows:
        shown = charts.rate_text if percent else figure
        body.append(
            [
                pack.p(name, "cell"),
                pack.p(shown(current), "number"),
                pack.p(shown(previous), "number"),
                pack.p(change(current, previous, percent), "number"),
            ]
        )
    return table(body, [74 * mm, 32 * mm, 34 * mm, 34 * mm])


def header_row(pack: Pack, names: list[str], numbers_from: int | None = None) -> list[Paragraph]:
    return [
        Paragraph(
            name,
            pack.s[
                "number_bold" if numbers_from is not None and i >= numbers_from else "cell_bold"
            ],
        )
        for i, name in enumerate(names)
    ]


def status_box(pack: Pack) -> Table:
    """Where the review stands, in a shaded box the width of the text (red-edged for a draft)."""
    draft = pack.view.get("status") != "held"
    box = Table([[pack.p(status_text(pack.view), "status")]], colWidths=[TEXT_WIDTH], hAlign="LEFT")
    edge = DRAFT_RED if draft else GRID
    box.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), SHADE),
                ("BOX", (0, 0), (-1, -1), 1.5 if draft else 0.75, edge),
                ("TOPPADDING", (0, 0), (-1, -1), 7),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
            ]
        )
    )
    return box


def row(pack: Pack, *texts, numbers=()) -> list[Paragraph]:
    """A table row: texts as cells on the left, numbers right-aligned after them."""
    return [pack.p(text, "cell") for text in texts] + [pack.p(n, "number") for n in numbers]


def chart_block(pack: Pack, name: str, parts: list | None = None) -> Flowable | list[Flowable]:
    """A chart with its title above it, kept on one page; parts: the chart drawn in pieces
    (each kept on a page, the title with the first)."""
    title, builder = charts.CHARTS[name]
    if parts is None:
        return KeepTogether([pack.p(title, "caption"), builder(pack.view, pack.face), Spacer(1, 6)])
    return [KeepTogether([pack.p(title, "caption"), parts[0]]), *parts[1:], Spacer(1, 6)]


def section(pack: Pack, letter: str, title: str, clause: str, *body: Flowable) -> list[Flowable]:
    """A section's heading (its letter of clause 9.3) and the clause's wording, kept on one page
    with the start of its body; on a new page when less than a quarter of this one is left."""
    heading = [
        pack.raw(f"{letter})&nbsp;&nbsp;{escape(title)}", "h1"),
        pack.raw(escape(clause), "clause"),
    ]
    return [CondPageBreak(70 * mm), KeepTogether([*heading, *body[:1]]), *body[1:]]


def inputs(view: dict) -> dict:
    return view.get("inputs") or {}


def perf(view: dict) -> dict:
    return charts.performance(view)


def period_text(view: dict) -> str:
    if not view.get("period_start") or not view.get("period_end"):
        return "-"
    return charts.period_name(view["period_start"], view["period_end"])


def status_text(view: dict) -> str:
    if view.get("status") == "held":
        held = day_name(view.get("held_on"))
        return f"Held on {held}. The inputs are frozen as leadership saw them."
    return (
        "DRAFT: not yet held. The figures are computed from the records as they stand now and "
        "may change until the review is held."
    )
