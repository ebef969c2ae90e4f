"""Drawing a laid-out fishbone: SVG written by hand, PNG drawn with Pillow, same geometry."""

import functools
import io
from pathlib import Path
from xml.sax.saxutils import escape

from PIL import Image, ImageDraw, ImageFont

from server.ishikawa.layout import PAPER, Layout, Text, text_width

# Condensed glyphs stay inside the layout's width estimate for all but shouting text.
SVG_FONTS = "'DejaVu Sans Condensed', 'DejaVu Sans', Arial, Helvetica, sans-serif"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_FILES = {
    False: FONT_DIR / "DejaVuSansCondensed.ttf",
    True: FONT_DIR / "DejaVuSansCondensed-Bold.ttf",
}


def _n(value: float) -> str:
    """A coordinate with at most one decimal, the same on every run."""
    return f"{round(value, 1):g}"


def svg(layout: Layout) -> str:
    """The drawing as an SVG document; all text escaped."""
    w, h = layout.width, layout.height
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" '
        f'viewBox="0 0 {w} {h}" font-family="{SVG_FONTS}" role="img">',
        f"<title>{escape('Ishikawa diagram: ' + layout.title)}</title>",
        f'<rect x="0" y="0" width="{w}" height="{h}" fill="{PAPER}"/>',
    ]
    parts += [
        f'<line x1="{_n(ln.x1)}" y1="{_n(ln.y1)}" x2="{_n(ln.x2)}" y2="{_n(ln.y2)}" '
        f'stroke="{ln.stroke}" stroke-width="{_n(ln.width)}" stroke-linecap="round"/>'
        for ln in layout.lines
    ]
    parts += [_svg_rect(rect) for rect in layout.rects]
    parts += [
        f'<text x="{_n(t.x)}" y="{_n(t.y)}" font-size="{_n(t.size)}" fill="{t.fill}"'
        + (' font-weight="bold"' if t.bold else "")
        + f">{escape(t.text)}</text>"
        for t in layout.texts
    ]
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _svg_rect(rect) -> str:
    stroke = f' stroke="{rect.stroke}" stroke-width="1.5"' if rect.stroke else ""
    return (
        f'<rect x="{_n(rect.x)}" y="{_n(rect.y)}" width="{_n(rect.w)}" height="{_n(rect.h)}" '
        f'rx="{_n(rect.radius)}" fill="{rect.fill}"{stroke}/>'
    )


@functools.cache
def _font(size: float, bold: bool):
    """DejaVu Sans Condensed when installed, else Pillow's own scalable font."""
    path = FONT_FILES[bold]
    if path.exists():
        return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size=size)


def _fitted_font(t: Text):
    """The font for t, smaller when its real glyphs are wider than the layout's estimate."""
    font = _font(t.size, t.bold)
    if not isinstance(font, ImageFont.FreeTypeFont) or not t.text:
        return font
    room, needed = text_width(t.text, t.size, t.bold), font.getlength(t.text)
    return font if needed <= room else _font(max(6, int(t.size * room / needed)), t.bold)


def png(layout: Layout) -> bytes:
    """The drawing as PNG bytes, layout.width x layout.height pixels."""
    image = Image.new("RGB", (layout.width, layout.height), PAPER)
    draw = ImageDraw.Draw(image)
    for ln in layout.lines:
        draw.line([(ln.x1, ln.y1), (ln.x2, ln.y2)], fill=ln.stroke, width=round(ln.width))
    for rect in layout.rects:
        box = [rect.x, rect.y, rect.x + rect.w, rect.y + rect.h]
        outline = 1 if rect.stroke else 0
        draw.rounded_rectangle(
            box, radius=rect.radius, fill=rect.fill, outline=rect.stroke, width=outline
        )
    for t in layout.texts:
        font = _fitted_font(t)
        if isinstance(font, ImageFont.FreeTypeFont):
            draw.text((t.x, t.y), t.text, fill=t.fill, font=font, anchor="ls")
        else:
            draw.text((t.x, t.y - t.size), t.text, fill=t.fill, font=font)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
