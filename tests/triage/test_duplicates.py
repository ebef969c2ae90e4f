"""Possible duplicates: same site, near in place and time, alike in words or photo; measured."""

import io
import random
import threading
import uuid
from datetime import UTC, datetime, timedelta

from PIL import Image, ImageDraw, ImageEnhance
from sqlalchemy import func, select, text

from server.extensions import db
from server.media.models import Photo
from server.reports.models import Report
from server.triage.jobs import triage_report
from server.triage.models import DuplicateCandidate
from tests.factories import make_site
from tests.media.images import sha256
from tests.triage.helpers import MEASURES, report_pk, triage

BASE = datetime.now(UTC) - timedelta(days=5)
HERE = (53.4808, -2.2426)
METRE = 1 / 111_320  # degrees of latitude


def stored(site, description: str, hours: float = 0, metres: float = 0, located: bool = True):
    """A received report at the site, observed hours after BASE, metres north of HERE."""
    report = Report(
        id=uuid.uuid4(),
        organization_id=site.organization_id,
        site_id=site.id,
        kind="hazard",
        description=description,
        observed_at=BASE + timedelta(hours=hours),
        received_at=BASE + timedelta(hours=hours),
        changed_at=BASE,
        latitude=HERE[0] + metres * METRE if located else None,
        longitude=HERE[1] if located else None,
        accuracy_m=8 if located else None,
        status="received",
        content_hash=uuid.uuid4().hex * 2,
    )
    db.session.add(report)
    db.session.commit()
    return report


def linked(a: Report, b: Report) -> DuplicateCandidate | None:
    low, high = sorted((a.pk, b.pk))
    return db.session.scalar(
        select(DuplicateCandidate).where(
            DuplicateCandidate.report_pk == low, DuplicateCandidate.other_report_pk == high
        )
    )


# (first report, second report, should they be linked); each is (description, hours, metres).
PAIRS = [
    (
        ("Oil leak under press 4, floor slippery", 0, 0),
        ("press 4 leaking oil again, slippy floor", 2, 10),
        True,
    ),
    (
        ("Fire exit at the back of warehouse B blocked by pallets", 0, None),
        ("pallets blocking fire exit warehouse B", 20, 0),
        True,
    ),
    (
        ("Handrail loose on stairs to the mezzanine", 0, 0),
        ("loose handrail on mezz stairs, wobbles", 0.5, 5),
        True,
    ),
    (
        ("scaffold tower missing toe boards bay 3", 0, 0),
        ("toe boards missing on the tower in bay 3", 6, 20),
        True,
    ),
    (
        ("Exposed wires at the charging point for the forklifts", 0, 0),
        ("forklift charging point has bare wires showing", 3, 15),
        True,
    ),
    (
        ("Oil leak press 4", 0, 0),
        ("big oil leak under press 4 again, hydraulic hose split, nearly slipped on it", 1, 5),
        True,
    ),
    (
        ("Fire exit blocked by pallets in warehouse B", 0, 10),
        ("Forklift speeding in warehouse B", 1, 0),
        False,
    ),
    (
        ("oil leak on press 4", 0, 0),
        ("oil leak on the generator", 2, 30),
        False,
    ),
    (
        ("Pothole on the access road by gate 1", 0, 0),
        ("pothole on the access road by gate 3", 4, 1500),
        False,
    ),
    (
        ("Trip hazard: cable across walkway in office 2", 0, 0),
        ("trip hazard cable across walkway in office 5", 5, 10),
        False,
    ),
    (
        ("Extinguisher missing by the welding bay", 0, 0),
        ("Extinguisher missing by the welding bay", 24 * 10, 0),
        False,
    ),
]


def test_pairs_precision_and_recall(app, plant):
    outcomes = []
    for first, second, expected in PAIRS:
        site = make_site(plant["organization"])
        a = stored(site, first[0], first[1], first[2] or 0, first[2] is not None)
        b = stored(site, second[0], second[1], second[2] or 0, second[2] is not None)
        triage_report(a.pk)
        triage_report(b.pk)
        outcomes.append((expected, linked(a, b) is not None, second[0]))
    true_positives = sum(expected and found for expected, found, _ in outcomes)
    precision = true_positives / max(1, sum(found for _, found, _ in outcomes))
    recall = true_positives / sum(expected for expected, _, _ in outcomes)
    backend = db.engine.dialect.name
    MEASURES[f"duplicate pairs ({backend})"] = (
        f"precision {precision:.0%}, recall {recall:.0%} over {len(outcomes)} pairs; "
        f"wrong: {[text for expected, found, text in outcomes if expected != found]}"
    )
    assert precision >= 0.8 and recall >= 0.8, outcomes


def test_a_duplicate_on_another_site_is_not_linked(app, plant):
    a = stored(plant["north"], "Oil leak under press 4, floor slippery")
    b = stored(plant["south"], "Oil leak under press 4, floor slippery", 1)
    triage_report(a.pk)
    triage_report(b.pk)
    assert linked(a, b) is None


def test_a_link_has_a_score_reasons_and_is_stored_once(client, auth, plant):
    a = stored(plant["north"], "Oil leak under press 4, floor slippery")
    b = stored(plant["north"], "press 4 leaking oil again, slippy floor", 2, 10)
    for pk in (a.pk, b.pk, a.pk, b.pk):
        triage_report(pk)
    assert db.session.scalar(select(func.count()).select_from(DuplicateCandidate)) == 1
    auth.login(plant["north_officer"].email)
    for mine, other in ((a, b), (b, a)):
        (duplicate,) = client.get(f"/api/reports/{mine.id}/triage").json["duplicates"]
        assert duplicate["report_id"] == str(other.id)
        assert 0.45 <= duplicate["score"] <= 1 and duplicate["status"] == "suggested"
        assert any("apart" in reason for reason in duplicate["reasons"])
        assert any("alike" in reason for reason in duplicate["reasons"])


def scene(seed: int, size: tuple[int, int] = (800, 600)) -> Image.Image:
    """A picture of coloured shapes on a gradient, different for each seed."""
    rng = random.Random(seed)
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x, y = rng.randrange(size[0]), rng.randrange(size[1])
        box = (x, y, x + rng.randrange(60, 300), y + rng.randrange(60, 300))
        colour = tuple(rng.randrange(256) for _ in range(3))
        (draw.rectangle if rng.random() < 0.5 else draw.ellipse)(box, fill=colour)
    return image


def jpeg(image: Image.Image, quality: int = 90) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def test_a_near_identical_photo_links_reports_worded_differently(client, auth, plant, send):
    original = jpeg(scene(1))
    # The same scene sent again: smaller, a little brighter, more compressed.
    resent = jpeg(ImageEnhance.Brightness(scene(1).resize((720, 540))).enhance(1.06), 60)
    other = jpeg(scene(2))
    auth.login(plant["worker"].email)
    for data in (original, resent, other):
        put = client.put(f"/api/photos/{sha256(data)}", data=data, content_type="image/jpeg")
        assert put.status_code == 201
    items = [
        send(
            plant["worker"],
            plant["north"],
            description=words,
            observed_at=f"2026-11-20T{9 + n:02d}:30:00+01:00",
            photos=[{"sha256": sha256(data), "content_type": "image/jpeg"}],
        )
        for n, (words, data) in enumerate(
            (
                ("Damaged racking upright, see photo", original),
                ("as per pic", resent),
                ("look at this one", other),
            )
        )
    ]
    for item in items:
        triage(item["id"])
    reports = [db.session.get(Report, report_pk(item["id"])) for item in items]
    link = linked(reports[0], reports[1])
    assert link is not None
    assert any("near-identical photo" in reason for reason in link.reasons)
    assert linked(reports[0], reports[2]) is None and linked(reports[1], reports[2]) is None
    hashes = db.session.scalars(select(Photo.phash).order_by(Photo.id)).all()
    assert all(h and len(h) == 16 for h in hashes)


def test_an_officer_confirms_or_dismisses_and_reruns_keep_it(client, auth, plant):
    a = stored(plant["north"], "Oil leak under press 4, floor slippery")
    b = stored(plant["north"], "press 4 leaking oil again, slippy floor", 2, 10)
    triage_report(a.pk)
    triage_report(b.pk)
    url = f"/api/reports/{a.id}/duplicates/{b.id}"
    auth.login(plant["worker"].email)
    assert client.post(url, json={"status": "confirmed"}).status_code == 403

    auth.login(plant["north_officer"].email)
    response = client.post(url, json={"status": "confirmed", "reason": "Same leak"})
    assert response.status_code == 200
    assert response.json["status"] == "confirmed"
    assert response.json["report_id"] == str(b.id)
    assert response.json["decided_by"]["id"] == plant["north_officer"].id
    triage_report(b.pk)
    db.session.expire_all()
    assert linked(a, b).status == "confirmed"
    assert client.post(url, json={"status": "deleted"}).status_code == 422
    dismissed = client.post(
        f"/api/reports/{b.id}/duplicates/{a.id}", json={"status": "dismissed"}
    ).json
    assert dismissed["status"] == "dismissed" and dismissed["report_id"] == str(a.id)


def test_deciding_an_unlinked_pair_is_404(client, auth, plant):
    a = stored(plant["north"], "Oil leak under press 4")
    b = stored(plant["north"], "Blocked fire exit", 1)
    triage_report(a.pk)
    triage_report(b.pk)
    auth.login(plant["north_officer"].email)
    url = f"/api/reports/{a.id}/duplicates/{b.id}"
    assert client.post(url, json={"status": "confirmed"}).status_code == 404
    auth.login(plant["south_officer"].email)
    assert client.post(url, json={"status": "confirmed"}).status_code == 404


def test_the_search_uses_the_site_and_time_index(app, plant):
    if db.engine.dialect.name != "sqlite":
        return
    report = stored(plant["north"], "Oil leak")
    plan = db.session.execute(
        text(
            "EXPLAIN QUERY PLAN SELECT pk FROM report WHERE site_id = :site "
            "AND observed_at >= :start AND observed_at <= :end AND pk != :pk"
        ),
        {"site": report.site_id, "start": BASE, "end": BASE, "pk": report.pk},
    ).all()
    assert "ix_report_site_id_observed_at" in " ".join(str(row[-1]) for row in plan)


def test_two_duplicates_triaged_at_once_make_one_pair(app, plant):
    a = stored(plant["north"], "Oil leak under press 4, floor slippery")
    b = stored(plant["north"], "press 4 leaking oil again, slippy floor", 2, 10)
    pks = [a.pk, b.pk] * 3
    db.session.remove()
    errors, start = [], threading.Barrier(len(pks))

    def run(pk: int) -> None:
        with app.app_context():
            start.wait()
            try:
                triage_report(pk)
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(error)

    threads = [threading.Thread(target=run, args=(pk,)) for pk in pks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert db.session.scalar(select(func.count()).select_from(DuplicateCandidate)) == 1
