"""How alike two reports are, by meaning, place, time and photos, with the reasons (no database).

Wording counts most: the cosine of the two reports' meaning vectors (server.language.meaning),
which compares reports across languages. Place and time weigh it down when they say the reports
are apart; photos only back up what the wording says. A verdict is read off the score.
"""

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from typing import NamedTuple

import numpy as np
from PIL import Image

from server.language.detect import detect
from server.language.lexicon import language_name

EARTH_RADIUS_M = 6_371_000
# Reports observed further apart than this are never compared.
WINDOW = timedelta(hours=72)
# The share of the score lost by reports a whole WINDOW apart (less, the nearer in time).
TIME_DISCOUNT = 0.6
# Two fixes this close (plus their stated accuracy, up to 150 m) are the same spot; past FAR_M
# (plus accuracy) they are different places on the same site.
NEAR_M = 50
FAR_M = 500
MAX_ACCURACY_ALLOWANCE_M = 150
# Difference hashes differing in at most this many of their 64 bits show the same scene.
PHOTO_MATCH_BITS = 10

# The cosines of e5 vectors sit in a narrow band. On the development set
# (tests/triage/devset/pairs.py) unrelated reports give 0.75-0.85 (half of them below 0.82) and
# the same thing told in other words, often in another language, 0.80-0.93 (half above 0.865).
# Wording is "alike" from 0 at UNRELATED_COSINE to 1 at ALIKE_COSINE; the two overlap, so about
# one unrelated pair in eight on a site and day still reads as alike (see the devset test).
UNRELATED_COSINE = 0.80
ALIKE_COSINE = 0.855
# Two reports of one spot name the same place, so their wording is alike by that alone (reports
# about different things at one spot reach 0.90 on the development set). When the photos show
# one scene, the wording must be at least this alike to say the reports are about one thing.
SAME_SCENE_COSINE = 0.92
# Alike photos close this share of what the score lacks of 1, when the wording agrees.
PHOTO_SUPPORT = 0.5
# A sure language is named in the reasons; a guess from a few words is not.
SURE_LANGUAGE = 0.6

# Pairs scoring at least this are suggested to an officer; the verdict bands above it.
LINK_SCORE = 0.45
POSSIBLE_SCORE = 0.55
LIKELY_SCORE = 0.7
# Photos alike with wording about something else: a check at the same place, never more.
CHECK_SCORE = 0.5
LIKELY, POSSIBLE, SAME_PLACE = "likely_duplicate", "possible_duplicate", "same_place_check"
VERDICT_LABELS = {
    LIKELY: "Likely duplicate",
    POSSIBLE: "Possible duplicate",
    SAME_PLACE: "Same place, check",
}


@dataclass(frozen=True)
class Profile:
    """What duplicate detection compares of a report."""

    pk: int
    observed_at: datetime
    latitude: float | None
    longitude: float | None
    accuracy_m: float | None
    # The report's meaning as a unit vector; None until its triage has made one.
    meaning: np.ndarray | None
    # The language it is written in, when sure (a code of server/language/lexicons).
    language: str | None = None
    # Photo SHA-256 -> difference hash (None when it could not be made).
    photos: dict[str, str | None] = field(default_factory=dict)


class Likeness(NamedTuple):
    """How alike two reports are (0-1), the verdict it gives, and why, in plain words."""

    score: float
    verdict: str | None
    reasons: list[str]


def profile(
    report, meaning: np.ndarray | None, shas: list[str], photo_hashes: dict[str, str | None]
) -> Profile:
    """The Profile of a report (or a row with the same names), its meaning and its photos."""
    return Profile(
        pk=report.pk,
        observed_at=report.observed_at,
        latitude=report.latitude,
        longitude=report.longitude,
        accuracy_m=report.accuracy_m,
        meaning=meaning,
        language=language_of(report.description),
        photos={sha: photo_hashes.get(sha) for sha in shas},
    )


@lru_cache(maxsize=4096)
def language_of(description: str) -> str | None:
    """The language a description is written in, when that is sure."""
    language, probability = detect(description or "")
    return language if probability >= SURE_LANGUAGE else None


def verdict_of(score: float) -> str | None:
    """The verdict a score gives; None below LINK_SCORE (not suggested at all)."""
    if score >= LIKELY_SCORE:
        return LIKELY
    if score >= POSSIBLE_SCORE:
        return POSSIBLE
    return SAME_PLACE if score >= LINK_SCORE else None


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def dhash(image: Image.Image) -> str:
    """A 64-bit difference hash: is each of 8x8 cells brighter than its right-hand neighbour."""
    cells = image.convert("L").resize((9, 8), Image.Resampling.BOX).tobytes()
    bits = 0
    for row in range(8):
        for col in range(8):
            left, right = cells[row * 9 + col], cells[row * 9 + col + 1]
            bits = (bits << 1) | (left > right)
    return f"{bits:016x}"


def hamming(a: str, b: str) -> int:
    """How many bits two hex hashes differ in."""
    return (int(a, 16) ^ int(b, 16)).bit_count()


def _span(delta: timedelta) -> str:
    minutes = abs(delta.total_seconds()) / 60
    if minutes < 90:
        return f"{round(minutes)} min"
    if minutes < 48 * 60:
        return f"{round(minutes / 60)} h"
    return f"{minutes / 1440:.1f} days"


def _distance(metres: float) -> str:
    return f"{metres:.0f} m" if metres < 1000 else f"{metres / 1000:.1f} km"


def place_factor(a: Profile, b: Profile) -> tuple[float, str]:
    """1 for the same spot, down to 0.3 for far apart; 1 without a position (neither way)."""
    if None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return 1.0, "same site; no GPS position on one of them"
    metres = haversine_m(a.latitude, a.longitude, b.latitude, b.longitude)
    allowance = min((a.accuracy_m or 0) + (b.accuracy_m or 0), MAX_ACCURACY_ALLOWANCE_M)
    near, far = NEAR_M + allowance, FAR_M + allowance
    if metres <= near:
        return 1.0, f"same spot, {_distance(metres)} apart"
    if metres >= far:
        return 0.3, f"same site but {_distance(metres)} apart"
    return 1.0 - 0.7 * (metres - near) / (far - near), f"same site, {_distance(metres)} apart"


def time_factor(a: Profile, b: Profile) -> tuple[float, str]:
    """1 for reports observed together, down to 1 - TIME_DISCOUNT a WINDOW apart."""
    apart = abs(a.observed_at - b.observed_at)
    return 1.0 - TIME_DISCOUNT * min(apart / WINDOW, 1.0), f"observed {_span(apart)} apart"


def wording_alike(cosine: float) -> float:
    """The 0-1 "wording alike" figure of a cosine: 0 up to UNRELATED_COSINE, 1 from ALIKE_COSINE."""
    return min(max((cosine - UNRELATED_COSINE) / (ALIKE_COSINE - UNRELATED_COSINE), 0.0), 1.0)


def _languages(a: Profile, b: Profile) -> str:
    """The languages, as in ", in Polish and English", when the two surely differ; else ""."""
    names = [language_name(a.language), language_name(b.language)]
    if None in names or a.language == b.language:
        return ""
    return f", in {names[0]} and {names[1]}"


def _wording_reason(cosine: float, one_scene: bool, languages: str) -> str:
    alike = wording_alike(cosine)
    if one_scene and alike > 0 and cosine < SAME_SCENE_COSINE:
        return f"wording alike in meaning ({cosine:.2f}) only as reports of one spot are{languages}"
    if alike >= 1:
        return f"wording alike in meaning ({cosine:.2f}){languages}"
    if alike > 0:
        return f"wording partly alike in meaning ({cosine:.2f}){languages}"
    return f"wording about something else ({cosine:.2f}){languages}"


def _photo_match(a: Profile, b: Profile) -> tuple[int, str] | None:
    """The closest pair of photos across the two reports, if near-identical."""
    best = None
    for sha_a, hash_a in a.photos.items():
        for sha_b, hash_b in b.photos.items():
            if sha_a == sha_b:
                return 0, "the same photo is on both"
            if hash_a and hash_b and (best is None or hamming(hash_a, hash_b) < best):
                best = hamming(hash_a, hash_b)
    if best is None or best > PHOTO_MATCH_BITS:
        return None
    return best, f"photos look alike (hashes differ in {best} of 64 bits)"


def _wording(a: Profile, b: Profile, one_scene: bool) -> tuple[float | None, str]:
    """The cosine of the two meanings (None while one has none) and the reason."""
    if a.meaning is None or b.meaning is None:
        return None, "no wording to compare yet: one of them is not triaged"
    cosine = float(np.dot(a.meaning, b.meaning))
    return cosine, _wording_reason(cosine, one_scene, _languages(a, b))


def compare(a: Profile, b: Profile) -> Likeness:
    """How likely b reports what a reports: the score, its verdict and the reasons."""
    photo = _photo_match(a, b)
    cosine, wording_reason = _wording(a, b, photo is not None)
    place, place_reason = place_factor(a, b)
    time, time_reason = time_factor(a, b)
    score = (0.0 if cosine is None else wording_alike(cosine)) * place * time
    reasons = [wording_reason, place_reason, time_reason]
    if photo is not None:
        bits, photo_reason = photo
        reasons.append(photo_reason)
        if cosine is not None and cosine >= SAME_SCENE_COSINE:
            # The wording says one thing and the photos agree.
            score += (1 - score) * PHOTO_SUPPORT * (1 - bits / 64)
        else:
            # One scene, but nothing says one thing happened there: worth a look, no more.
            score = min(max(score, CHECK_SCORE * place), CHECK_SCORE)
            reasons.insert(0, _check_reason(cosine))
    score = round(score, 3)
    return Likeness(score, verdict_of(score), reasons)


def _check_reason(cosine: float | None) -> str:
    if cosine is None:
        return "same place, check: the photos look alike; the wording is not compared yet"
    return "same place, check: the photos look alike but the wording is about something else"
