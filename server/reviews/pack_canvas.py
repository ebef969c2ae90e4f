"""The pack's pages: a running head (not on the cover), a footer with the period, the time the pack
was made and 'page N of M', and while the review is a draft a faint DRAFT drawn across every page
and written in the head and the footer."""

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from server.reviews.typeface import Typeface

MARGIN = 18 * mm
GRID = colors.HexColor("#9a9a9a")
INK = colors.black
DRAFT_RED = colors.HexColor("#b00020")


# The letters of DRAFT as strokes in a 70 x 100 box: ("M", x, y) moves, ("L", x, y) draws a
# line, ("C", x1, y1, x2, y2, x, y) a curve.
LETTER_WIDTH, LETTER_GAP = 70, 26
DRAFT_STROKES = (
    [("M", 0, 0), ("L", 0, 100), ("L", 25, 100), ("C", 82, 100, 82, 0, 25, 0), ("L", 0, 0)],
    [
        ("M", 0, 0),
        ("L", 0, 100),
        ("L", 35, 100),
        ("C", 76, 100, 76, 50, 35, 50),
        ("L", 0, 50),
        ("M", 32, 50),
        ("L", 70, 0),
    ],
    [("M", 0, 0), ("L", 35, 100), ("L", 70, 0), ("M", 13, 36), ("L", 57, 36)],
    [("M", 0, 0), ("L", 0, 100), ("L", 66, 100), ("M", 0, 55), ("L", 52, 55)],
    [("M", 0, 100), ("L", 70, 100), ("M", 35, 100), ("L", 35, 0)],
)


def _trace(path, stroke: tuple, dx: float, dy: float) -> None:
    """Add one stroke of a letter to path, the letter's box placed at (dx, dy)."""
    kind, *points = stroke
    moved = [value + (dx if i % 2 == 0 else dy) for i, value in enumerate(points)]
    {"M": path.moveTo, "L": path.lineTo, "C": path.curveTo}[kind](*moved)


class PackCanvas(Canvas):
    """A canvas that holds its pages until the end, to print 'page N of M' on each."""

    def __init__(self, *args, face: Typeface, footer: str, header: str, draft: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self._face, self._footer, self._header, self._draft = face, footer, header, draft
        self._pages: list[dict] = []

    def showPage(self) -> None:  # noqa: N802 (ReportLab's name)
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        """Draw each page's head, footer and mark now that the number of pages is known."""
        for page in self._pages:
            self.__dict__.update(page)
            if self._draft:
                self._draw_mark()
            if self._pageNumber > 1:
                self._draw_header()
            self._draw_footer(len(self._pages))
            super().showPage()
        super().save()

    def _draw_mark(self) -> None:
        """DRAFT across the page in strokes, faint enough to read through (drawn, not written:
        the page's text stays what it says)."""
        width, height = self._pagesize
        self.saveState()
        self.setStrokeColor(DRAFT_RED)
        self.setStrokeAlpha(0.13)
        self.setLineWidth(15)
        self.setLineCap(1)
        self.setLineJoin(1)
        self.translate(width / 2, height / 2)
        self.rotate(50)
        left = -(5 * LETTER_WIDTH + 4 * LETTER_GAP) / 2
        for number, strokes in enumerate(DRAFT_STROKES):
            path = self.beginPath()
            for stroke in strokes:
                _trace(path, stroke, left + number * (LETTER_WIDTH + LETTER_GAP), -50)
            self.drawPath(path, stroke=1, fill=0)
        self.restoreState()

    def _draw_header(self) -> None:
        width, height = self._pagesize
        self.setFillColor(INK)
        self.setFont(self._face.regular, 8.5)
        self.drawString(
            MARGIN,
            height - 12 * mm,
            _cut(self._header, self._face, 8.5, width - 2 * MARGIN - 40 * mm, self),
        )
        if self._draft:
            self.setFillColor(DRAFT_RED)
            self.setFont(self._face.bold, 8.5)
            self.drawRightString(width - MARGIN, height - 12 * mm, "DRAFT: not yet held")
        self.setStrokeColor(GRID)
        self.setLineWidth(0.5)
        self.line(MARGIN, height - 13.5 * mm, width - MARGIN, height - 13.5 * mm)

    def _draw_footer(self, total: int) -> None:
        width, _ = self._pagesize
        self.setStrokeColor(GRID)
        self.setLineWidth(0.5)
        self.line(MARGIN, 13 * mm, width - MARGIN, 13 * mm)
        self.setFillColor(INK)
        self.setFont(self._face.regular, 8.5)
        left = MARGIN
        if self._draft:
            self.setFillColor(DRAFT_RED)
            self.setFont(self._face.bold, 8.5)
            self.drawString(left, 9 * mm, "DRAFT")
            left += self.stringWidth("DRAFT  ", self._face.bold, 8.5)
            self.setFillColor(INK)
            self.setFont(self._face.regular, 8.5)
        room = width - MARGIN - left - 25 * mm
        self.drawString(left, 9 * mm, _cut(self._footer, self._face, 8.5, room, self))
        self.drawRightString(width - MARGIN, 9 * mm, f"page {self._pageNumber} of {total}")


def _cut(text: str, face: Typeface, size: float, room: float, canvas: Canvas) -> str:
    """text cut with '...' to fit room points."""
    if canvas.stringWidth(text, face.regular, size) <= room:
        return text
    while text and canvas.stringWidth(text + "...", face.regular, size) > room:
        text = text[:-1]
    return text.rstrip() + "..."
