"""Fishbone geometry: where every line, box and label goes, for the SVG and PNG renderers alike.

The spine runs left to right into the effect box at the head; three category bones rise above it
and three fall below, all parallel and slanting towards the head. Each cause is a horizontal rib
ending on its bone, labelled above the rib. Bones grow with their causes and columns are wider
than a rib, so labels never overlap. Text sizes are estimated (CHAR_WIDTH em per character, wider
than DejaVu Sans Condensed or Arial) and the same estimate decides wrapping, so the layout is
exact about its own boxes. Everything is deterministic: same analysis, same drawing.
"""

import math
import re
import textwrap
from dataclasses import dataclass, field

from server.ishikawa.mining import shorten

CHAR_WIDTH = 0.6
BOLD_CHAR_WIDTH = 0.68
ASCENT, DESCENT = 0.8, 0.25

MARGIN = 24
LABEL_SIZE, LABEL_LINE, LABEL_CHARS, LABEL_LINES = 12, 15, 30, 2
CATEGORY_SIZE, CATEGORY_BOX_H, CATEGORY_PAD = 13, 26, 10
EFFECT_SIZE, EFFECT_LINE, EFFECT_CHARS, EFFECT_LINES, EFFECT_PAD = 13, 17, 22, 6, 12
BADGE_SIZE, BADGE_H, BADGE_GAP = 10, 14, 6
SLANT = 0.4  # horizontal run of a bone per unit of height
ROW_GAP, FAR_GAP, SPINE_CLEAR, BONE_PAD, RIB_LEAD = 10, 12, 16, 8, 6
MIN_BONE = 90
COL_GAP = 28
EFFECT_GAP = 36
MAX_BADGE = 999

INK, MUTED, ACCENT, ROOT, ROOT_FILL = "#111827", "#4b5563", "#1d4ed8", "#dc2626", "#fef3c7"
CATEGORY_FILL, EFFECT_FILL, PAPER = "#e0e7ff", "#1e3a8a", "#ffffff"

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The estimated advance width of text."""
    return len(text) * size * (BOLD_CHAR_WIDTH if bold else CHAR_WIDTH)


def text_box(x: float, baseline: float, text: str, size: float, bold: bool = False) -> tuple:
    """(left, top, right, bottom) of a left-anchored text at this baseline."""
    right = x + text_width(text, size, bold)
    return (x, baseline - ASCENT * size, right, baseline + DESCENT * size)


def clean(text: str) -> str:
    """Text safe to draw: characters XML forbids removed, whitespace runs made single spaces."""
    return " ".join(_NOT_XML.sub("", text).split())


def wrap(text: str, chars: int, lines: int) -> list[str]:
    """text in at most lines lines of at most chars characters; the last ends in … when cut."""
    wrapped = textwrap.wrap(clean(text), chars, break_on_hyphens=False) or [""]
    if len(wrapped) > lines:
        wrapped = wrapped[: lines - 1] + [shorten(" ".join(wrapped[lines - 1 :]), chars)]
    return wrapped


@dataclass(frozen=True)
class Text:
    x: float
    y: float  # baseline
    text: str
    size: float
    fill: str = INK
    bold: bool = False

    @property
    def box(self) -> tuple:
        return text_box(self.x, self.y, self.text, self.size, self.bold)


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    stroke: str = MUTED
    width: float = 1.5


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    fill: str
    stroke: str | None = None
    radius: float = 0


@dataclass
class Layout:
    """A drawing: size, and what to draw in order (lines, then boxes, then text)."""

    width: int
    height: int
    title: str
    lines: list[Line] = field(default_factory=list)
    rects: list[Rect] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)


@dataclass(frozen=True)
class _Rib:
    lines: list[str]
    badge: str | None
    root: bool

    @property
    def height(self) -> float:
        """From the top of the label to the rib line under it."""
        return (ASCENT + DESCENT) * LABEL_SIZE + (len(self.lines) - 1) * LABEL_LINE + 3


LABEL_W = LABEL_CHARS * CHAR_WIDTH * LABEL_SIZE
BADGE_W = text_width(f"{MAX_BADGE}+", BADGE_SIZE) + 8
MAX_ROW_H = _Rib([""] * LABEL_LINES, None, False).height
RIB_LEN = RIB_LEAD + LABEL_W + BADGE_GAP + BADGE_W + BONE_PAD + SLANT * MAX_ROW_H
COLUMN_W = RIB_LEN + COL_GAP
EFFECT_W = EFFECT_CHARS * CHAR_WIDTH * EFFECT_SIZE + 2 * EFFECT_PAD


def _rib(cause: dict, root_id: str | None) -> _Rib:
    count = cause.get("count", 1)
    badge = None if count < 2 else (str(count) if count <= MAX_BADGE else f"{MAX_BADGE}+")
    return _Rib(wrap(cause["text"], LABEL_CHARS, LABEL_LINES), badge, cause["id"] == root_id)


def _bone_length(ribs: list[_Rib]) -> float:
    return max(MIN_BONE, FAR_GAP + sum(r.height + ROW_GAP for r in ribs) + SPINE_CLEAR)


def fishbone(effect: str, categories: list[tuple[str, list[dict]]], root_id: str | None) -> Layout:
    """Lay out the fishbone of an effect and its causes: six (category, causes) pairs."""
    ribs = [(name, [_rib(c, root_id) for c in causes]) for name, causes in categories]
    top, bottom = ribs[:3], ribs[3:]
    top_h = max(_bone_length(r) for _, r in top)
    bottom_h = max(_bone_length(r) for _, r in bottom)
    effect_lines = wrap(effect, EFFECT_CHARS, EFFECT_LINES)
    effect_h = len(effect_lines) * EFFECT_LINE + 2 * EFFECT_PAD
    spine_y = MARGIN + max(CATEGORY_BOX_H + top_h, effect_h / 2)
    height = spine_y + max(bottom_h + CATEGORY_BOX_H, effect_h / 2) + MARGIN
    first_join = MARGIN + RIB_LEN + SLANT * max(top_h, bottom_h)
    effect_x = first_join + 2 * COLUMN_W + EFFECT_GAP
    drawing = Layout(math.ceil(effect_x + EFFECT_W + MARGIN), math.ceil(height), clean(effect))
    drawing.lines.append(Line(MARGIN, spine_y, effect_x, spine_y, INK, 4))
    for column, (name, column_ribs) in enumerate(top):
        _bone(drawing, name, column_ribs, first_join + column * COLUMN_W, spine_y, -top_h)
    for column, (name, column_ribs) in enumerate(bottom):
        _bone(drawing, name, column_ribs, first_join + column * COLUMN_W, spine_y, bottom_h)
    _effect(drawing, effect_lines, effect_x, spine_y, effect_h)
    return drawing


def _bone(drawing: Layout, name: str, ribs: list[_Rib], join_x: float, spine_y: float, h: float):
    """One category: its bone from the spine (h < 0 goes up), its box, and its ribs."""
    far_x, far_y = join_x - SLANT * abs(h), spine_y + h
    drawing.lines.append(Line(far_x, far_y, join_x, spine_y, INK, 2.5))
    _category_box(drawing, name, far_x, far_y, above=h < 0)
    spare = abs(h) - _bone_length(ribs) if ribs else 0
    step = spare / (len(ribs) + 1)
    # Above the spine rows run from the far end down; below, from the spine down.
    y = (far_y + FAR_GAP if h < 0 else spine_y + SPINE_CLEAR) + step
    for rib in ribs:
        _rib_at(drawing, rib, y, lambda at: join_x - SLANT * abs(at - spine_y))
        y += rib.height + ROW_GAP + step


def _rib_at(drawing: Layout, rib: _Rib, top: float, bone_x) -> None:
    """A rib whose label starts at top, ending on the bone (bone_x gives its x at a height)."""
    rib_y = top + rib.height
    label_x = min(bone_x(top), bone_x(rib_y)) - BONE_PAD - BADGE_W - BADGE_GAP - LABEL_W
    color, width = (ROOT, 2.5) if rib.root else (MUTED, 1.5)
    drawing.lines.append(Line(label_x - RIB_LEAD, rib_y, bone_x(rib_y), rib_y, color, width))
    baselines = [top + ASCENT * LABEL_SIZE + i * LABEL_LINE for i in range(len(rib.lines))]
    if rib.root:
        widest = max(text_width(line, LABEL_SIZE) for line in rib.lines)
        drawing.rects.append(
            Rect(label_x - 3, top - 2, widest + 6, rib_y - top - 1, ROOT_FILL, ROOT, 3)
        )
    for line, baseline in zip(rib.lines, baselines, strict=True):
        drawing.texts.append(Text(label_x, baseline, line, LABEL_SIZE, ROOT if rib.root else INK))
    if rib.badge:
        _badge(drawing, rib.badge, label_x + text_width(rib.lines[0], LABEL_SIZE), baselines[0])


def _badge(drawing: Layout, label: str, after_x: float, baseline: float) -> None:
    """A count in a pill just after the first line of a label."""
    w = text_width(label, BADGE_SIZE) + 8
    x, y = after_x + BADGE_GAP, baseline - ASCENT * LABEL_SIZE - 1
    drawing.rects.append(Rect(x, y, w, BADGE_H, ACCENT, None, BADGE_H / 2))
    text_y = y + BADGE_H / 2 + (ASCENT - DESCENT) / 2 * BADGE_SIZE
    drawing.texts.append(Text(x + 4, text_y, label, BADGE_SIZE, PAPER))


def _category_box(drawing: Layout, name: str, x: float, y: float, above: bool) -> None:
    """The category's name in a box at the far end of its bone."""
    w = text_width(name, CATEGORY_SIZE, bold=True) + 2 * CATEGORY_PAD
    top = y - CATEGORY_BOX_H if above else y
    drawing.rects.append(Rect(x - w / 2, top, w, CATEGORY_BOX_H, CATEGORY_FILL, ACCENT, 4))
    baseline = top + CATEGORY_BOX_H / 2 + (ASCENT - DESCENT) / 2 * CATEGORY_SIZE
    drawing.texts.append(Text(x - w / 2 + CATEGORY_PAD, baseline, name, CATEGORY_SIZE, INK, True))


def _effect(drawing: Layout, lines: list[str], x: float, spine_y: float, h: float) -> None:
    """The effect (problem statement) in the box at the head of the fish."""
    top = spine_y - h / 2
    drawing.rects.append(Rect(x, top, EFFECT_W, h, EFFECT_FILL, None, 6))
    for i, line in enumerate(lines):
        baseline = top + EFFECT_PAD + ASCENT * EFFECT_SIZE + i * EFFECT_LINE
        drawing.texts.append(Text(x + EFFECT_PAD, baseline, line, EFFECT_SIZE, PAPER))
