"""Possible duplicates: same site and days, alike in meaning, near in place and time.

compare() is tested on its own with vectors of known cosines; the rest runs the triage job.
"""

import io
import random
import threading
import uuid
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageEnhance
from sqlalchemy import event, func, select, text

from server.extensions import db
from server.language.meaning import from_bytes
from server.media.models import Photo
from server.reports.models import Report
from server.triage import similarity
from server.triage.duplicates import find_duplicates
from server.triage.jobs import triage_report
from server.triage.models import DuplicateCandidate, Triage
from server.triage.similarity import LIKELY, POSSIBLE, SAME_PLACE, Profile, compare
from tests.factories import make_site
from tests.media.images import sha256
from tests.triage.helpers import MEASURES, report_pk, triage

BASE = datetime.now(UTC) - timedelta(days=5)
HERE = (53.4808, -2.2426)
METRE = 1 / 111_320  # degrees of latitude


def vectors(cosine: float) -> tuple[np.ndarray, np.ndarray]:
    """Two unit vectors whose cosine is the one given."""
    rng = np.random.default_rng(7)
    a = rng.normal(size=384)
    a /= np.linalg.norm(a)
    other = rng.normal(size=384)
    other -= (other @ a) * a
    other /= np.linalg.norm(other)
    return a, cosine * a + np.sqrt(1 - cosine**2) * other


def pair(
    cosine: float | None,
    hours: float = 1,
    metres: float | None = None,
    photo_bits: int | None = None,
    languages: tuple[str | None, str | None] = (None, None),
) -> tuple[Profile, Profile]:
    """Two profiles: wording of this cosine (None: one not triaged), hours and metres apart."""
    a, b = vectors(cosine if cosine is not None else 0.5)
    if cosine is None:
        b = None
    hashes = (None, None) if photo_bits is None else ("0" * 16, f"{(1 << photo_bits) - 1:016x}")
    return tuple(
        Profile(
            pk=n + 1,
            observed_at=BASE + timedelta(hours=hours * n),
            latitude=None if metres is None else HERE[0] + metres * n * METRE,
            longitude=None if metres is None else HERE[1],
            accuracy_m=None if metres is None else 5,
            meaning=vector,
            language=language,
            photos={} if hashes[n] is None else {f"photo{n}": hashes[n]},
        )
        for n, (vector, language) in enumerate(zip((a, b), languages, strict=True))
    )


def test_the_wording_figure_runs_from_unrelated_to_alike():
    assert similarity.wording_alike(0.75) == 0 == similarity.wording_alike(0.80)
    assert similarity.wording_alike(0.86) == 1 == similarity.wording_alike(0.97)
    assert 0.4 < similarity.wording_alike(0.83) < 0.6


@pytest.mark.parametrize(
    ("cosine", "verdict"), [(0.95, LIKELY), (0.835, POSSIBLE), (0.827, SAME_PLACE), (0.78, None)]
)
def test_the_verdict_follows_the_wording(cosine, verdict):
    likeness = compare(*pair(cosine))
    assert likeness.verdict == verdict
    assert likeness.verdict == similarity.verdict_of(likeness.score)


def test_the_reasons_say_how_alike_where_and_when():
    likeness = compare(*pair(0.93, hours=2, languages=("it", "en")))
    assert likeness.reasons == [
        "wording alike in meaning (0.93), in Italian and English",
        "same site; no GPS position on one of them",
        "observed 2 h apart",
    ]
    assert compare(*pair(0.78)).reasons[0] == "wording about something else (0.78)"
    assert compare(*pair(0.83, languages=("en", "en"))).reasons[0] == (
        "wording partly alike in meaning (0.83)"
    )


def test_no_gps_is_neither_for_nor_against_and_distance_is_against():
    unknown, near, far = (compare(*pair(0.95, metres=m)) for m in (None, 10, 2000))
    assert unknown.score == near.score
    assert near.reasons[1] == "same spot, 10 m apart"
    assert far.score < unknown.score and far.verdict is None
    assert far.reasons[1] == "same site but 2.0 km apart"


def test_time_apart_weighs_the_score_down():
    soon, later = compare(*pair(0.95, hours=0.5)), compare(*pair(0.95, hours=60))
    assert soon.score > later.score
    assert (
        soon.reasons[2] == "observed 30 min apart" and later.reasons[2] == "observed 2.5 days apart"
    )


def test_a_look_alike_photo_with_other_wording_is_a_check_at_most():
    for cosine in (0.70, 0.84, 0.90):
        likeness = compare(*pair(cosine, photo_bits=3))
        assert likeness.verdict == SAME_PLACE
        assert likeness.score <= similarity.CHECK_SCORE
        assert likeness.reasons[0] == (
            "same place, check: the photos look alike but the wording is about something else"
        )
        assert "photos look alike (hashes differ in 3 of 64 bits)" in likeness.reasons
    assert compare(*pair(0.90, photo_bits=3)).reasons[1] == (
        "wording alike in meaning (0.90) only as reports of one spot are"
    )


def test_photos_back_up_wording_that_agrees():
    worded, pictured = compare(*pair(0.94, hours=30)), compare(*pair(0.94, 30, photo_bits=2))
    assert pictured.verdict == LIKELY and pictured.score > worded.score
    assert pictured.reasons[-1] == "photos look alike (hashes differ in 2 of 64 bits)"
    assert compare(*pair(0.94, photo_bits=20)).score == compare(*pair(0.94)).score


def test_a_report_not_triaged_gives_no_wording_evidence():
    alone = compare(*pair(None))
    assert alone.score == 0 and alone.verdict is None
    assert alone.reasons[0] == "no wording to compare yet: one of them is not triaged"
    pictured = compare(*pair(None, photo_bits=0))
    assert pictured.verdict == SAME_PLACE
    assert pictured.reasons[0].startswith("same place, check: the photos look alike")


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


def verdict(a: Report, b: Report) -> str | None:
    link = linked(a, b)
    return None if link is None else similarity.verdict_of(link.score)


# (first report, second report, a likely duplicate?); each is (description, hours, metres).
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
        ("Pothole on the access road by gate 1", 0, 0),
        ("pothole on the access road by gate 3", 4, 1500),
        False,
    ),
    (
        ("Extinguisher missing by the welding bay", 0, 0),
        ("Extinguisher missing by the welding bay", 24 * 10, 0),
        False,
    ),
    (
        ("Wasps nest above the canteen door", 0, 0),
        ("Oil leak under press 4, floor slippery", 1, 5),
        False,
    ),
]
# Different things at one spot, worded alike: meaning alone cannot tell them apart (measured).
SAME_SPOT_OTHER_THING = [
    (
        ("Fire exit blocked by pallets in warehouse B", 0, 10),
        ("Forklift speeding in warehouse B", 1, 0),
    ),
    (("oil leak on press 4", 0, 0), ("oil leak on the generator", 2, 30)),
    (
        ("Trip hazard: cable across walkway in office 2", 0, 0),
        ("trip hazard cable across walkway in office 5", 5, 10),
    ),
]


def _triaged_pair(organization, first, second) -> tuple[Report, Report]:
    site = make_site(organization)
    a = stored(site, first[0], first[1], first[2] or 0, first[2] is not None)
    b = stored(site, second[0], second[1], second[2] or 0, second[2] is not None)
    triage_report(a.pk)
    triage_report(b.pk)
    return a, b


def test_pairs_precision_and_recall(app, plant):
    outcomes = []
    for first, second, expected in PAIRS:
        a, b = _triaged_pair(plant["organization"], first, second)
        outcomes.append((expected, verdict(a, b) == LIKELY, second[0]))
    true_positives = sum(expected and found for expected, found, _ in outcomes)
    precision = true_positives / max(1, sum(found for _, found, _ in outcomes))
    recall = true_positives / sum(expected for expected, _, _ in outcomes)
    same_spot = [
        verdict(*_triaged_pair(plant["organization"], first, second))
        for first, second in SAME_SPOT_OTHER_THING
    ]
    backend = db.engine.dialect.name
    MEASURES[f"duplicate pairs, English with GPS ({backend})"] = (
        f"precision {precision:.0%}, recall {recall:.0%} over {len(outcomes)} pairs; "
        f"wrong: {[text for expected, found, text in outcomes if expected != found]}; "
        f"other things at the same spot read as: {same_spot}"
    )
    assert precision == 1 and recall == 1, outcomes


def test_a_duplicate_on_another_site_is_not_linked(app, plant):
    a = stored(plant["north"], "Oil leak under press 4, floor slippery")
    b = stored(plant["south"], "Oil leak under press 4, floor slippery", 1)
    triage_report(a.pk)
    triage_report(b.pk)
    assert linked(a, b) is None


def test_a_link_has_a_score_verdict_reasons_and_is_stored_once(client, auth, plant):
    a = stored(plant["north"], "Oil leak under press 4, floor slippery")
    b = stored(plant["north"], "press 4 leaking oil again, slippy floor", 2, 10)
    for pk in (a.pk, b.pk, a.pk, b.pk):
        triage_report(pk)
    assert db.session.scalar(select(func.count()).select_from(DuplicateCandidate)) == 1
    auth.login(plant["north_officer"].email)
    for mine, other in ((a, b), (b, a)):
        view = client.get(f"/api/reports/{mine.id}/triage").json
        (duplicate,) = view["duplicates"]
        assert view["reasons"]["duplicates"] == [
            f"1 possible duplicate(s); the best reads as likely duplicate, "
            f"score {duplicate['score']:.2f}"
        ]
        assert duplicate["report_id"] == str(other.id)
        assert similarity.LIKELY_SCORE <= duplicate["score"] <= 1
        assert duplicate["status"] == "suggested" and duplicate["merged"] is None
        assert (duplicate["verdict"], duplicate["verdict_label"]) == (LIKELY, "Likely duplicate")
        assert duplicate["reasons"][0].startswith("wording alike in meaning (0.9")
        assert duplicate["reasons"][1:] == ["same spot, 10 m apart", "observed 2 h apart"]


def test_a_report_not_triaged_yet_is_compared_by_its_own_triage(app, plant):
    a = stored(plant["north"], "Oil leak under press 4, floor slippery")
    b = stored(plant["north"], "press 4 leaking oil again, slippy floor", 2, 10)
    triage_report(a.pk)
    # b has no meaning yet: a's triage has no wording to compare, and links nothing.
    assert linked(a, b) is None
    triage_report(b.pk)
    assert verdict(a, b) == LIKELY


def test_the_candidates_and_their_meanings_are_read_in_one_query(app, plant):
    reports = [stored(plant["north"], f"Oil leak under press {n}", n) for n in range(4)]
    for report in reports[1:]:
        triage_report(report.pk)
    report, vector = db.session.get(Report, reports[0].pk), meaning_of(reports[1])
    statements = []

    def seen(_conn, _cursor, statement, *_args):
        statements.append(statement.lower())

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        found = find_duplicates(report, vector)
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    assert len(found) == 3
    assert [s for s in statements if "triage" in s] == [
        s for s in statements if "from report left outer join triage" in s
    ]
    assert sum("triage.embedding" in s for s in statements) == 1


def meaning_of(report: Report) -> np.ndarray:
    """The meaning vector a report's triage stored."""
    stored_vector = select(Triage.embedding).where(Triage.report_pk == report.pk)
    return from_bytes(db.session.scalar(stored_vector))


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


def test_a_near_identical_photo_alone_is_a_check_at_the_same_place(client, auth, plant, send):
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
                ("Damaged racking upright in aisle 5, see photo", original),
                ("Wasps nest above the canteen door", resent),
                ("No hot water in the mens toilets", other),
            )
        )
    ]
    for item in items:
        triage(item["id"])
    reports = [db.session.get(Report, report_pk(item["id"])) for item in items]
    link = linked(reports[0], reports[1])
    assert link is not None and similarity.verdict_of(link.score) == SAME_PLACE
    assert link.score <= similarity.CHECK_SCORE
    assert link.reasons[0] == (
        "same place, check: the photos look alike but the wording is about something else"
    )
    assert any(reason.startswith("photos look alike (hashes differ in") for reason in link.reasons)
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
    assert response.json["report_id"] == str(b.id) and response.json["merged"] == "into_this"
    assert response.json["decided_by"]["id"] == plant["north_officer"].id
    for pk in (a.pk, b.pk):
        triage_report(pk)
    db.session.expire_all()
    assert linked(a, b).status == "confirmed"
    (seen_from_b,) = client.get(f"/api/reports/{b.id}/triage").json["duplicates"]
    assert seen_from_b["merged"] == "into_other" and seen_from_b["status"] == "confirmed"
    assert client.post(url, json={"status": "deleted"}).status_code == 422

    dismissed = client.post(
        f"/api/reports/{b.id}/duplicates/{a.id}", json={"status": "dismissed"}
    ).json
    assert dismissed["status"] == "dismissed" and dismissed["report_id"] == str(a.id)
    assert dismissed["merged"] is None
    for pk in (b.pk, a.pk):
        triage_report(pk)
    db.session.expire_all()
    assert linked(a, b).status == "dismissed"
    assert linked(a, b).decided_by_id == plant["north_officer"].id


def test_deciding_an_unlinked_pair_is_404(client, auth, plant):
    a = stored(plant["north"], "Oil leak under press 4")
    b = stored(plant["north"], "Wasps nest above the canteen door", 1)
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
