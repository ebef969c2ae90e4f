"""The typeface of the review pack and its charts: DejaVu Sans where the machine has it, so that
names in any European script print as written, else Helvetica with the audit report's folding
(a letter outside Windows-1252 without its accent, anything else as a missing-glyph square).

DejaVu Sans is looked for in the usual font folders (Debian's fonts-dejavu-core puts it in
/usr/share/fonts/truetype/dejavu) and embedded as a subset: only the glyphs used. A character
that it lacks too (CJK, emoji), or of a script written right to left (which ReportLab would
lay out backwards), is printed as a white square, and the pack then says so.
"""

import functools
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from server.audits.report import printable

FONT_FOLDERS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/share/fonts/TTF"),
    Path("/usr/local/share/fonts"),
)
REGULAR, BOLD = "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"
MISSING = "\u25a1"  # a white square where a character has no glyph
RIGHT_TO_LEFT = ("R", "AL")


@dataclass(frozen=True)
class Typeface:
    """Font names for ReportLab and the function that makes any text printable in them."""

    regular: str
    bold: str
    fold: Callable[[object], str]
    covers: Callable[[str], bool]

    def text(self, value) -> str:
        """value as these fonts can print it."""
        return self.fold(value)

    def prints_as_written(self, value) -> bool:
        """True when every string in value (dicts, lists, text) prints exactly as written."""
        if isinstance(value, str):
            text = unicodedata.normalize("NFC", value)
            return all(char in "\r\n" or self.covers(char) for char in text)
        if isinstance(value, dict):
            return all(self.prints_as_written(item) for item in value.values())
        if isinstance(value, list | tuple):
            return all(self.prints_as_written(item) for item in value)
        return True


def _plain(value) -> str:
    """Any text without its control characters: a browser draws the rest in its own fonts."""
    text = unicodedata.normalize("NFC", "" if value is None else str(value))
    return "".join(_plain_char(char) for char in text.replace("\r\n", "\n"))


def _plain_char(char: str) -> str:
    category = unicodedata.category(char)
    if category == "Cs":
        return "\ufffd"
    return "" if category in ("Cc", "Cf") and char != "\n" else char


def _in_cp1252(char: str) -> bool:
    return (
        unicodedata.category(char) not in ("Cc", "Cf", "Cs")
        and char.encode("cp1252", "ignore") != b""
    )


# Latin letters with a stroke that Unicode does not decompose: their base letter in Helvetica.
STROKED = str.maketrans("ŁłĐđĦħıŦŧĿŀ", "LlDdHhiTtLl")


def _folded(value) -> str:
    return printable(("" if value is None else str(value)).translate(STROKED))


HELVETICA = Typeface("Helvetica", "Helvetica-Bold", _folded, _in_cp1252)
# For SVG: the browser picks a sans-serif face for Helvetica and draws any script.
BROWSER = Typeface("Helvetica", "Helvetica-Bold", _plain, lambda char: _plain_char(char) == char)


def _find(name: str) -> Path | None:
    return next((folder / name for folder in FONT_FOLDERS if (folder / name).is_file()), None)


@functools.cache
def pack_typeface() -> Typeface:
    """DejaVu Sans registered with ReportLab when both its files are found, else Helvetica."""
    regular, bold = _find(REGULAR), _find(BOLD)
    if regular is None or bold is None:
        return HELVETICA
    pdfmetrics.registerFont(TTFont("PackSans", str(regular)))
    pdfmetrics.registerFont(TTFont("PackSans-Bold", str(bold)))
    pdfmetrics.registerFontFamily(
        "PackSans",
        normal="PackSans",
        bold="PackSans-Bold",
        italic="PackSans",
        boldItalic="PackSans-Bold",
    )
    return Typeface("PackSans", "PackSans-Bold", _dejavu_text, _in_dejavu)


@functools.cache
def _covered() -> frozenset[int]:
    """The code points both DejaVu faces hold a glyph for."""
    faces = [pdfmetrics.getFont(name).face for name in ("PackSans", "PackSans-Bold")]
    return frozenset(faces[0].charToGlyph) & frozenset(faces[1].charToGlyph)


@functools.cache
def _dejavu_char(char: str) -> str:
    if char == "\n":
        return char
    if char == "\t":
        return " "
    category = unicodedata.category(char)
    if category in ("Cc", "Cf"):
        return ""
    if category == "Cs":
        return "\ufffd"
    if unicodedata.bidirectional(char) in RIGHT_TO_LEFT:
        return MISSING  # ReportLab lays text out left to right: such words would read backwards
    if ord(char) in _covered():
        return char
    folded = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    if folded and all(ord(c) in _covered() for c in folded):
        return folded
    return "" if unicodedata.combining(char) else MISSING


def _in_dejavu(char: str) -> bool:
    return (
        unicodedata.category(char) not in ("Cc", "Cf", "Cs")
        and unicodedata.bidirectional(char) not in RIGHT_TO_LEFT
        and ord(char) in _covered()
    )


def _dejavu_text(value) -> str:
    text = unicodedata.normalize("NFC", "" if value is None else str(value))
    return "".join(_dejavu_char(char) for char in text.replace("\r\n", "\n"))
