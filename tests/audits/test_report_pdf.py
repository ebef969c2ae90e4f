"""The audit report PDF, read back with poppler (pdftotext, pdftoppm, pdfimages): scores, findings
with their photos and hashes, sign-off; an audit without findings; hostile text; the endpoint."""

import re
import subprocess
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image

from server.audits.report import audit_report_pdf, render_audit_report, thumbnail_source
from server.auth.access import actor_for
from server.exceptions import NotFound
from tests.factories import make_organization, make_user
from tests.media.images import jpeg, sha256

SIGNED_AT = datetime(2026, 11, 20, 14, 5, 30, tzinfo=UTC)
LONG_NOTE = ("Handrail missing on the mezzanine stair, east side. " * 100)[:5000]


# --- reading a PDF back -------------------------------------------------------------------


def pdf_text(pdf: bytes, folder: Path, layout: bool = False) -> str:
    """The PDF's text as pdftotext reads it: in reading order, or laid out as on the page."""
    source = folder / "report.pdf"
    source.write_bytes(pdf)
    options = ["-layout"] if layout else []
    done = subprocess.run(
        ["pdftotext", *options, "-enc", "UTF-8", str(source), "-"], capture_output=True, check=True
    )
    return done.stdout.decode()


def pdf_pages(pdf: bytes, folder: Path) -> list[Path]:
    """Each page as a PNG at 60 dpi (pdftoppm)."""
    source = folder / "pages.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(source), str(folder / "page")], check=True)
    return sorted(folder.glob("page-*.png"))


def pdf_images(pdf: bytes, folder: Path) -> list[tuple[int, int]]:
    """Width and height of each image drawn in the PDF (pdfimages -list)."""
    source = folder / "images.pdf"
    source.write_bytes(pdf)
    listing = subprocess.run(
        ["pdfimages", "-list", str(source)], capture_output=True, check=True, text=True
    ).stdout
    rows = [line.split() for line in listing.splitlines()[2:] if line.strip()]
    return [(int(row[3]), int(row[4])) for row in rows]


def hash_under_photo(digest: str) -> str:
    """A SHA-256 as printed under its photo: two lines of 32 hexadecimal digits."""
    return f"{digest[:32]}\n{digest[32:]}"


# --- the audit ----------------------------------------------------------------------------


@pytest.fixture
def photos(client, auth, plant) -> list[str]:
    """Five photos the plant's organization holds (uploaded by its auditor), by SHA-256."""
    assert auth.login(plant.auditor.email).status_code == 200
    hashes = []
    for number in range(5):
        size = (1600, 1200) if number % 2 == 0 else (900, 1600)
        data = jpeg(size, quality=80 + number)
        response = client.put(f"/api/photos/{sha256(data)}", data=data, content_type="image/jpeg")
        assert response.status_code == 201, response.json
        hashes.append(sha256(data))
    return hashes


def question(ref: str, text: str) -> dict:
    return {"id": str(uuid.uuid4()), "ref": ref, "text": text, "guidance": "", "weight": 2}


SECTIONS = [
    {
        "ref": "5",
        "title": "Leadership and worker participation",
        "questions": [question("5.4", "Are workers consulted on hazards and controls?")],
    },
    {
        "ref": "8",
        "title": "Operation",
        "questions": [
            question("8.1.2", "Are risks reduced by the hierarchy of controls?"),
            question("8.1.3", "Are changes planned before they are made?"),
        ],
    },
    {
        "ref": "10",
        "title": "Improvement",
        "questions": [question("10.3", "Is continual improvement pursued?")],
    },
]


def finding(ref: str, clause: str, result: str, notes: str, photos=(), nc_id=None) -> dict:
    text = next(q["text"] for s in SECTIONS for q in s["questions"] if q["ref"] == ref)
    return {
        "question_id": str(uuid.uuid4()),
        "ref": ref,
        "clause": clause,
        "text": text,
        "result": result,
        "notes": notes,
        "photos": list(photos),
        "nonconformity_id": nc_id,
    }


def audit_view(plant, photos: list[str], **overrides) -> dict:
    """An audit view as GET /api/audits/{id} gives it: 3 sections, 3 findings (2 with
    photos), 1 observation, signed off."""
    view = {
        "id": uuid.uuid4(),
        "site_id": plant.north.id,
        "site_name": "North Plant",
        "site_time_zone": "Europe/Berlin",
        "status": "submitted",
        "due_on": datetime(2026, 11, 20).date(),
        "auditor": {"id": plant.auditor.id, "name": "Alex Auditor"},
        "auditee": {"id": plant.officer.id, "name": "Sam Supervisor"},
        "template": {
            "id": uuid.uuid4(),
            "name": "Plant safety audit",
            "standard": "ISO 45001:2018",
            "version": 3,
            "sections": SECTIONS,
        },
        "started_at": datetime(2026, 11, 20, 8, 2, 11, tzinfo=UTC),
        "signed_at": SIGNED_AT,
        "submitted_at": datetime(2026, 11, 20, 14, 6, 2, tzinfo=UTC),
        "progress": {"answered": 4, "total": 4},
        "score": {
            "overall": 37.5,
            "by_section": [
                {
                    "ref": "5",
                    "title": SECTIONS[0]["title"],
                    "percent": 50.0,
                    "earned": 1.0,
                    "possible": 2.0,
                },
                {"ref": "8", "title": "Operation", "percent": 25.0, "earned": 1.0, "possible": 4.0},
                {
                    "ref": "10",
                    "title": "Improvement",
                    "percent": None,
                    "earned": 0.0,
                    "possible": 0.0,
                },
            ],
        },
        "findings": [
            finding("5.4", "5", "minor_nc", "Committee minutes missing for March.", photos[:1]),
            finding("8.1.2", "8", "major_nc", "No guard on press 4.", photos[1:4], uuid.uuid4()),
            finding("8.1.3", "8", "minor_nc", "The new conveyor had no change review."),
        ],
        "observations": [
            {**finding("10.3", "10", "observation", "Share near-miss trends monthly.", photos[4:])}
        ],
    }
    return view | overrides


# --- the report ---------------------------------------------------------------------------


def test_the_report_shows_scores_findings_photos_and_the_sign_off(app, plant, photos, tmp_path):
    view = audit_view(plant, photos)
    pdf = render_audit_report(view, thumbnail_source(plant.organization.id), "Acme Fabrication")
    assert pdf.startswith(b"%PDF-")
    text = pdf_text(pdf, tmp_path)

    for expected in ("Acme Fabrication", "Internal audit report", "Plant safety audit"):
        assert expected in text
    assert "ISO 45001:2018, template version 3" in text
    assert str(view["id"]) in text
    assert "Overall score: 37.5 %" in text
    # Each section's line of the table: ref, title, earned / possible, percent.
    table = pdf_text(pdf, tmp_path, layout=True)
    assert re.search(r"^ *Ref +Section +Earned / possible +Score *$", table, re.M)
    assert re.search(r"^ *5 +Leadership and worker participation +1 ?/ ?2 +50 % *$", table, re.M)
    assert re.search(r"^ *8 +Operation +1 ?/ ?4 +25 % *$", table, re.M)
    assert re.search(r"^ *10 +Improvement +- +n/a *$", table, re.M)
    rows = re.sub(r"\s+", " ", text)
    assert (
        "Sections audited: 5 Leadership and worker participation; 8 Operation; 10 Improvement."
        in rows
    )
    for item in view["findings"] + view["observations"]:
        assert f"clause {item['clause']} — question {item['ref']}" in text
        assert item["notes"] in text
        assert item["text"] in text
    assert "1. Minor NC — clause 5" in text and "2. Major NC — clause 8" in text
    assert f"Nonconformity: {view['findings'][1]['nonconformity_id']}" in text
    assert "1. Observation — clause 10 — question 10.3" in text
    for digest in photos:
        assert hash_under_photo(digest) in text
    assert "Photo not held" not in text
    assert "Alex Auditor" in text and "Sam Supervisor" in text
    assert (
        "Signed off by Alex Auditor at 2026-11-20 14:05:30 UTC "
        "(2026-11-20 15:05:30 Europe/Berlin, UTC+01:00)" in rows
    )
    assert "cannot be printed in this report's font" not in rows


def test_its_photos_are_the_thumbnails_and_every_page_renders(app, plant, photos, tmp_path):
    pdf = render_audit_report(
        audit_view(plant, photos), thumbnail_source(plant.organization.id), "Acme Fabrication"
    )
    sizes = pdf_images(pdf, tmp_path)
    assert len(sizes) == len(photos)
    assert all(max(size) <= 320 for size in sizes)  # not the 1600 px originals
    pages = pdf_pages(pdf, tmp_path)
    total = len(pages)
    assert total >= 2
    text = pdf_text(pdf, tmp_path)
    for number in range(1, total + 1):
        assert f"page {number} of {total}" in text
    for page in pages:
        with Image.open(page) as image:
            width, height = image.size
            assert abs(width - 496) <= 1 and abs(height - 702) <= 1  # A4 at 60 dpi
            darkest, _ = image.convert("L").getextrema()
            assert darkest < 64  # something is drawn on it


def test_a_photo_the_organization_does_not_hold_is_named_not_shown(
    app, plant, photos, client, auth, tmp_path
):
    """Another organization's photo: its hash is printed, its image is not."""
    stranger = make_user(make_organization())
    assert auth.login(stranger.email).status_code == 200
    data = jpeg((640, 480), quality=70)
    response = client.put(f"/api/photos/{sha256(data)}", data=data, content_type="image/jpeg")
    assert response.status_code == 201
    view = audit_view(plant, photos)
    view["findings"][2]["photos"] = [sha256(data)]
    pdf = render_audit_report(view, thumbnail_source(plant.organization.id), "Acme Fabrication")
    text = pdf_text(pdf, tmp_path)
    assert "Photo not held" in text
    assert hash_under_photo(sha256(data)) in text
    assert len(pdf_images(pdf, tmp_path)) == len(photos)


def test_an_audit_without_findings_says_so(app, plant, tmp_path):
    view = audit_view(plant, [], findings=[], observations=[], signed_at=None, status="in_progress")
    view["score"] = {"overall": None, "by_section": []}
    view["progress"] = {"answered": 0, "total": 4}
    pdf = render_audit_report(view, thumbnail_source(plant.organization.id), "Acme Fabrication")
    text = re.sub(r"\s+", " ", pdf_text(pdf, tmp_path))
    assert "No nonconformities were found." in text
    assert "No observations were recorded." in text
    assert "Overall score so far: n/a (0 of 4 questions answered)" in text
    assert "0 minor NC, 0 major NC, 0 observations" in text
    assert "Not signed off" in text
    assert "this report is a draft" in text
    assert len(pdf_pages(pdf, tmp_path)) == 1


def test_hostile_text_renders(app, plant, photos, tmp_path):
    """Markup, ampersands, emoji, CJK, controls and a 5,000-character note print without harm."""
    view = audit_view(plant, photos)
    view["site_name"] = "<b>Nord</b> & Süd 工場"
    view["auditor"]["name"] = "Zoë Dvořák 👷\u200d♀️"
    view["findings"][0]["notes"] = "Spill <script>alert(1)</script> & <b>bold</b> 🙂 漏油 \x07end"
    view["findings"][1]["notes"] = LONG_NOTE
    view["observations"][0]["notes"] = "ﬁre exit\tblocked\r\nby pallets"
    pdf = render_audit_report(view, thumbnail_source(plant.organization.id), "Acme & <Sons>")
    text = pdf_text(pdf, tmp_path)
    flat = re.sub(r"\s+", " ", text)

    assert "Acme & <Sons>" in text
    assert "<b>Nord</b> & Süd ■■" in text  # CJK as ReportLab's missing-glyph square
    assert "Spill <script>alert(1)</script> & <b>bold</b> ■ ■■ end" in text
    assert "Zoe Dvorak" not in text and "Zoë Dvorák" in text  # ř loses its caron, ë stays
    assert "fire exit blocked" in flat  # the ligature as two letters, the tab as a space
    assert "by pallets" in text
    # The long note is there in full, wrapped over lines (and pages).
    assert flat.count("Handrail missing on the mezzanine stair, east side.") == 5000 // 52
    assert "cannot be printed in this report's font" in flat
    assert len(pdf_pages(pdf, tmp_path)) >= 3


def test_a_word_longer_than_a_line_and_long_titles_do_not_break_the_layout(
    app, plant, photos, tmp_path
):
    view = audit_view(plant, photos)
    view["findings"][0]["notes"] = "x" * 3000
    view["template"]["name"] = "T" * 2000
    view["score"]["by_section"][1]["title"] = "Operation " * 200
    pdf = render_audit_report(view, thumbnail_source(plant.organization.id), "O" * 1000)
    text = pdf_text(pdf, tmp_path)
    assert re.sub(r"\s+", "", text).count("x" * 3000) == 1
    assert "Operation Operation" in text and "..." in text  # the table cell is cut short


# --- a real audit -------------------------------------------------------------------------


@pytest.fixture
def signed_off(plant, phone, client):
    """An audit of the plant's template run by its auditor through the API, with two photos,
    a major NC, a minor NC and an observation, signed off; its view as the API gives it."""
    auditor = phone(plant.auditor)
    hashes = []
    for size in ((1200, 900), (900, 1200)):
        data = jpeg(size)
        response = client.put(f"/api/photos/{sha256(data)}", data=data, content_type="image/jpeg")
        assert response.status_code == 201
        hashes.append(sha256(data))
    audit = auditor.start(plant.template, plant.north)
    answers = {"7.1": ("major_nc", "Guard off the band saw", hashes[:1])}
    answers |= {"4.2": ("minor_nc", "No survey of workers' needs", [])}
    answers |= {"9.1": ("observation", "Monitoring could be monthly", hashes[1:])}
    items = []
    for section in audit["template"]["sections"]:
        for q in section["questions"]:
            result, notes, photos = answers.get(q["ref"], ("conforming", None, []))
            items.append(auditor.answer(audit, q["ref"], result, notes=notes, photos=photos))
    assert {r["status"] for r in auditor.sync(*items)} == {"created"}
    assert auditor.submit(audit, "2026-11-20T14:05:30+00:00").status_code == 200
    return auditor.get(audit), hashes


def test_the_report_of_an_audit_run_through_the_api(app, plant, signed_off, tmp_path):
    view, hashes = signed_off
    actor = actor_for(plant.auditor.memberships[0])
    text = pdf_text(audit_report_pdf(actor, uuid.UUID(view["id"])), tmp_path)
    flat = re.sub(r"\s+", " ", text)
    assert plant.organization.name in text and "Plant audit" in text and "North Plant" in text
    assert f"Overall score: {view['score']['overall']:g} %" in text
    major, minor = view["findings"][1], view["findings"][0]
    assert (major["result"], minor["result"]) == ("major_nc", "minor_nc")
    assert "Major NC — clause 7 — question 7.1" in text
    assert f"Nonconformity: {major['nonconformity_id']}" in text
    assert f"Nonconformity: {minor['nonconformity_id']}" in text
    assert "Observation — clause 9 — question 9.1" in text
    for digest in hashes:
        assert hash_under_photo(digest) in text
    assert "Signed off by Test User at 2026-11-20 14:05:30 UTC." in flat  # the site is in UTC


def test_the_report_is_only_for_those_who_may_open_the_audit(app, plant, signed_off):
    view, _ = signed_off
    audit_id = uuid.UUID(view["id"])
    officer = actor_for(plant.officer.memberships[0])
    assert audit_report_pdf(officer, audit_id).startswith(b"%PDF-")
    stranger = make_user(make_organization(), role="officer")
    for person in (plant.worker, plant.other_auditor, plant.south_officer, stranger):
        with pytest.raises(NotFound):
            audit_report_pdf(actor_for(person.memberships[0]), audit_id)


def test_get_the_report_pdf(app, plant, signed_off, client, auth, tmp_path):
    view, hashes = signed_off
    response = client.get(f"/api/audits/{view['id']}/report.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == f'inline; filename="audit-{view["id"]}.pdf"'
    text = pdf_text(response.data, tmp_path)
    assert str(view["id"]) in text
    for item in view["findings"]:
        assert f"Nonconformity: {item['nonconformity_id']}" in text
    for digest in hashes:
        assert hash_under_photo(digest) in text

    stranger = make_user(make_organization(), role="officer")
    for person, status in (
        (plant.officer, 200),
        (plant.south_officer, 404),
        (plant.other_auditor, 404),
        (stranger, 404),
        (plant.worker, 403),
    ):
        assert auth.login(person.email).status_code == 200
        got = client.get(f"/api/audits/{view['id']}/report.pdf")
        assert got.status_code == status, person.email
        if status != 200:
            assert got.mimetype == "application/problem+json"
    assert client.get(f"/api/audits/{uuid.uuid4()}/report.pdf").status_code == 403
    auth.login(plant.officer.email)
    assert client.get(f"/api/audits/{uuid.uuid4()}/report.pdf").status_code == 404
