"""The audit report as a PDF: what was audited where and by whom, the scores, every finding and
observation with its photos and their SHA-256, and the sign-off.

Drawn with ReportLab's platypus in Helvetica, one of the PDF's standard fonts (nothing embedded,
every viewer has it). Those fonts hold Western European letters (Windows-1252) only: a letter
outside them is printed without its accent when it has one (ř as r, ﬁ as fi), anything else
(emoji, CJK, ...) as ReportLab's black square for a missing glyph, and the report then says so
under the sign-off. The audit in Safeloop keeps the exact text. Table cells hold at most
CELL_CHARS characters (a table row cannot break across pages); longer text is cut with "...".

Photos are drawn from their thumbnails (320 px JPEGs, embedded as they are, never decoded), so
60 photos cost a few megabytes, not the originals' hundreds.
"""

import functools
import io
import unicodedata
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from PIL import Image as PILImage
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    Image,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from server.audits.reading import audit_view
from server.auth.access import Actor
from server.extensions import db
from server.media.attachments import held_photos
from server.media.services import variant_key
from server.media.storage import media_storage
from server.orgs.models import Organization

MARGIN = 18 * mm
PHOTO_WIDTH = 45 * mm
PHOTO_MAX_HEIGHT = 60 * mm
PHOTOS_PER_ROW = 3
CELL_CHARS = 300
GRID = colors.HexColor("#9a9a9a")
SHADE = colors.HexColor("#ececec")
INK = colors.black
RESULT_NAMES = {"minor_nc": "Minor NC", "major_nc": "Major NC", "observation": "Observation"}
REPLACED_NOTE = (
    "Some characters of this audit cannot be printed in this report's font: letters are shown "
    "without their accents and other characters as a black square. Safeloop keeps the exact text."
)

ThumbnailPath = Callable[[str], str | None]


def _styles() -> dict[str, ParagraphStyle]:
    """The report's paragraph styles: Helvetica, 10 pt body, black on white."""
    body = ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=13.5, textColor=INK)
    return {
        "body": body,
        "small": ParagraphStyle("small", body, fontSize=8.5, leading=11),
        "organization": ParagraphStyle("org", body, fontName="Helvetica-Bold", fontSize=11),
        "title": ParagraphStyle(
            "title", body, fontName="Helvetica-Bold", fontSize=20, leading=25, spaceAfter=2
        ),
        "subtitle": ParagraphStyle("subtitle", body, fontSize=12.5, leading=16, spaceAfter=8),
        "h2": ParagraphStyle(
            "h2",
            body,
            fontName="Helvetica-Bold",
            fontSize=13.5,
            leading=17,
            spaceBefore=12,
            spaceAfter=5,
            keepWithNext=1,
        ),
        "finding": ParagraphStyle(
            "finding",
            body,
            fontName="Helvetica-Bold",
            fontSize=10.5,
            leading=14,
            backColor=SHADE,
            borderPadding=(3, 4, 3, 4),
            spaceBefore=10,
            spaceAfter=6,
        ),
        "cell": ParagraphStyle("cell", body, fontSize=9.5, leading=12),
        "cell_bold": ParagraphStyle(
            "cell_bold", body, fontName="Helvetica-Bold", fontSize=9.5, leading=12
        ),
        "score": ParagraphStyle(
            "score", body, fontName="Helvetica-Bold", fontSize=15, leading=19, spaceAfter=6
        ),
        "hash": ParagraphStyle("hash", body, fontName="Courier", fontSize=6.5, leading=7.6),
        "missing": ParagraphStyle("missing", body, fontSize=8.5, leading=11, alignment=TA_CENTER),
    }


# --- text ---------------------------------------------------------------------------------


@functools.cache
def _drawable_char(char: str) -> str:
    """char as Helvetica can print it: itself, its letter without accents, nothing, or itself
    left for ReportLab's missing-glyph square."""
    if char == "\n":
        return char
    if char == "\t":
        return " "
    category = unicodedata.category(char)
    if category == "Cc" or category == "Cf":  # controls, zero-width joiners, direction marks
        return ""
    if category == "Cs":  # a lone surrogate cannot even be encoded
        return "\ufffd"
    if _in_font(char):
        return char
    folded = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    if folded and all(_in_font(c) for c in folded):
        return folded
    return "" if unicodedata.combining(char) else char


def _in_font(char: str) -> bool:
    try:
        char.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def printable(value) -> str:
    """Any value as text Helvetica can print (see the module's docstring)."""
    text = unicodedata.normalize("NFC", "" if value is None else str(value))
    return "".join(_drawable_char(char) for char in text.replace("\r\n", "\n"))


def fully_printable(value) -> bool:
    """True when every string in value (a view: dicts, lists, text) prints as it is."""
    if isinstance(value, str):
        return printable(value) == unicodedata.normalize("NFC", value).replace("\r\n", "\n")
    if isinstance(value, dict):
        return all(fully_printable(item) for item in value.values())
    if isinstance(value, list | tuple):
        return all(fully_printable(item) for item in value)
    return True


def markup(value, limit: int | None = None) -> str:
    """Paragraph markup of any text: printable, escaped, line breaks kept, cut at limit."""
    text = printable(value)
    if limit is not None and len(text) > limit:
        text = text[: limit - 3].rstrip() + "..."
    return escape(text).replace("\n", "<br/>")


# --- values -------------------------------------------------------------------------------


def _moment(value) -> datetime | None:
    """A datetime from the view (a datetime or ISO 8601 text), in UTC; None when absent."""
    if value is None or value == "":
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def format_moment(value, zone: str | None = None) -> str:
    """'2026-11-20 14:05:30 UTC', and the same moment in the zone if one is given."""
    moment = _moment(value)
    if moment is None:
        return "-"
    text = f"{moment:%Y-%m-%d %H:%M:%S} UTC"
    if zone and zone != "UTC":
        try:
            local = moment.astimezone(ZoneInfo(zone))
        except (ValueError, KeyError):  # not a zone this machine knows: UTC alone
            return text
        offset = local.strftime("%z")
        text += f" ({local:%Y-%m-%d %H:%M:%S} {zone}, UTC{offset[:3]}:{offset[3:]})"
    return text


def _day(value) -> str:
    if value is None or value == "":
        return "-"
    return value.isoformat() if isinstance(value, date) else str(value)


def _number(value) -> str:
    """A score figure without a needless '.0'."""
    value = float(value or 0)
    return f"{value:g}" if value == round(value, 1) else f"{value:.1f}"


def format_percent(percent) -> str:
    """'82.5 %', or 'n/a' when nothing was applicable."""
    return "n/a" if percent is None else f"{_number(percent)} %"


def _person(person: dict | None) -> str:
    return (person or {}).get("name") or "-"


# --- parts of the report ------------------------------------------------------------------


def _table(rows: list[list], widths: list[float], header: bool = True) -> Table:
    """A table with a light grid; the first row shaded as a header when header is True."""
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0, hAlign="LEFT")
    style = [
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), SHADE))
    table.setStyle(TableStyle(style))
    return table


def _header(view: dict, organization_name: str, s: dict, zone: str | None) -> list[Flowable]:
    """Organization, title, template, and the audit's particulars as a two-column table."""
    template = view.get("template") or {}
    cell, label = s["cell"], s["cell_bold"]
    status = view.get("status") or "-"
    particulars = [
        (
            "Standard",
            f"{template.get('standard') or '-'}, template version {template.get('version') or '-'}",
        ),
        ("Site", view.get("site_name") or "-"),
        ("Planned day", _day(view.get("due_on")) if view.get("due_on") else "Unplanned audit"),
        ("Auditor", _person(view.get("auditor"))),
        ("Auditee", _person(view.get("auditee"))),
        ("Started", format_moment(view.get("started_at"), zone)),
        ("Signed off", format_moment(view.get("signed_at"), zone)),
        ("Status", _status_text(status)),
        ("Audit id", str(view.get("id") or "-")),
    ]
    rows = [
        [Paragraph(name, label), Paragraph(markup(value, CELL_CHARS), cell)]
        for name, value in particulars
    ]
    return [
        Paragraph(markup(organization_name, CELL_CHARS), s["organization"]),
        Paragraph("Internal audit report", s["title"]),
        Paragraph(markup(template.get("name") or "-", CELL_CHARS), s["subtitle"]),
        _table(rows, [34 * mm, 140 * mm], header=False),
    ]


def _status_text(status: str) -> str:
    return {
        "planned": "Planned (not started): this report is a draft",
        "in_progress": "In progress: this report is a draft, not signed off",
        "submitted": "Signed off",
        "cancelled": "Cancelled",
    }.get(status, status)


def _scope(view: dict, s: dict) -> list[Flowable]:
    """The sections audited, the site and the planned day, and how many questions were answered."""
    sections = (view.get("template") or {}).get("sections") or []
    progress = view.get("progress") or {}
    listed = "; ".join(
        f"{markup(section.get('ref'), 40)}&nbsp;{markup(section.get('title'), 200)}"
        for section in sections
    )
    planned = _day(view.get("due_on")) if view.get("due_on") else "unplanned"
    return [
        Paragraph("Scope", s["h2"]),
        Paragraph(f"<b>Sections audited:</b> {listed or 'none'}.", s["body"]),
        Paragraph(
            f"<b>Site:</b> {markup(view.get('site_name') or '-', CELL_CHARS)}. "
            f"<b>Planned day:</b> {markup(planned)}. "
            f"<b>Questions answered:</b> {progress.get('answered', '-')} of "
            f"{progress.get('total', '-')}.",
            s["body"],
        ),
    ]


def _scores(view: dict, s: dict) -> list[Flowable]:
    """The overall score, a count of findings, and the table of scores by section."""
    score = view.get("score") or {}
    findings = view.get("findings") or []
    major = sum(1 for f in findings if f.get("result") == "major_nc")
    observations = len(view.get("observations") or [])
    cell = s["cell"]
    rows = [
        [
            Paragraph(name, s["cell_bold"])
            for name in ("Ref", "Section", "Earned / possible", "Score")
        ]
    ]
    for section in score.get("by_section") or []:
        possible = section.get("possible") or 0
        rows.append(
            [
                Paragraph(markup(section.get("ref"), 40), cell),
                Paragraph(markup(section.get("title"), CELL_CHARS), cell),
                Paragraph(
                    f"{_number(section.get('earned'))} / {_number(possible)}" if possible else "-",
                    cell,
                ),
                Paragraph(format_percent(section.get("percent") if possible else None), cell),
            ]
        )
    return [
        Paragraph("Score", s["h2"]),
        Paragraph(_overall(score.get("overall"), view.get("progress") or {}), s["score"]),
        Paragraph(
            f"{len(findings) - major} minor NC, {major} major NC, {observations} "
            f"observation{'s' if observations != 1 else ''}. Conforming answers and observations "
            "earn the question's weight, a minor NC half of it, a major NC nothing; questions not "
            "applicable count nowhere.",
            s["small"],
        ),
        Spacer(1, 5),
        _table(rows, [18 * mm, 102 * mm, 32 * mm, 22 * mm]),
    ]


def _overall(percent, progress: dict) -> str:
    """The overall score; 'so far' while questions are still to be answered."""
    answered, total = progress.get("answered"), progress.get("total")
    if answered is None or total is None or answered >= total:
        return f"Overall score: {format_percent(percent)}"
    return (
        f"Overall score so far: {format_percent(percent)} "
        f"({answered} of {total} questions answered)"
    )


def _photo_cell(sha256: str, thumbnail_path: ThumbnailPath, s: dict) -> list[Flowable]:
    """The photo's thumbnail about 45 mm wide, its full SHA-256 under it in two lines."""
    digest = printable(sha256)
    parts = [Spacer(1, 2), Paragraph(f"{escape(digest[:32])}<br/>{escape(digest[32:])}", s["hash"])]
    path = thumbnail_path(sha256)
    size = _image_size(path) if path else None
    if size is None:
        return [_missing_photo(s), *parts]
    width, height = size
    scale = min(PHOTO_WIDTH / width, PHOTO_MAX_HEIGHT / height)
    return [Image(path, width=width * scale, height=height * scale), *parts]


def _missing_photo(s: dict) -> Table:
    """A framed box where a photo the server does not hold would be."""
    box = Table(
        [[Paragraph("Photo not held", s["missing"])]],
        colWidths=[PHOTO_WIDTH],
        rowHeights=[PHOTO_WIDTH * 3 / 4],
    )
    box.setStyle(
        TableStyle([("BOX", (0, 0), (-1, -1), 0.75, GRID), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")])
    )
    return box


def _image_size(path: str) -> tuple[int, int] | None:
    """Pixel size of an image file (its header only), or None if it cannot be read."""
    try:
        with PILImage.open(path) as image:
            return image.size
    except (OSError, PILImage.DecompressionBombError, ValueError):
        return None


def _photo_rows(hashes: list[str], thumbnail_path: ThumbnailPath, s: dict) -> list[Table]:
    """The photos three to a row from the left margin, one table per row so that pages break
    between rows."""
    cells = [_photo_cell(sha256, thumbnail_path, s) for sha256 in hashes]
    rows = []
    for first in range(0, len(cells), PHOTOS_PER_ROW):
        row = cells[first : first + PHOTOS_PER_ROW]
        table = Table([row + [""] * (PHOTOS_PER_ROW - len(row))], colWidths=[58 * mm] * 3)
        table.hAlign = "LEFT"
        table.setStyle(
            TableStyle(
                [
                    ("ALIGN", (0, 0), (-1, -1), "LEFT"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("TOPPADDING", (0, 0), (-1, -1), 4),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                ]
            )
        )
        rows.append(table)
    return rows


def _entry(
    number: int, item: dict, thumbnail_path: ThumbnailPath, s: dict, lead: list[Flowable]
) -> list[Flowable]:
    """One finding or observation: result, clause and question, its text, notes, NC and photos;
    lead (a section's heading) is kept on the same page."""
    result = RESULT_NAMES.get(item.get("result") or "observation", "Observation")
    lines = [
        *lead,
        Paragraph(
            f"{number}. {result} — clause {markup(item.get('clause') or '-', 40)} — question "
            f"{markup(item.get('ref') or '-', 40)}",
            s["finding"],
        ),
        Paragraph(f"<b>Question:</b> {markup(item.get('text') or '-')}", s["body"]),
        Spacer(1, 3),
        Paragraph(f"<b>Notes:</b> {markup(item.get('notes') or 'none')}", s["body"]),
    ]
    if item.get("nonconformity_id"):
        lines.append(
            Paragraph(f"<b>Nonconformity:</b> {markup(item['nonconformity_id'])}", s["body"])
        )
    photos = item.get("photos") or []
    if not photos:
        return [KeepTogether([*lines, Paragraph("No photos.", s["small"])])]
    count = "1 photo, with its" if len(photos) == 1 else f"{len(photos)} photos, each with its"
    lines.append(Paragraph(f"{count} SHA-256:", s["small"]))
    rows = _photo_rows(photos, thumbnail_path, s)
    # Kept on one page with the first row of photos when it fits; longer text flows on.
    return [KeepTogether([*lines, rows[0]]), *rows[1:]]


def _entries(
    title: str, empty: str, items: list, thumbnail_path: ThumbnailPath, s: dict
) -> list[Flowable]:
    """A titled list of findings or observations, or a line saying there are none."""
    heading = Paragraph(title, s["h2"])
    if not items:
        return [heading, Paragraph(empty, s["body"])]
    story: list[Flowable] = []
    for number, item in enumerate(items, 1):
        story += _entry(number, item, thumbnail_path, s, [heading] if number == 1 else [])
    return story


def _sign_off(view: dict, s: dict, zone: str | None, note: bool) -> list[Flowable]:
    """Who signed off and when, in UTC and in the site's zone."""
    signed = view.get("signed_at")
    auditor = markup(_person(view.get("auditor")), CELL_CHARS)
    if signed:
        text = f"Signed off by {auditor} at {markup(format_moment(signed, zone))}."
        if view.get("submitted_at"):
            text += f" Received by Safeloop at {markup(format_moment(view['submitted_at']))}."
    else:
        text = f"Not signed off: this is a draft of an audit by {auditor} that is still open."
    story = [Paragraph("Sign-off", s["h2"]), Paragraph(text, s["body"])]
    if note:
        story += [Spacer(1, 10), Paragraph(REPLACED_NOTE, s["small"])]
    return story


# --- pages --------------------------------------------------------------------------------


class _NumberedCanvas(Canvas):
    """A canvas that holds its pages until the end, to print 'page N of M' and the audit id."""

    def __init__(self, *args, footer: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self._footer = footer
        self._pages: list[dict] = []

    def showPage(self) -> None:  # noqa: N802 (ReportLab's name)
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        """Draw each page's footer now that the number of pages is known, then write."""
        for page in self._pages:
            self.__dict__.update(page)
            self._draw_footer(len(self._pages))
            super().showPage()
        super().save()

    def _draw_footer(self, total: int) -> None:
        width, _ = self._pagesize
        self.setStrokeColor(GRID)
        self.setLineWidth(0.5)
        self.line(MARGIN, 13 * mm, width - MARGIN, 13 * mm)
        self.setFillColor(INK)
        self.setFont("Helvetica", 8.5)
        self.drawString(MARGIN, 9 * mm, self._footer)
        self.drawRightString(width - MARGIN, 9 * mm, f"page {self._pageNumber} of {total}")


def render_audit_report(view: dict, thumbnail_path: ThumbnailPath, organization_name: str) -> bytes:
    """The PDF of an audit view (as reading.view_of makes it); thumbnail_path(sha256) gives the
    file of a photo's thumbnail, or None when there is none to show.

    The view may carry `site_time_zone` (an IANA name): times are then shown in it too.
    """
    styles, zone = _styles(), view.get("site_time_zone")
    template = view.get("template") or {}
    story = [
        *_header(view, organization_name, styles, zone),
        *_scope(view, styles),
        *_scores(view, styles),
        *_entries(
            "Findings (nonconformities)",
            "No nonconformities were found.",
            view.get("findings") or [],
            thumbnail_path,
            styles,
        ),
        *_entries(
            "Observations (opportunities for improvement)",
            "No observations were recorded.",
            view.get("observations") or [],
            thumbnail_path,
            styles,
        ),
        *_sign_off(view, styles, zone, not fully_printable([view, organization_name])),
    ]
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=22 * mm,
        title=printable(f"Internal audit report {template.get('name') or ''}"),
        author=printable(organization_name),
        subject=f"Audit {view.get('id')}",
        creator="Safeloop",
    )
    footer = printable(f"Internal audit report · audit {view.get('id')}")
    document.build(story, canvasmaker=functools.partial(_NumberedCanvas, footer=footer))
    return buffer.getvalue()


def thumbnail_source(organization_id: int) -> ThumbnailPath:
    """thumbnail_path for render_audit_report: the stored thumbnail's file of each photo the
    organization holds, None for any other (the media storage is a local folder)."""
    storage = media_storage()

    def thumbnail_path(sha256: str) -> str | None:
        if not held_photos(organization_id, [sha256]):
            return None
        path = storage.path(variant_key(sha256, "thumb"))
        return str(path) if path.is_file() else None

    return thumbnail_path


def audit_report_pdf(actor: Actor, audit_id: uuid.UUID) -> bytes:
    """The report of an audit the actor may open (NotFound otherwise), with its photos."""
    view = audit_view(actor, audit_id)
    organization = db.session.get(Organization, actor.organization_id)
    return render_audit_report(view, thumbnail_source(actor.organization_id), organization.name)
