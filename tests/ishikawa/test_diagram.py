"""The fishbone drawn: SVG and PNG from one layout, no overlapping labels, all inside the view."""

import io
import itertools
import xml.etree.ElementTree as ET

import pytest
from PIL import Image

from server.ishikawa import layout, render
from server.ishikawa.cues import CATEGORIES
from server.ishikawa.jobs import build_analysis
from server.ishikawa.mining import make_cause
from tests.ishikawa.helpers import analysis_url, edit

SVG = "{http://www.w3.org/2000/svg}"
TEXTS = [
    "Guard missing",
    'Operator said "it\'s <fine> & safe" while the press ran',
    "Oil leak under press 4 spreading across the walkway to the loading bay doors and beyond",
    "Pneumonoultramicroscopicsilicovolcanoconiosis-grade dust everywhere in the shop",
]


def categories(per_category: int) -> list[tuple[str, list[dict]]]:
    """per_category causes in each category, of varied lengths, counts and characters."""
    texts = itertools.cycle(TEXTS)
    return [
        (
            name,
            [
                make_cause(f"{name}-{n}", name, next(texts), "report", count=(n * 37) % 1500 + 1)
                for n in range(per_category)
            ],
        )
        for name in CATEGORIES
    ]


def overlaps(a: tuple, b: tuple) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def element_boxes(svg_text: str) -> tuple[tuple, list[tuple], list[tuple]]:
    """The viewBox, the box of every text (by the layout's own estimate) and of every shape."""
    root = ET.fromstring(svg_text)
    view = tuple(float(v) for v in root.get("viewBox").split())
    texts, shapes = [], []
    for element in root.iter():
        tag, get = element.tag.removeprefix(SVG), lambda name, e=element: float(e.get(name))
        if tag == "text":
            bold = element.get("font-weight") == "bold"
            texts.append(layout.text_box(get("x"), get("y"), element.text, get("font-size"), bold))
        elif tag == "line":
            xs, ys = sorted([get("x1"), get("x2")]), sorted([get("y1"), get("y2")])
            shapes.append((xs[0], ys[0], xs[1], ys[1]))
        elif tag == "rect":
            x, y = get("x"), get("y")
            shapes.append((x, y, x + get("width"), y + get("height")))
    return view, texts, shapes


@pytest.mark.parametrize("per_category", [0, 1, 12])
def test_labels_never_overlap_and_everything_fits(per_category):
    drawing = layout.fishbone(TEXTS[2], categories(per_category), "Machines-0")
    view, texts, shapes = element_boxes(render.svg(drawing))
    assert view == (0, 0, drawing.width, drawing.height)
    assert len(texts) >= 6 + 1 + per_category * 6
    for a, b in itertools.combinations(texts, 2):
        assert not overlaps(a, b), (a, b)
    for left, top, right, bottom in texts + shapes:
        assert 0 <= left <= right <= drawing.width and 0 <= top <= bottom <= drawing.height
    image = Image.open(io.BytesIO(render.png(drawing)))
    image.load()
    assert (image.format, image.size) == ("PNG", (drawing.width, drawing.height))


def test_the_drawing_grows_with_the_causes():
    sizes = [layout.fishbone("Effect", categories(n), None) for n in (0, 1, 12)]
    heights = [d.height for d in sizes]
    assert heights[0] <= heights[1] < heights[2]
    one_bone = [(n, c if n == "Methods" else []) for n, c in categories(20)]
    assert layout.fishbone("Effect", one_bone, None).height > heights[2] / 2


def test_long_text_is_wrapped_then_cut_with_an_ellipsis():
    lines = layout.wrap(TEXTS[2] + " " + TEXTS[2], layout.LABEL_CHARS, layout.LABEL_LINES)
    assert len(lines) == layout.LABEL_LINES
    assert all(len(line) <= layout.LABEL_CHARS for line in lines)
    assert lines[-1].endswith("…")
    assert layout.wrap("Short", 30, 2) == ["Short"]
    assert layout.wrap("", 30, 2) == [""]


def test_text_is_escaped_and_characters_xml_forbids_are_dropped():
    cause = make_cause("x", "People", "<script>alert('hi')</script> & \x00\x07co", "officer")
    people = [("People", [cause])] + [(name, []) for name in CATEGORIES[1:]]
    svg = render.svg(layout.fishbone('Effect "quoted" <b>', people, "x"))
    assert "<script>" not in svg and "<b>" not in svg
    texts = [t.text for t in ET.fromstring(svg).iter(f"{SVG}text")]
    assert "<script>alert('hi')</script> & co" in " ".join(texts)
    assert 'Effect "quoted" <b>' in texts
    assert ET.fromstring(svg).find(f"{SVG}title").text == 'Ishikawa diagram: Effect "quoted" <b>'


def test_counts_show_as_badges_and_the_root_cause_stands_out():
    causes = [
        make_cause("a", "People", "Tired", "related", 5),
        make_cause("b", "People", "X", "officer"),
        make_cause("c", "People", "Many", "related", 12345),
    ]
    drawing = layout.fishbone("E", [("People", causes)] + [(n, []) for n in CATEGORIES[1:]], "b")
    texts = [t.text for t in drawing.texts]
    assert "5" in texts and "999+" in texts and "1" not in texts
    assert [t.text for t in drawing.texts if t.fill == layout.ROOT] == ["X"]
    assert any(r.stroke == layout.ROOT for r in drawing.rects)


def test_the_same_analysis_draws_the_same_bytes():
    first = layout.fishbone("Effect", categories(3), "People-1")
    second = layout.fishbone("Effect", categories(3), "People-1")
    assert render.svg(first) == render.svg(second)
    assert render.png(first) == render.png(second)


def test_the_diagram_endpoints(client, plant, officer):
    client.post(analysis_url(plant.report))
    build_analysis(plant.report.pk)
    version = client.get(analysis_url(plant.report)).json["version"]
    edit(client, plant.report, version, {"op": "set_root_cause", "id": "report-guard"})
    svg = client.get(analysis_url(plant.report, "/diagram.svg"))
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    root = ET.fromstring(svg.data)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "Machine guard or interlock" in texts and "People" in texts
    png = client.get(analysis_url(plant.report, "/diagram.png"))
    assert png.status_code == 200 and png.mimetype == "image/png"
    image = Image.open(io.BytesIO(png.data))
    assert image.size == (int(root.get("width")), int(root.get("height")))
